#include "datalog/event_record.h"

#include <cstring>

#include "datalog/crc32c.h"
#include "datalog/format.h"

namespace iw::datalog::event_format {
namespace {

using format::get_i64;
using format::get_u32;
using format::put_i64;
using format::put_u32;

void put_f64(uint8_t* p, double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  put_i64(p, static_cast<int64_t>(bits));
}
double get_f64(const uint8_t* p) {
  const auto bits = static_cast<uint64_t>(get_i64(p));
  double v = 0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// The doubles of a version 1 payload, in order, from offset 12.
constexpr double measure::StepEvent::*kDoubles[] = {
    &measure::StepEvent::before_w,        &measure::StepEvent::after_w,    &measure::StepEvent::delta_w,
    &measure::StepEvent::delta_var,       &measure::StepEvent::after_amps, &measure::StepEvent::inrush_amps,
    &measure::StepEvent::inrush_peak_amps};
constexpr size_t kDoublesAt = 12;
constexpr size_t kCountsAt = kDoublesAt + 8 * std::size(kDoubles);  // inrush_cycles, transient_cycles
static_assert(kCountsAt + 8 == kPayloadV1Bytes);

constexpr uint8_t kSettledFlag = 1;

uint32_t record_crc(const uint8_t* length, const uint8_t* payload, size_t size) {
  return crc_mask(crc32c_extend(crc32c(length, 4), payload, size));
}

}  // namespace

std::string segment_header() {
  uint8_t h[kSegmentHeaderBytes];
  std::memcpy(h, kMagic, 8);
  put_u32(h + 8, kVersion);
  put_u32(h + 12, crc_mask(crc32c(h, 12)));
  return std::string(reinterpret_cast<const char*>(h), sizeof h);
}

Status check_segment_header(const uint8_t* data, size_t size) {
  if (size < kSegmentHeaderBytes) return Status::Corruption("segment header truncated");
  if (std::memcmp(data, kMagic, 8) != 0) return Status::Corruption("not an event segment (bad magic)");
  if (crc_mask(crc32c(data, 12)) != get_u32(data + 12)) return Status::Corruption("segment header CRC mismatch");
  if (get_u32(data + 8) != kVersion) {
    return Status::Corruption("unknown event format version " + std::to_string(get_u32(data + 8)));
  }
  return Status::Ok();
}

void append_record(const measure::StepEvent& e, std::string* out) {
  uint8_t r[kRecordHeaderBytes + kPayloadV1Bytes] = {};
  uint8_t* p = r + kRecordHeaderBytes;
  put_i64(p, e.time_ns);
  p[8] = static_cast<uint8_t>(e.channel & 0xff);
  p[9] = static_cast<uint8_t>(e.channel >> 8);
  p[10] = static_cast<uint8_t>(e.kind);
  p[11] = e.settled ? kSettledFlag : 0;
  for (size_t i = 0; i < std::size(kDoubles); ++i) put_f64(p + kDoublesAt + 8 * i, e.*kDoubles[i]);
  put_u32(p + kCountsAt, e.inrush_cycles);
  put_u32(p + kCountsAt + 4, e.transient_cycles);
  put_u32(r, static_cast<uint32_t>(kPayloadV1Bytes));
  put_u32(r + 4, record_crc(r, p, kPayloadV1Bytes));
  out->append(reinterpret_cast<const char*>(r), sizeof r);
}

RecordState decode_record(const uint8_t* data, size_t size, measure::StepEvent* event, size_t* used) {
  if (size < kRecordHeaderBytes) return RecordState::kTruncated;
  const uint32_t length = get_u32(data);
  if (length < kPayloadV1Bytes || length > kMaxPayloadBytes) return RecordState::kDamaged;
  if (size < kRecordHeaderBytes + length) return RecordState::kTruncated;
  const uint8_t* p = data + kRecordHeaderBytes;
  if (record_crc(data, p, length) != get_u32(data + 4)) return RecordState::kDamaged;
  if (p[10] > static_cast<uint8_t>(measure::StepKind::kChange) || (p[11] & ~kSettledFlag) != 0) {
    return RecordState::kDamaged;
  }
  measure::StepEvent e;
  e.time_ns = get_i64(p);
  e.channel = static_cast<uint16_t>(p[8] | (p[9] << 8));
  e.kind = static_cast<measure::StepKind>(p[10]);
  e.settled = (p[11] & kSettledFlag) != 0;
  for (size_t i = 0; i < std::size(kDoubles); ++i) e.*kDoubles[i] = get_f64(p + kDoublesAt + 8 * i);
  e.inrush_cycles = get_u32(p + kCountsAt);
  e.transient_cycles = get_u32(p + kCountsAt + 4);
  *event = e;
  *used = kRecordHeaderBytes + length;
  return RecordState::kGood;
}

}  // namespace iw::datalog::event_format
