// The whole chain the daemon uses, checked against the simulator's ground truth: scenario ->
// its config.txt -> config parser and model catalog -> wiring -> engine. Every channel of
// every scenario (split-phase legs, `double`, derived three-phase, line-to-line, solar
// export) must measure its true energy.
#include <gtest/gtest.h>

#include "app/wiring.h"
#include "config/config_parser.h"
#include "measure/engine.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"

namespace iw {
namespace {

constexpr int64_t kStart = 1'780'000'000'000'000'000;  // mid-day in UTC: solar is exporting
constexpr int64_t kSecond = 1'000'000'000;

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioTest, EveryChannelMeasuresItsTrueEnergy) {
  auto panel = sim::make_scenario(GetParam());
  ASSERT_TRUE(panel.ok()) << panel.error();
  panel->adc.mode = sim::AdcMode::kIdeal;
  auto cfg = config::parse_config(panel->iotawatt_config(), config::ModelCatalog::builtin());
  ASSERT_TRUE(cfg.ok()) << cfg.error();
  const app::AdcScaling scaling{panel->adc.vref, 13};
  measure::Engine engine(app::engine_setup(cfg.value(), scaling));
  const source::SamplingPlan plan = app::sampling_plan(cfg.value(), 200000, panel->mains.hz);
  auto simulator = sim::Simulator::create(panel.value(), plan, kStart, 3);
  ASSERT_TRUE(simulator.ok()) << simulator.error();
  sim::Simulator& sim = *simulator.value();

  std::vector<measure::ChannelCounters> first, last;
  sim::Truth truth_first, truth_last;
  engine.set_checkpoints(kSecond, [&](const measure::Checkpoint& cp) {
    if (cp.time_ns < kStart + kSecond) return;
    auto truth = sim.truth_until(cp.time_ns, sim::Accrual::kCycleMean);
    ASSERT_TRUE(truth.ok()) << truth.error();
    if (first.empty()) {
      first = cp.counters;
      truth_first = truth.value();
    }
    last = cp.counters;
    truth_last = truth.value();
  });
  measure::SampleBlock block;
  while (sim.next_block_ns() < kStart + 6 * kSecond) {
    ASSERT_TRUE(sim.read(block).ok());
    engine.process(block);
  }
  ASSERT_FALSE(last.empty());
  int measured_channels = 0;
  int busy_channels = 0;
  for (const sim::Channel& ch : panel->channels) {
    if (ch.type != sim::ChannelType::kCT) continue;
    const size_t i = static_cast<size_t>(ch.input);
    const auto net = [](const measure::ChannelCounters& c) { return c.wh_import.value() - c.wh_export.value(); };
    const double measured = net(last[i]) - net(first[i]);
    double expected = truth_last.find(ch.input)->wh() - truth_first.find(ch.input)->wh();
    // Unsigned channels report the magnitude.
    if (!ch.m.is_signed) expected = std::abs(expected);
    const double tolerance = std::max(1e-3 * std::abs(expected), 1e-4);  // 0.1 %, or 0.1 mWh
    EXPECT_NEAR(measured, expected, tolerance) << GetParam() << " channel " << ch.input << " " << ch.name;
    ++measured_channels;
    busy_channels += std::abs(expected) > 0.5 ? 1 : 0;
  }
  EXPECT_GE(measured_channels, 4);
  EXPECT_GE(busy_channels, 3);  // the comparison is not between zeros
}

INSTANTIATE_TEST_SUITE_P(AllScenarios, ScenarioTest, ::testing::ValuesIn(sim::scenario_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace iw
