#include "source/board.h"

#include <gtest/gtest.h>

namespace iw::source {
namespace {

TEST(Board, ListsBuiltInProfiles) {
  EXPECT_EQ(board_names(), (std::vector<std::string>{"iotawatt-v5", "pi-mcp3008-1vt6ct"}));
  for (const std::string& name : board_names()) {
    auto board = find_board(name);
    ASSERT_TRUE(board.ok()) << name;
    EXPECT_TRUE(validate_board(board.value())) << name;
  }
}

TEST(Board, UnknownNameListsTheKnownOnes) {
  auto board = find_board("iotawatt-v9");
  ASSERT_FALSE(board.ok());
  EXPECT_NE(board.error().find("iotawatt-v9"), std::string::npos);
  EXPECT_NE(board.error().find("pi-mcp3008-1vt6ct"), std::string::npos);
}

TEST(Board, IotaWattV5FollowsTheOriginalAddressing) {
  const Board b = find_board("iotawatt-v5").value();
  EXPECT_EQ(b.chip, AdcChip::kMcp3208);
  EXPECT_EQ(b.adc_bits(), 12);
  ASSERT_EQ(b.input_count(), 15u);
  EXPECT_EQ(b.spi_devices, (std::vector<std::string>{"/dev/spidev0.0", "/dev/spidev0.1"}));
  for (uint8_t i = 0; i < 8; ++i) EXPECT_EQ(b.inputs[i], (AdcAddress{0, i})) << int{i};
  for (uint8_t i = 8; i < 15; ++i) EXPECT_EQ(b.inputs[i], (AdcAddress{1, static_cast<uint8_t>(i - 7)})) << int{i};
  ASSERT_TRUE(b.reference.has_value());
  EXPECT_EQ(*b.reference, (AdcAddress{1, 0}));
  EXPECT_DOUBLE_EQ(b.reference_volts, 2.5);
  EXPECT_DOUBLE_EQ(b.vref_volts, 3.3);
  EXPECT_DOUBLE_EQ(b.vt_divider, 13);
  EXPECT_DOUBLE_EQ(b.burden_ohms[0], 0);
  for (size_t i = 1; i < 15; ++i) EXPECT_DOUBLE_EQ(b.burden_ohms[i], 20) << i;
}

TEST(Board, PiMcp3008HasOneVtAndSixCts) {
  const Board b = find_board("pi-mcp3008-1vt6ct").value();
  EXPECT_EQ(b.chip, AdcChip::kMcp3008);
  EXPECT_EQ(b.adc_bits(), 10);
  EXPECT_EQ(b.spi_devices, (std::vector<std::string>{"/dev/spidev0.0"}));
  ASSERT_EQ(b.input_count(), 7u);
  for (uint8_t i = 0; i < 7; ++i) EXPECT_EQ(b.inputs[i], (AdcAddress{0, i}));
  EXPECT_FALSE(b.reference.has_value());
  EXPECT_DOUBLE_EQ(b.burden_ohms[0], 0);
  for (size_t i = 1; i < 7; ++i) EXPECT_GT(b.burden_ohms[i], 0);
  EXPECT_GT(b.vt_divider, 0);
}

TEST(Board, ValidationNamesTheProblem) {
  Board b = find_board("iotawatt-v5").value();
  b.inputs[3] = {1, 0};  // collides with the reference
  Status s = validate_board(b);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("reference"), std::string::npos) << s.message();

  b = find_board("iotawatt-v5").value();
  b.inputs[9] = {2, 1};
  s = validate_board(b);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("input 9"), std::string::npos) << s.message();

  b = find_board("iotawatt-v5").value();
  b.inputs[2].pin = 8;
  EXPECT_FALSE(validate_board(b));

  b = find_board("iotawatt-v5").value();
  b.burden_ohms.pop_back();
  EXPECT_FALSE(validate_board(b));

  b = find_board("pi-mcp3008-1vt6ct").value();
  b.inputs[6] = b.inputs[1];
  EXPECT_FALSE(validate_board(b));
}

TEST(Board, ChipNamesRoundTrip) {
  AdcChip chip{};
  EXPECT_TRUE(parse_adc_chip("mcp3008", &chip));
  EXPECT_EQ(chip, AdcChip::kMcp3008);
  EXPECT_TRUE(parse_adc_chip(to_string(AdcChip::kMcp3208), &chip));
  EXPECT_EQ(chip, AdcChip::kMcp3208);
  EXPECT_FALSE(parse_adc_chip("ads1115", &chip));
  EXPECT_EQ(adc_max_code(AdcChip::kMcp3208), 4095);
  EXPECT_EQ(adc_max_code(AdcChip::kMcp3008), 1023);
}

}  // namespace
}  // namespace iw::source
