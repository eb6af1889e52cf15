// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320; the zlib / PNG / gzip CRC), for the
// replay file format: zlib's crc32 with a span interface. crc32("123456789") == 0xCBF43926.
// The datalog uses CRC-32C instead (datalog/crc32c.h), a different polynomial.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <span>

namespace iw::source {

// Extends `crc` (the CRC of the bytes before `data`; 0 for none) over `data`.
inline uint32_t crc32_extend(uint32_t crc, std::span<const uint8_t> data) {
  // zlib reads a null buffer as "give me the initial value" and returns 0, whatever `crc` is;
  // an empty span may have a null data().
  if (data.empty()) return crc;
  return static_cast<uint32_t>(::crc32(crc, data.data(), static_cast<uInt>(data.size())));
}
inline uint32_t crc32(std::span<const uint8_t> data) { return crc32_extend(0, data); }

}  // namespace iw::source
