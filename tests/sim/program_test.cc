#include "sim/program.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "sim_testing.h"

namespace iw::sim {
namespace {

using testing::kNoonNs;

constexpr double kPeriod = 0.02;

TEST(Program, StepsRampsInrushAndRepeats) {
  const Program p{10, 100, 0, {{0, 1, 0, 4, 0.1}, {20, 0.5, 1}, {50, 0}}};
  ASSERT_TRUE(p.validate().ok());
  ProgramState state;
  SplitMix rng(1);
  std::vector<std::pair<double, ProgramState::Change>> changes;
  std::map<int, double> level;  // by cycle
  for (int k = 0; k < 10000; ++k) {  // 200 s
    const double t = k * kPeriod;
    ProgramState::Change c;
    if (state.advance(p, t, kPeriod, rng, c)) changes.emplace_back(t, c);
    level[k] = state.level();
  }
  ASSERT_EQ(changes.size(), 6u);  // two runs of three steps
  EXPECT_NEAR(changes[0].first, 10, 1e-9);
  EXPECT_EQ(changes[0].second.before, 0);
  EXPECT_EQ(changes[0].second.after, 1);
  EXPECT_NEAR(changes[1].first, 30, 1e-9);
  EXPECT_EQ(changes[1].second.after, 0.5);
  EXPECT_EQ(changes[1].second.ramp_s, 1);
  EXPECT_NEAR(changes[3].first, 110, 1e-9);
  EXPECT_EQ(level[499], 0);                      // before the first run
  EXPECT_NEAR(level[500], 4, 1e-9);              // inrush at the first cycle
  EXPECT_NEAR(level[505], 1 + 3 * std::exp(-1.0), 1e-9);  // one time constant later
  EXPECT_NEAR(level[1500], 1 - 0.5 * 0.02, 1e-9);  // a ramp's first cycle carries one cycle of it
  EXPECT_NEAR(level[1525], 1 - 0.5 * 0.52, 1e-9);
  EXPECT_EQ(level[1600], 0.5);
  EXPECT_EQ(level[3000], 0);

  EXPECT_FALSE((Program{0, 40, 0, {{0, 1}, {50, 0}}}.validate().ok()));  // a run longer than its period
  EXPECT_FALSE((Program{0, 100, 0, {{10, 1}, {5, 0}}}.validate().ok()));  // out of order
}

TEST(Program, TrueStepsMatchTheTruthsPowerChange) {
  // The scenario's steps over its first 150 s (LED lighting at 30 s, the washer's heater and
  // drum from 130 s): each TrueStep's delta_w against the change of the truth's mean power
  // over half a second before the step and half a second after it has settled.
  Panel panel = make_scenario("appliance-events-230v-50hz").value();
  panel.adc.mode = AdcMode::kIdeal;
  auto sim = Simulator::create(panel, plan_for(panel), kNoonNs, 5).value();
  constexpr int64_t kGrid = 250'000'000;
  std::map<int64_t, Truth> truths;  // at multiples of kGrid after the start
  std::vector<TrueStep> steps;
  measure::SampleBlock block;
  while (sim->next_block_ns() < kNoonNs + 150'000'000'000) {
    ASSERT_TRUE(sim->read(block).ok());
    const int64_t at = (sim->next_block_ns() - kNoonNs) / kGrid * kGrid;
    if (!truths.contains(at)) truths[at] = sim->truth_until(kNoonNs + at, Accrual::kCycleMean).value();
    for (const TrueStep& s : sim->take_steps()) steps.push_back(s);
  }
  auto mean_watts = [&](int input, int64_t from, int64_t to) {
    return (truths.at(to).find(input)->energy_j - truths.at(from).find(input)->energy_j) * 1e9 /
           static_cast<double>(to - from);
  };
  int checked = 0;
  for (const TrueStep& s : steps) {
    const int64_t t = s.time_ns - kNoonNs;
    if (t < 2'000'000'000 || t > 147'000'000'000) continue;
    const int64_t before = t / kGrid * kGrid;
    const int64_t after = before + 2 * kGrid + static_cast<int64_t>(std::ceil(s.ramp_s * 4)) * kGrid;
    const double change = mean_watts(s.input, after, after + 2 * kGrid) - mean_watts(s.input, before - 2 * kGrid, before);
    EXPECT_NEAR(s.delta_w, change, 1e-3 * std::fabs(change)) << "input " << s.input << " at " << t * 1e-9 << " s";
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

}  // namespace
}  // namespace iw::sim
