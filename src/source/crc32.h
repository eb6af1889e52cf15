// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320; the zlib / PNG / gzip CRC), for the
// replay file format. crc32("123456789") == 0xCBF43926.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace iw::source {

// Extends `crc` (the CRC of the bytes before `data`; 0 for none) over `data`.
uint32_t crc32_extend(uint32_t crc, std::span<const uint8_t> data);
inline uint32_t crc32(std::span<const uint8_t> data) { return crc32_extend(0, data); }

}  // namespace iw::source
