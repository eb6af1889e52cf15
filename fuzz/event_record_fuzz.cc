// libFuzzer target: arbitrary bytes as an event log segment (datalog/event_record.h): a segment
// header, then records read one after the other as the event log's open and reads do. What a
// disk gives back (a torn append, a flipped byte, a file that is not ours) must never crash,
// hang or trip a sanitizer, and what the decoder accepts must be what the encoder writes:
//   decode_record good  -> `used` lies within the bytes and past the record header
//   a good version 1 record (76-byte payload) re-encodes to exactly its bytes
// A random CRC almost never matches, so the first input byte can ask for every record's CRC to
// be re-sealed over its bytes: the fuzzer then reaches the field checks after the CRC.
//
// Input: [flags][bytes...]   flags bit 0: re-seal record CRCs   bit 1: prefix a good header
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "datalog/crc32c.h"
#include "datalog/event_record.h"
#include "datalog/format.h"

namespace {

namespace ef = iw::datalog::event_format;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "event_record_fuzz: %s\n", what);
  std::abort();
}

// Writes the record CRC the encoder would over the record at `p` (its length field says how
// long), when the bytes hold all of it.
void reseal(uint8_t* p, size_t size) {
  if (size < ef::kRecordHeaderBytes) return;
  const uint32_t length = iw::datalog::format::get_u32(p);
  if (length > ef::kMaxPayloadBytes || size - ef::kRecordHeaderBytes < length) return;
  const uint32_t crc =
      iw::datalog::crc_mask(iw::datalog::crc32c_extend(iw::datalog::crc32c(p, 4), p + ef::kRecordHeaderBytes, length));
  iw::datalog::format::put_u32(p + 4, crc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  std::string bytes = (flags & 2) != 0 ? ef::segment_header() : std::string();
  bytes.append(reinterpret_cast<const char*>(data + 1), size - 1);
  auto* p = reinterpret_cast<uint8_t*>(bytes.data());
  (void)ef::check_segment_header(p, bytes.size());
  size_t at = bytes.size() >= ef::kSegmentHeaderBytes ? ef::kSegmentHeaderBytes : bytes.size();
  while (at < bytes.size()) {
    if ((flags & 1) != 0) reseal(p + at, bytes.size() - at);
    iw::measure::StepEvent e;
    size_t used = 0;
    if (ef::decode_record(p + at, bytes.size() - at, &e, &used) != ef::RecordState::kGood) break;
    if (used <= ef::kRecordHeaderBytes || used > bytes.size() - at) fail("used out of range");
    if (used == ef::kRecordHeaderBytes + ef::kPayloadV1Bytes) {
      std::string again;
      ef::append_record(e, &again);
      if (again.size() != used || std::memcmp(again.data(), p + at, used) != 0) fail("re-encoding differs");
    }
    at += used;
  }
  return 0;
}
