#include "source/crc32.h"

#include <gtest/gtest.h>

#include <string_view>

namespace iw::source {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(Crc32, MatchesTheStandardCheckValues) {
  EXPECT_EQ(crc32(Bytes("")), 0u);
  EXPECT_EQ(crc32(Bytes("123456789")), 0xCBF43926u);
  EXPECT_EQ(crc32(Bytes("The quick brown fox jumps over the lazy dog")), 0x414FA339u);
  const uint8_t zeros[4] = {};
  EXPECT_EQ(crc32(zeros), 0x2144DF1Cu);  // a zero-filled length never checks as zero
}

TEST(Crc32, ExtendsAcrossPieces) { EXPECT_EQ(crc32_extend(crc32(Bytes("12345")), Bytes("6789")), 0xCBF43926u); }

}  // namespace
}  // namespace iw::source
