// Constants and byte helpers shared by ReplayWriter and ReplaySource. The layout is
// specified in REPLAY_FORMAT.md; keep the two in step and bump kReplayVersion on a change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace iw::source::replay {

inline constexpr char kMagic[8] = {'I', 'W', 'R', 'E', 'P', 'L', 'A', 'Y'};
// Version 2 is written; versions 1 and 2 are read. Version 1 blocks have no flags byte and
// no slot offsets (they read back with slot_offset_ns empty).
inline constexpr uint32_t kVersion = 2;
inline constexpr uint32_t kOldestVersion = 1;

// magic 8 | u32 version | u8 adc_bits | 3 reserved | u32 CRC-32 of the 16 bytes before.
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kHeaderCrcOffset = 16;

// Block: u32 length L | payload (L bytes) | u32 CRC-32 of length and payload.
inline constexpr size_t kLengthSize = 4;
inline constexpr size_t kCrcSize = 4;
// Payload, version 1: i64 start_ns | f64 conversion_ns | u16 slots | u32 frames | scan | codes.
// Version 2 adds u8 flags after frames and, when kFlagSlotOffsets is set, f64 slot offsets
// (one per slot) after the scan:
//   i64 start_ns | f64 conversion_ns | u16 slots | u32 frames | u8 flags | scan | [offsets] | codes.
inline constexpr size_t kPayloadFixedV1 = 8 + 8 + 2 + 4;
inline constexpr size_t kFlagsOffset = kPayloadFixedV1;  // v2 only
inline constexpr size_t kPayloadFixedV2 = kPayloadFixedV1 + 1;
inline constexpr uint8_t kFlagSlotOffsets = 0x01;
inline constexpr uint8_t kKnownFlags = kFlagSlotOffsets;
inline constexpr uint32_t kMaxPayload = 64u << 20;

inline size_t payload_fixed(uint32_t version) { return version >= 2 ? kPayloadFixedV2 : kPayloadFixedV1; }
inline size_t payload_size(uint32_t version, size_t slots, size_t frames, bool slot_offsets) {
  return payload_fixed(version) + slots + (slot_offsets ? 8 * slots : 0) + 2 * slots * frames;
}

inline void put_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void put_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void put_u64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t get_u32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline uint64_t get_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline void put_f64(uint8_t* p, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  put_u64(p, bits);
}
inline double get_f64(const uint8_t* p) {
  const uint64_t bits = get_u64(p);
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

}  // namespace iw::source::replay
