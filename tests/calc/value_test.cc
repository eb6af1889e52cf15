#include "calc/value.h"

#include <gtest/gtest.h>

#include <cmath>

#include "calc/interval_operands.h"
#include "calc/live_operands.h"
#include "calc/original_syntax.h"
#include "calc_testing.h"

namespace iw::calc {
namespace {

using measure::ChannelCounters;

// Two snapshots half an hour apart: channel 1 drew 1000 W at 1250 VA (PF 0.8, 750 VAR),
// channel 2 exported 400 W at 500 VA; the VT read 230 V at 50 Hz.
struct Interval {
  std::vector<ChannelCounters> older{6}, newer{6};
  double hours = 0.5;
  Interval() {
    newer[0].vh.add(230 * hours);
    newer[0].hzh.add(50 * hours);
    newer[1].wh_import.add(1000 * hours);
    newer[1].vah.add(1250 * hours);
    newer[1].varh.add(750 * hours);
    newer[1].vh.add(230 * hours);
    newer[1].ah.add(1250.0 / 230 * hours);
    newer[2].wh_export.add(400 * hours);
    newer[2].vah.add(500 * hours);
    newer[2].varh.add(-300 * hours);
    newer[2].vh.add(230 * hours);
    newer[2].ah.add(500.0 / 230 * hours);
  }
};

double Value(const char* text, Unit unit, std::span<const IntegratorDelta> integrators = {}) {
  const auto infos = input_infos(testing::TestConfig());
  const Interval iv;
  auto script = parse_original(text, testing::TestNames());
  EXPECT_TRUE(script.ok()) << text;
  const IntervalOperands ops(infos, iv.older, iv.newer, iv.hours, integrators);
  return value_of(script.value(), unit, ops);
}

TEST(Value, OneInputGivesThatInputInEveryUnit) {
  EXPECT_NEAR(Value("@1", Unit::kWatts), 1000, 1e-9);
  EXPECT_NEAR(Value("@1", Unit::kWh), 500, 1e-9);
  EXPECT_NEAR(Value("@1", Unit::kKWh), 0.5, 1e-12);
  EXPECT_NEAR(Value("@1", Unit::kVA), 1250, 1e-9);
  EXPECT_NEAR(Value("@1", Unit::kVAh), 625, 1e-9);
  EXPECT_NEAR(Value("@1", Unit::kVAR), 750, 1e-9);
  EXPECT_NEAR(Value("@1", Unit::kVARh), 375, 1e-9);
  EXPECT_NEAR(Value("@1", Unit::kPF), 0.8, 1e-12);
  EXPECT_NEAR(Value("@1", Unit::kVolts), 230, 1e-9);
  EXPECT_NEAR(Value("@1", Unit::kAmps), 1250.0 / 230, 2e-6) << "counters hold micro-units";
  EXPECT_NEAR(Value("@1", Unit::kHz), 50, 1e-9);
  EXPECT_NEAR(Value("@2", Unit::kWatts), -400, 1e-9);
  EXPECT_NEAR(Value("@2", Unit::kPF), -0.8, 1e-12);
  EXPECT_NEAR(Value("@0", Unit::kVolts), 230, 1e-9);
  EXPECT_NEAR(Value("@0", Unit::kWatts), 230, 1e-9) << "a VT's first counter is volt-hours";
  EXPECT_NEAR(Value("@0", Unit::kAmps), 0, 1e-12);
}

TEST(Value, ScriptLevelUnitsCombineInputsAsTheOriginal) {
  // non-active: 750 (ch 1) and 300 (ch 2); watts 1000 and -400.
  EXPECT_NEAR(Value("@1+@2", Unit::kWatts), 600, 1e-9);
  EXPECT_NEAR(Value("@1+@2", Unit::kVA), std::hypot(1050, 600), 1e-9);
  EXPECT_NEAR(Value("@1+@2", Unit::kVAh), std::hypot(525, 300), 1e-9);
  EXPECT_NEAR(Value("@1+@2", Unit::kPF), 600 / std::hypot(1050, 600), 1e-12);
  EXPECT_NEAR(Value("@1+@2", Unit::kVAR), 450, 1e-9) << "measured reactive power, signed";
  EXPECT_NEAR(Value("@1+@2", Unit::kKWh), 0.3, 1e-12);
  EXPECT_EQ(Value("@5", Unit::kPF), 0) << "no VA: PF 0, not NaN";
}

TEST(Value, IntegratorsReadEnergyOrAveragePower) {
  const IntegratorDelta grid[] = {{120, -20}};
  const auto infos = input_infos(testing::TestConfig());
  const Interval iv;
  auto script = parse_original("!+grid", testing::TestNames());
  ASSERT_TRUE(script.ok());
  const IntervalOperands ops(infos, iv.older, iv.newer, iv.hours, grid);
  EXPECT_NEAR(value_of(script.value(), Unit::kWh, ops), 120, 1e-9);
  EXPECT_NEAR(value_of(script.value(), Unit::kWatts, ops), 240, 1e-9);
  EXPECT_NEAR(value_of(script.value(), Unit::kKWh, ops), 0.12, 1e-12);
  auto net = parse_original("!grid", testing::TestNames());
  ASSERT_TRUE(net.ok());
  EXPECT_NEAR(value_of(net.value(), Unit::kWh, ops), 100, 1e-9);
  EXPECT_EQ(value_of(net.value(), Unit::kVAR, ops), 0) << "an integrator is active energy";
}

TEST(Value, LiveEnergyUnitsShowPower) {
  auto config = testing::TestConfig();
  config.integrators = {testing::Def("grid", "@1+@2", "Wh")};
  auto calc = Calculator::Compile(config);
  ASSERT_TRUE(calc.ok()) << calc.error();
  std::vector<measure::ChannelValues> live(6);
  live[0] = {.volts = 230, .hz = 50};
  live[1] = {.watts = 1000, .va = 1250, .var = 750, .volts = 230, .amps = 5.43};
  live[2] = {.watts = -1400, .va = 1400, .var = 0, .volts = 230, .amps = 6.1};
  const LiveOperands ops(calc.value(), live);
  testing::TestNames names;
  auto at = [&](const char* text, Unit unit) {
    auto s = parse_original(text, names);
    EXPECT_TRUE(s.ok()) << text;
    return value_of(s.value(), unit, ops);
  };
  EXPECT_NEAR(at("@1", Unit::kWh), 1000, 1e-9);
  EXPECT_NEAR(at("@1", Unit::kPF), 0.8, 1e-12);
  EXPECT_NEAR(at("@1", Unit::kHz), 50, 1e-12);
  EXPECT_NEAR(at("!grid", Unit::kWatts), -400, 1e-9);
  EXPECT_NEAR(at("!+grid", Unit::kWatts), 0, 1e-9);
  EXPECT_NEAR(at("!-grid", Unit::kWatts), -400, 1e-9);
}

}  // namespace
}  // namespace iw::calc
