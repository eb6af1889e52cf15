// CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, the iSCSI / ext4 / LevelDB CRC), for the
// datalog format (FORMAT.md). crc32c("123456789") == 0xE3069283.
#pragma once

#include <cstddef>
#include <cstdint>

namespace iw::datalog {

// Extends `crc` (the CRC of the bytes before `data`; 0 for none) over `size` bytes at `data`.
uint32_t crc32c_extend(uint32_t crc, const uint8_t* data, size_t size);
inline uint32_t crc32c(const uint8_t* data, size_t size) { return crc32c_extend(0, data, size); }

// The stored form. A CRC of data that itself contains CRCs is weak; masking (as LevelDB does)
// avoids that, and makes the stored CRC of an all-zero record non-zero.
inline uint32_t crc_mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u; }

}  // namespace iw::datalog
