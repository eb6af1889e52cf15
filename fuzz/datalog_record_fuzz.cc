// libFuzzer target: arbitrary bytes as a datalog segment header and as a record, with a layout
// taken from the input. The decoders read what a disk gave back (a torn write, a flipped byte,
// a file that is not ours), so they must never crash, hang or trip a sanitizer, and what they
// accept must be exactly what the encoders write:
//   decode_header ok   -> the header re-encoded decodes to the same fields, within `size` bytes
//   decode_record good -> encode_record of the decoded record gives back the same bytes
//   decode_record good -> it holds (Record::holds) exactly the channels its layout uses
//   decode_record empty -> the bytes are all zero
// A random CRC almost never matches, so the first input byte can ask for the CRC to be
// re-sealed over the bytes (as LevelDB's log_test FixChecksum does): the fuzzer then reaches
// the checks after the CRC.
//
// Input: [flags][channel count][kind byte per channel][payload...]
//   flags bit 0: re-seal the record's CRC      bit 1: re-seal the header's CRC
//         bit 2: slot time = the record's own time field (else a fixed time)
//         bits 3-4: span_slots 0, 17280, 43200 or 1
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "datalog/crc32c.h"
#include "datalog/format.h"

namespace {

namespace format = iw::datalog::format;
using iw::datalog::Layout;
using iw::measure::ChannelKind;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "datalog_record_fuzz: %s\n", what);
  std::abort();
}

// The CRC of the `size` bytes at `p` written into their last four bytes, as the encoders do.
void reseal(uint8_t* p, size_t size) {
  const size_t body = size - 4;
  format::put_u32(p + body, iw::datalog::crc_mask(iw::datalog::crc32c(p, body)));
}

bool same_header(const format::SegmentHeader& a, const format::SegmentHeader& b) {
  return a.version == b.version && a.header_size == b.header_size && a.start == b.start &&
         a.interval_s == b.interval_s && a.slot_count == b.slot_count && a.record_size == b.record_size &&
         a.layout == b.layout;
}

void check_header(std::vector<uint8_t> bytes, bool seal, int64_t span_slots) {
  if (seal) {
    const size_t want = format::peek_header_size(bytes.data(), bytes.size());
    if (want != 0 && want <= bytes.size()) reseal(bytes.data(), want);
  }
  const auto h = format::decode_header(bytes.data(), bytes.size(), span_slots);
  if (!h.ok()) return;
  if (h->header_size > bytes.size()) fail("a header longer than its bytes was accepted");
  if (h->layout.size() > format::kMaxChannels) fail("too many channels accepted");
  if (h->header_size != format::header_size(h->layout.size())) fail("header size does not match its channels");
  if (h->record_size != format::record_size(h->layout)) fail("record size does not match the layout");
  if (h->interval_s == 0 || h->slot_count == 0 || h->start < 0) fail("an empty or negative segment accepted");
  std::vector<uint8_t> again(h->header_size);
  format::encode_header(h.value(), again.data());
  const auto h2 = format::decode_header(again.data(), again.size(), span_slots);
  if (!h2.ok() || !same_header(h.value(), h2.value())) fail("an accepted header does not round-trip");
}

void check_record(const Layout& layout, std::vector<uint8_t> bytes, bool seal, bool own_time) {
  const size_t size = format::record_size(layout);
  if (bytes.size() < size) return;
  bytes.resize(size);
  if (seal) reseal(bytes.data(), size);
  const int64_t slot_time = own_time ? format::get_i64(bytes.data()) : 1700006400;
  iw::datalog::Record record;
  switch (format::decode_record(layout, bytes.data(), size, slot_time, &record)) {
    case format::SlotState::kEmpty:
      for (uint8_t b : bytes) {
        if (b != 0) fail("a record with data read as empty");
      }
      break;
    case format::SlotState::kGood: {
      if (record.time != slot_time || record.channels.size() != layout.size()) fail("a good record of another shape");
      std::vector<uint8_t> again(size);
      format::encode_record(layout, record, again.data());
      if (again != bytes) fail("a good record does not re-encode to its bytes");
      // It holds exactly the channels its layout uses (FORMAT.md, "Counters never decrease").
      for (size_t ch = 0; ch < layout.size(); ++ch) {
        if (record.holds(ch) != (layout[ch] != iw::measure::ChannelKind::kUnused)) fail("holds() is not the layout");
        if (iw::datalog::counters_decrease(record.channels[ch], record.channels[ch])) fail("a counter below itself");
      }
      break;
    }
    case format::SlotState::kDamaged:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  // Up to 40 channels: more than the original's 15, fewer than kMaxChannels, to keep records
  // short enough for the fuzzer to fill.
  const size_t channels = data[1] % 41;
  if (size < 2 + channels) return 0;
  Layout layout(channels);
  for (size_t i = 0; i < channels; ++i) layout[i] = static_cast<ChannelKind>(data[2 + i] % 3);
  const std::vector<uint8_t> payload(data + 2 + channels, data + size);
  static constexpr int64_t kSpans[] = {0, 17280, 43200, 1};
  check_header(payload, (flags & 2) != 0, kSpans[(flags >> 3) & 3]);
  check_record(layout, payload, (flags & 1) != 0, (flags & 4) != 0);
  return 0;
}
