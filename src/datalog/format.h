// Encoding of segment headers and records, shared by the writer, the readers and check/repair.
// The byte layout is documented in FORMAT.md; keep the two in step and bump kVersion on change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "datalog/record.h"

namespace iw::datalog::format {

inline constexpr char kMagic[8] = {'I', 'W', 'D', 'A', 'T', 'L', 'O', 'G'};
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kFixedHeaderBytes = 40;  // before the channel kinds
inline constexpr size_t kMaxChannels = 255;
inline constexpr size_t kRecordOverhead = 24;  // time, monitored_us, flags, crc
inline constexpr std::string_view kSegmentSuffix = ".iwl";
inline constexpr std::string_view kTmpSuffix = ".tmp";
inline constexpr std::string_view kDamagedSuffix = ".damaged";

struct SegmentHeader {
  uint32_t version = kVersion;
  uint32_t header_size = 0;
  int64_t start = 0;  // UNIX seconds of slot 0
  uint32_t interval_s = 0;
  uint32_t slot_count = 0;
  uint32_t record_size = 0;
  Layout layout;

  int64_t end() const { return start + int64_t{slot_count} * interval_s; }  // exclusive
  int64_t slot_offset(int64_t slot) const { return header_size + slot * int64_t{record_size}; }
  int64_t file_bytes() const { return slot_offset(slot_count); }
};

// Counter values a channel of this kind stores (0, 2 or 6).
size_t values_per_channel(measure::ChannelKind kind);
size_t record_size(const Layout& layout);
size_t header_size(size_t channel_count);

// Fills header_size and record_size from the layout.
SegmentHeader make_header(int64_t start, uint32_t interval_s, uint32_t slot_count, Layout layout);
// REQUIRES: out has header.header_size bytes.
void encode_header(const SegmentHeader& header, uint8_t* out);
// Header size announced by the first kFixedHeaderBytes bytes, 0 when they are not a header.
size_t peek_header_size(const uint8_t* data, size_t size);
// Decodes and validates a whole header (magic, version, ranges, CRC). `span_slots`, when not
// 0, also checks that the segment does not cross a span boundary.
Result<SegmentHeader> decode_header(const uint8_t* data, size_t size, int64_t span_slots);

enum class SlotState { kEmpty, kGood, kDamaged };

// REQUIRES: record.channels.size() == layout.size(); out has record_size(layout) bytes.
void encode_record(const Layout& layout, const Record& record, uint8_t* out);
// Classifies the slot whose time is `slot_time` (FORMAT.md) and, when good and `out` is not
// null, decodes it.
SlotState decode_record(const Layout& layout, const uint8_t* data, size_t record_size, int64_t slot_time, Record* out);

// "000001700006400.iwl"
std::string segment_name(int64_t start);
// Parses a segment file name; false for anything else (.tmp, .damaged, LOCK).
bool parse_segment_name(std::string_view name, int64_t* start);

// Little-endian helpers.
void put_u32(uint8_t* p, uint32_t v);
void put_i64(uint8_t* p, int64_t v);
uint32_t get_u32(const uint8_t* p);
int64_t get_i64(const uint8_t* p);

}  // namespace iw::datalog::format
