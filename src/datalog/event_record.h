// Encoding of one step event (measure/step_event.h) as a record of the event log
// (EVENT_LOG_FORMAT.md, "Record"). Pure functions: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "measure/step_event.h"

namespace iw::datalog::event_format {

inline constexpr char kMagic[8] = {'I', 'W', 'E', 'V', 'E', 'N', 'T', 'S'};
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kSegmentHeaderBytes = 16;  // magic, version, masked CRC-32C
inline constexpr size_t kRecordHeaderBytes = 8;    // payload length, masked CRC-32C
inline constexpr size_t kPayloadV1Bytes = 76;      // what version 1 writes
inline constexpr size_t kMaxPayloadBytes = 65536;  // room for later fields (waveform snippets)

// The 16 bytes that begin every segment file.
std::string segment_header();
// Ok when `data` (at least kSegmentHeaderBytes) is a segment header of a version this reads.
Status check_segment_header(const uint8_t* data, size_t size);

// Appends the record of `event` (header and payload) to `out`.
void append_record(const measure::StepEvent& event, std::string* out);

enum class RecordState {
  kGood,       // *event decoded, *size bytes used
  kTruncated,  // the bytes end inside the record: a torn append, or the writer's unfinished one
  kDamaged,    // a length out of range, a CRC that does not match, or a field out of range
};
// Decodes the record at the start of `data`. A payload longer than version 1's is accepted
// (fields a later version appended are skipped); a shorter one is damage.
RecordState decode_record(const uint8_t* data, size_t size, measure::StepEvent* event, size_t* used);

}  // namespace iw::datalog::event_format
