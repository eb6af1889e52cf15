#include "source/sampling_plan.h"

#include <gtest/gtest.h>

namespace iw::source {
namespace {

SamplingPlan TwoCtPlan() {
  SamplingPlan plan;
  plan.voltage_inputs = {0};
  plan.current_inputs = {{1, 0}, {2, 0}};
  return plan;
}

TEST(SamplingPlan, ContinuousScanPutsVoltageFirst) {
  EXPECT_EQ(TwoCtPlan().continuous_scan(), (std::vector<uint8_t>{0, 1, 2}));
}

TEST(SamplingPlan, RoundRobinPairsEachCtWithItsVt) {
  const auto scans = TwoCtPlan().round_robin_scans();
  ASSERT_EQ(scans.size(), 3u);
  EXPECT_EQ(scans[0], (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ(scans[2], (std::vector<uint8_t>{2, 0}));
}

TEST(SamplingPlan, RoundRobinCaptureCoversMoreThanOneAndAHalfCycles) {
  SamplingPlan plan = TwoCtPlan();
  plan.conversions_per_second = 77000;
  plan.nominal_hz = 50;
  const size_t frames = plan.round_robin_frames(2);
  const double seconds = static_cast<double>(frames) * 2 / plan.conversions_per_second;
  EXPECT_GE(seconds, 1.6 / 50);
  EXPECT_LT(seconds, 1.7 / 50);
}

TEST(SamplingPlan, ParsesModeNames) {
  SamplingMode mode{};
  EXPECT_TRUE(parse_sampling_mode("roundrobin", &mode));
  EXPECT_EQ(mode, SamplingMode::kRoundRobin);
  EXPECT_TRUE(parse_sampling_mode("continuous", &mode));
  EXPECT_EQ(mode, SamplingMode::kContinuous);
  EXPECT_FALSE(parse_sampling_mode("sometimes", &mode));
}

}  // namespace
}  // namespace iw::source
