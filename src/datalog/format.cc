#include "datalog/format.h"

#include <cstring>

#include "datalog/crc32c.h"

namespace iw::datalog::format {

namespace {

uint8_t kind_byte(measure::ChannelKind kind) {
  switch (kind) {
    case measure::ChannelKind::kVoltage:
      return 1;
    case measure::ChannelKind::kCurrent:
      return 2;
    case measure::ChannelKind::kUnused:
      break;
  }
  return 0;
}

bool kind_from_byte(uint8_t b, measure::ChannelKind* kind) {
  switch (b) {
    case 0:
      *kind = measure::ChannelKind::kUnused;
      return true;
    case 1:
      *kind = measure::ChannelKind::kVoltage;
      return true;
    case 2:
      *kind = measure::ChannelKind::kCurrent;
      return true;
    default:
      return false;
  }
}

bool all_zero(const uint8_t* p, size_t n) {
  // Word-wise: empty slots are common (gaps), so this runs over whole gaps.
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w != 0) return false;
  }
  for (; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void put_i64(uint8_t* p, int64_t v) {
  const auto u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(u >> (8 * i));
}
uint32_t get_u32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
int64_t get_i64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return static_cast<int64_t>(v);
}

size_t values_per_channel(measure::ChannelKind kind) {
  switch (kind) {
    case measure::ChannelKind::kVoltage:
      return 2;
    case measure::ChannelKind::kCurrent:
      return 6;
    case measure::ChannelKind::kUnused:
      break;
  }
  return 0;
}

size_t record_size(const Layout& layout) {
  size_t values = 0;
  for (auto kind : layout) values += values_per_channel(kind);
  return kRecordOverhead + 8 * values;
}

size_t header_size(size_t channel_count) { return (kFixedHeaderBytes + channel_count + 4 + 63) / 64 * 64; }

SegmentHeader make_header(int64_t start, uint32_t interval_s, uint32_t slot_count, Layout layout) {
  SegmentHeader h;
  h.start = start;
  h.interval_s = interval_s;
  h.slot_count = slot_count;
  h.header_size = static_cast<uint32_t>(header_size(layout.size()));
  h.record_size = static_cast<uint32_t>(record_size(layout));
  h.layout = std::move(layout);
  return h;
}

void encode_header(const SegmentHeader& h, uint8_t* out) {
  std::memset(out, 0, h.header_size);
  std::memcpy(out, kMagic, 8);
  put_u32(out + 8, h.version);
  put_u32(out + 12, h.header_size);
  put_i64(out + 16, h.start);
  put_u32(out + 24, h.interval_s);
  put_u32(out + 28, h.slot_count);
  put_u32(out + 32, h.record_size);
  put_u32(out + 36, static_cast<uint32_t>(h.layout.size()));
  for (size_t i = 0; i < h.layout.size(); ++i) out[kFixedHeaderBytes + i] = kind_byte(h.layout[i]);
  const size_t body = h.header_size - 4;
  put_u32(out + body, crc_mask(crc32c(out, body)));
}

size_t peek_header_size(const uint8_t* data, size_t size) {
  if (size < kFixedHeaderBytes || std::memcmp(data, kMagic, 8) != 0) return 0;
  const uint32_t channels = get_u32(data + 36);
  if (channels > kMaxChannels) return 0;
  const uint32_t announced = get_u32(data + 12);
  if (announced != header_size(channels)) return 0;
  return announced;
}

Result<SegmentHeader> decode_header(const uint8_t* data, size_t size, int64_t span_slots) {
  if (size < kFixedHeaderBytes) return Status::Corruption("header truncated");
  if (std::memcmp(data, kMagic, 8) != 0) return Status::Corruption("bad magic");
  SegmentHeader h;
  h.version = get_u32(data + 8);
  if (h.version != kVersion) {
    return Status::Corruption("unknown format version " + std::to_string(h.version));
  }
  const size_t want = peek_header_size(data, size);
  if (want == 0) return Status::Corruption("bad channel count or header size");
  if (size < want) return Status::Corruption("header truncated");
  h.header_size = static_cast<uint32_t>(want);
  const size_t body = want - 4;
  if (crc_mask(crc32c(data, body)) != get_u32(data + body)) return Status::Corruption("header CRC mismatch");
  h.start = get_i64(data + 16);
  h.interval_s = get_u32(data + 24);
  h.slot_count = get_u32(data + 28);
  h.record_size = get_u32(data + 32);
  const uint32_t channels = get_u32(data + 36);
  h.layout.resize(channels);
  for (size_t i = 0; i < channels; ++i) {
    if (!kind_from_byte(data[kFixedHeaderBytes + i], &h.layout[i])) {
      return Status::Corruption("bad kind of channel " + std::to_string(i));
    }
  }
  if (h.interval_s == 0 || h.slot_count == 0) return Status::Corruption("zero interval or slot count");
  if (h.start < 0 || h.start % h.interval_s != 0) return Status::Corruption("start not on the interval");
  // end() (start + slot_count * interval) must fit in an int64: the span check below, the log's
  // time range and every reader compute it, and a header from disk may hold any start and count.
  int64_t length_s = 0;
  int64_t end = 0;
  if (__builtin_mul_overflow(int64_t{h.slot_count}, int64_t{h.interval_s}, &length_s) ||
      __builtin_add_overflow(h.start, length_s, &end)) {
    return Status::Corruption("segment ends beyond the int64 time range");
  }
  if (h.record_size != record_size(h.layout)) return Status::Corruption("record size does not match layout");
  if (span_slots > 0) {
    const int64_t span_s = span_slots * h.interval_s;
    if (h.start / span_s != (h.end() - 1) / span_s) {
      return Status::Corruption("segment crosses a span boundary");
    }
  }
  return h;
}

void encode_record(const Layout& layout, const Record& r, uint8_t* out) {
  put_i64(out, r.time);
  put_i64(out + 8, r.monitored_us);
  uint8_t* p = out + 16;
  for (size_t ch = 0; ch < layout.size(); ++ch) {
    const measure::ChannelCounters& c = r.channels[ch];
    switch (layout[ch]) {
      case measure::ChannelKind::kVoltage:
        put_i64(p, c.vh.micros());
        put_i64(p + 8, c.hzh.micros());
        p += 16;
        break;
      case measure::ChannelKind::kCurrent:
        put_i64(p, c.wh_import.micros());
        put_i64(p + 8, c.wh_export.micros());
        put_i64(p + 16, c.vah.micros());
        put_i64(p + 24, c.varh.micros());
        put_i64(p + 32, c.vh.micros());
        put_i64(p + 40, c.ah.micros());
        p += 48;
        break;
      case measure::ChannelKind::kUnused:
        break;
    }
  }
  put_u32(p, r.flags);
  const auto body = static_cast<size_t>(p + 4 - out);
  put_u32(p + 4, crc_mask(crc32c(out, body)));
}

SlotState decode_record(const Layout& layout, const uint8_t* data, size_t record_size, int64_t slot_time, Record* out) {
  if (all_zero(data, record_size)) return SlotState::kEmpty;
  const size_t body = record_size - 4;
  if (get_i64(data) != slot_time || crc_mask(crc32c(data, body)) != get_u32(data + body)) {
    return SlotState::kDamaged;
  }
  if (out == nullptr) return SlotState::kGood;
  out->time = slot_time;
  out->monitored_us = get_i64(data + 8);
  out->flags = get_u32(data + body - 4);
  out->channels.assign(layout.size(), measure::ChannelCounters{});
  out->layout = layout;
  const uint8_t* p = data + 16;
  for (size_t ch = 0; ch < layout.size(); ++ch) {
    measure::ChannelCounters& c = out->channels[ch];
    switch (layout[ch]) {
      case measure::ChannelKind::kVoltage:
        c.vh.set(get_i64(p));
        c.hzh.set(get_i64(p + 8));
        c.seconds.set(out->monitored_us);
        p += 16;
        break;
      case measure::ChannelKind::kCurrent:
        c.wh_import.set(get_i64(p));
        c.wh_export.set(get_i64(p + 8));
        c.vah.set(get_i64(p + 16));
        c.varh.set(get_i64(p + 24));
        c.vh.set(get_i64(p + 32));
        c.ah.set(get_i64(p + 40));
        c.seconds.set(out->monitored_us);
        p += 48;
        break;
      case measure::ChannelKind::kUnused:
        break;
    }
  }
  return SlotState::kGood;
}

std::string segment_name(int64_t start) {
  std::string digits = std::to_string(start);
  if (digits.size() < 15) digits.insert(0, 15 - digits.size(), '0');
  return digits + std::string(kSegmentSuffix);
}

bool parse_segment_name(std::string_view name, int64_t* start) {
  if (name.size() != 15 + kSegmentSuffix.size() || !name.ends_with(kSegmentSuffix)) return false;
  int64_t v = 0;
  for (size_t i = 0; i < 15; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
    v = v * 10 + (name[i] - '0');
  }
  *start = v;
  return true;
}

}  // namespace iw::datalog::format
