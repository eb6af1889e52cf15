#include "source/mcp3x08.h"

#include <gtest/gtest.h>

#include <array>

#include "source/emulated_mcp3x08.h"

namespace iw::source {
namespace {

using testing::EmulatedMcp3x08;
using testing::FakeClock;

std::array<uint8_t, 3> Encode(AdcChip chip, uint8_t pin) {
  std::array<uint8_t, 3> tx{};
  mcp3x08_encode(chip, pin, tx);
  return tx;
}

TEST(Mcp3x08, EncodesMcp3208RequestsPerDatasheet) {
  // 00000 Start SGL D2 | D1 D0 000000 | 00000000
  EXPECT_EQ(Encode(AdcChip::kMcp3208, 0), (std::array<uint8_t, 3>{0x06, 0x00, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3208, 1), (std::array<uint8_t, 3>{0x06, 0x40, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3208, 3), (std::array<uint8_t, 3>{0x06, 0xC0, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3208, 4), (std::array<uint8_t, 3>{0x07, 0x00, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3208, 5), (std::array<uint8_t, 3>{0x07, 0x40, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3208, 7), (std::array<uint8_t, 3>{0x07, 0xC0, 0x00}));
}

TEST(Mcp3x08, EncodesMcp3008RequestsPerDatasheet) {
  // 0000000 Start | SGL D2 D1 D0 0000 | 00000000
  EXPECT_EQ(Encode(AdcChip::kMcp3008, 0), (std::array<uint8_t, 3>{0x01, 0x80, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3008, 1), (std::array<uint8_t, 3>{0x01, 0x90, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3008, 5), (std::array<uint8_t, 3>{0x01, 0xD0, 0x00}));
  EXPECT_EQ(Encode(AdcChip::kMcp3008, 7), (std::array<uint8_t, 3>{0x01, 0xF0, 0x00}));
}

TEST(Mcp3x08, DecodesOnlyTheResultBits) {
  uint16_t code = 1;
  // MCP3208: clocks 9-11 are high impedance (read as 1 here), clock 12 the null bit.
  ASSERT_TRUE(mcp3x08_decode(AdcChip::kMcp3208, std::array<uint8_t, 3>{0xFF, 0xE0, 0x00}, &code));
  EXPECT_EQ(code, 0);
  ASSERT_TRUE(mcp3x08_decode(AdcChip::kMcp3208, std::array<uint8_t, 3>{0xFF, 0xEF, 0xFF}, &code));
  EXPECT_EQ(code, 4095);
  ASSERT_TRUE(mcp3x08_decode(AdcChip::kMcp3208, std::array<uint8_t, 3>{0x00, 0x0A, 0x5C}, &code));
  EXPECT_EQ(code, 0xA5C);
  // MCP3008: null bit at clock 14, B9 B8 at clocks 15-16.
  ASSERT_TRUE(mcp3x08_decode(AdcChip::kMcp3008, std::array<uint8_t, 3>{0xFF, 0xF8, 0x00}, &code));
  EXPECT_EQ(code, 0);
  ASSERT_TRUE(mcp3x08_decode(AdcChip::kMcp3008, std::array<uint8_t, 3>{0xFF, 0xFB, 0xFF}, &code));
  EXPECT_EQ(code, 1023);
  ASSERT_TRUE(mcp3x08_decode(AdcChip::kMcp3008, std::array<uint8_t, 3>{0x00, 0x02, 0x5C}, &code));
  EXPECT_EQ(code, 0x25C);
}

TEST(Mcp3x08, HighNullBitMeansNoChip) {
  uint16_t code = 7;
  EXPECT_FALSE(mcp3x08_decode(AdcChip::kMcp3208, std::array<uint8_t, 3>{0xFF, 0xFF, 0xFF}, &code));
  EXPECT_FALSE(mcp3x08_decode(AdcChip::kMcp3008, std::array<uint8_t, 3>{0xFF, 0xFF, 0xFF}, &code));
  EXPECT_EQ(code, 7);
}

// Every pin, codes 0, 1, mid, max-1 and max, through the bit-level chip emulation.
void RoundTripAllPinsAndEdgeCodes(AdcChip chip) {
  const uint16_t max = adc_max_code(chip);
  const double vref = 3.3;
  const double lsb = vref / (max + 1);
  for (uint16_t want :
       {uint16_t{0}, uint16_t{1}, static_cast<uint16_t>(max / 2), static_cast<uint16_t>(max - 1), max}) {
    FakeClock clock;
    EmulatedMcp3x08::Options o;
    o.chip = chip;
    o.vref = vref;
    // Pin p reads want - p (clamped at 0) so a wrong channel shows as a wrong code.
    EmulatedMcp3x08 emu(o, &clock, [&](int pin, int64_t) {
      const int code = std::max(0, int{want} - pin);
      return (code + 0.5) * lsb;
    });
    for (uint8_t pin = 0; pin < 8; ++pin) {
      std::array<uint8_t, 3> tx{};
      std::array<uint8_t, 3> rx{};
      mcp3x08_encode(chip, pin, tx);
      ASSERT_TRUE(emu.transfer(tx, rx, 3)) << "pin " << int{pin};
      uint16_t code = 0;
      ASSERT_TRUE(mcp3x08_decode(chip, rx, &code));
      EXPECT_EQ(code, std::max(0, int{want} - pin)) << to_string(chip) << " pin " << int{pin};
      EXPECT_EQ(emu.log().back().pin, pin);
    }
  }
}

TEST(Mcp3x08, Mcp3208RoundTripsEveryPin) { RoundTripAllPinsAndEdgeCodes(AdcChip::kMcp3208); }
TEST(Mcp3x08, Mcp3008RoundTripsEveryPin) { RoundTripAllPinsAndEdgeCodes(AdcChip::kMcp3008); }

TEST(Mcp3x08, OutOfRangeInputsClampToEdgeCodes) {
  EXPECT_EQ(testing::quantize(AdcChip::kMcp3208, 3.3, -0.2), 0);
  EXPECT_EQ(testing::quantize(AdcChip::kMcp3208, 3.3, 3.5), 4095);
  EXPECT_EQ(testing::quantize(AdcChip::kMcp3008, 3.3, 3.3), 1023);
}

TEST(EmulatedMcp3x08, RejectsMalformedRequests) {
  FakeClock clock;
  EmulatedMcp3x08 emu({}, &clock, [](int, int64_t) { return 1.0; });  // strict MCP3208
  std::array<uint8_t, 3> rx{};
  // An MCP3008 frame: start bit two clocks late for a 12-bit answer.
  EXPECT_FALSE(emu.transfer(Encode(AdcChip::kMcp3008, 2), rx, 3));
  // SGL/DIFF = 0 (differential).
  EXPECT_FALSE(emu.transfer(std::array<uint8_t, 3>{0x04, 0x00, 0x00}, rx, 3));
  // No start bit at all.
  const Status none = emu.transfer(std::array<uint8_t, 3>{0x00, 0x00, 0x00}, rx, 3);
  ASSERT_FALSE(none);
  EXPECT_NE(none.message().find("no start bit"), std::string::npos);
  // Start bit too late to finish the conversion.
  EXPECT_FALSE(emu.transfer(std::array<uint8_t, 3>{0x00, 0x06, 0x00}, rx, 3));
  EXPECT_TRUE(emu.transfer(Encode(AdcChip::kMcp3208, 2), rx, 3));
}

TEST(EmulatedMcp3x08, LenientModeAnswersLikeTheChip) {
  // A 10-bit MCP3008 sent a 12-bit-style request (start at clock 6) finishes two clocks
  // early and then sends LSB-first bits: a decoder for the wrong chip gets a wrong code.
  FakeClock clock;
  EmulatedMcp3x08::Options o;
  o.chip = AdcChip::kMcp3008;
  o.strict = false;
  EmulatedMcp3x08 emu(o, &clock, [](int, int64_t) { return (0x2A5 + 0.5) * 3.3 / 1024; });
  std::array<uint8_t, 3> rx{};
  ASSERT_TRUE(emu.transfer(Encode(AdcChip::kMcp3208, 0), rx, 3));
  uint16_t code = 0;
  ASSERT_TRUE(mcp3x08_decode(AdcChip::kMcp3208, rx, &code));
  // B9..B0 = 1010100101 then B1 B2 = 0 1: 12 bits 1010 1001 0101.
  EXPECT_EQ(code, 0xA95);
}

}  // namespace
}  // namespace iw::source
