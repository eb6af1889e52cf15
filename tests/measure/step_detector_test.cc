#include "measure/step_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace iw::measure {
namespace {

constexpr int64_t kCycleNs = 20'000'000;  // 50 Hz

// Feeds cycles whose power `watts(k)` gives (Irms from 230 V at PF 1 unless `amps` gives it)
// and collects the events.
template <typename Watts, typename Amps>
std::vector<StepEvent> Detect(int cycles, Watts watts, Amps amps, StepSettings settings = {}, StepQueue* queue = nullptr) {
  StepDetector detector(3, settings);
  StepQueue own(64);
  StepQueue& out = queue != nullptr ? *queue : own;
  for (int k = 0; k < cycles; ++k) {
    const double w = watts(k);
    const double a = amps(k, w);
    detector.add(StepCycle{k * kCycleNs, w, 0.1 * w, a, a * std::sqrt(2.0)}, out);
  }
  std::vector<StepEvent> events;
  StepEvent e;
  while (out.pop(&e)) events.push_back(e);
  return events;
}

template <typename Watts>
std::vector<StepEvent> Detect(int cycles, Watts watts, StepSettings settings = {}) {
  return Detect(cycles, watts, [](int, double w) { return std::fabs(w) / 230; }, settings);
}

// A deterministic uniform draw in [-1, 1].
struct Lcg {
  uint64_t s = 12345;
  double next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / static_cast<double>(1ULL << 53) * 2 - 1;
  }
};

TEST(StepDetector, StepUpAndDownAtTheirCyclesWithTheirDeltas) {
  const auto events = Detect(600, [](int k) { return k >= 100 && k < 350 ? 2000.0 : 3.0; });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].time_ns, 100 * kCycleNs);
  EXPECT_EQ(events[0].channel, 3);
  EXPECT_EQ(events[0].kind, StepKind::kOn);
  EXPECT_NEAR(events[0].delta_w, 1997, 1e-9);
  EXPECT_NEAR(events[0].delta_var, 199.7, 1e-9);
  EXPECT_NEAR(events[0].before_w, 3, 1e-9);
  EXPECT_EQ(events[0].transient_cycles, 10u);  // 2 x kSettleCycles to settle, less the settled ones
  EXPECT_TRUE(events[0].settled);
  EXPECT_EQ(events[1].time_ns, 350 * kCycleNs);
  EXPECT_EQ(events[1].kind, StepKind::kOff);
  EXPECT_NEAR(events[1].delta_w, -1997, 1e-9);
  EXPECT_EQ(events[1].inrush_amps, 0);  // a fall has no inrush
}

TEST(StepDetector, BetweenTwoLoadsIsAChange) {
  const auto events = Detect(400, [](int k) { return k >= 200 ? 2300.0 : 300.0; });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, StepKind::kChange);
  EXPECT_NEAR(events[0].delta_w, 2000, 1e-9);
}

TEST(StepDetector, StepInsideACycleIsReportedAtTheCycleThatSawEnoughOfIt) {
  // The change happens 30 % into cycle 100: that cycle reads 70 % of the step (over the
  // trigger), so the event is at its start.
  auto watts = [](double fraction_seen) {
    return [fraction_seen](int k) { return k < 100 ? 0.0 : k == 100 ? 500 * fraction_seen : 500.0; };
  };
  auto early = Detect(300, watts(0.7));
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].time_ns, 100 * kCycleNs);
  EXPECT_NEAR(early[0].delta_w, 500, 1e-9);
  // 1 % seen (5 W): under the 12.5 W trigger, so cycle 101 opens the transient, but cycle 100
  // already leaned that way by more than threshold / 10: the event goes back to it.
  auto leaning = Detect(300, watts(0.01));
  ASSERT_EQ(leaning.size(), 1u);
  EXPECT_EQ(leaning[0].time_ns, 100 * kCycleNs);
  EXPECT_NEAR(leaning[0].delta_w, 500, 1e-9);
  // 0.2 % seen (1 W): within the noise allowance; the next cycle, the first one changed.
  auto late = Detect(300, watts(0.002));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].time_ns, 101 * kCycleNs);
}

TEST(StepDetector, ThresholdIsPerChannel) {
  auto step = [](int k) { return k >= 100 ? 60.0 : 0.0; };
  EXPECT_EQ(Detect(300, step).size(), 1u);
  StepSettings coarse;
  coarse.threshold_w = 100;
  EXPECT_TRUE(Detect(300, step, coarse).empty());
  // Just over and just under the default threshold.
  EXPECT_EQ(Detect(300, [](int k) { return k >= 100 ? 26.0 : 0.0; }).size(), 1u);
  EXPECT_TRUE(Detect(300, [](int k) { return k >= 100 ? 24.0 : 0.0; }).empty());
}

TEST(StepDetector, NoiseAndAFluctuatingLoadBelowThresholdFireNothing) {
  Lcg rng;
  // A switching power supply: 300 W, +-20 W uniform from cycle to cycle, for ten minutes.
  EXPECT_TRUE(Detect(30000, [&](int) { return 300 + 20 * rng.next(); }).empty());
  // A load stepping +-20 W (under the threshold) every 7 cycles.
  EXPECT_TRUE(Detect(30000, [](int k) { return (k / 7) % 2 ? 220.0 : 200.0; }).empty());
  // The same noise does not hide a real step on that load.
  const auto events = Detect(3000, [&](int k) { return (k >= 1500 ? 400 : 300) + 20 * rng.next(); });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NEAR(static_cast<double>(events[0].time_ns) / kCycleNs, 1500, 1);
  EXPECT_NEAR(events[0].delta_w, 100, 15);
}

TEST(StepDetector, SpikesThatReturnAreNotSteps) {
  // A 3-cycle 800 W spike (a relay chatter, a surge) on a 100 W load: the power comes back.
  const auto events = Detect(500, [](int k) { return k >= 200 && k < 203 ? 900.0 : 100.0; });
  EXPECT_TRUE(events.empty());
}

TEST(StepDetector, MeasuresAnInrush) {
  // A compressor: 120 W at 0.6 A settled; starts at 6x current decaying over 8 cycles.
  auto watts = [](int k) { return k < 100 ? 0.0 : 120.0 * (k < 108 ? 6 - 0.5 * (k - 100) : 1); };
  auto amps = [](int k, double) { return k < 100 ? 0.0 : 0.6 * (k < 108 ? 6 - 0.5 * (k - 100) : 1); };
  const auto events = Detect(400, watts, amps);
  ASSERT_EQ(events.size(), 1u);
  const StepEvent& e = events[0];
  EXPECT_EQ(e.time_ns, 100 * kCycleNs);
  EXPECT_EQ(e.kind, StepKind::kOn);
  EXPECT_NEAR(e.delta_w, 120, 1e-9);
  EXPECT_NEAR(e.inrush_amps, 3.6, 1e-9);
  EXPECT_NEAR(e.inrush_peak_amps, 3.6 * std::sqrt(2.0), 1e-9);
  EXPECT_NEAR(e.after_amps, 0.6, 1e-9);
  EXPECT_EQ(e.inrush_cycles, 8u);       // cycles 100-107 exceed 0.66 A
  EXPECT_EQ(e.transient_cycles, 18u);   // the inrush, then 10 stable cycles twice over
}

TEST(StepDetector, LevelsAfterAreClearOfAnInrushTail) {
  // 10x current decaying with a time constant of 5 cycles: the transient settles while the
  // tail still adds ~0.7 % over 10 cycles; the levels after come from the 16 cycles after that.
  auto level = [](int k) { return k < 100 ? 0.0 : 1 + 9 * std::exp(-(k - 100) / 5.0); };
  const auto events = Detect(500, [&](int k) { return 120 * level(k); }, [&](int k, double) { return 0.6 * level(k); });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NEAR(events[0].delta_w, 120, 0.1);
  EXPECT_NEAR(events[0].inrush_amps, 6, 1e-9);
}

TEST(StepDetector, AStepDuringTheConfirmationIsItsOwnEvent) {
  // The second step comes 25 cycles after the first, before the first's levels are confirmed.
  const auto events = Detect(400, [](int k) { return k < 100 ? 0.0 : k < 125 ? 1000.0 : 1500.0; });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].time_ns, 100 * kCycleNs);
  EXPECT_NEAR(events[0].delta_w, 1000, 1e-9);
  EXPECT_EQ(events[1].time_ns, 125 * kCycleNs);
  EXPECT_NEAR(events[1].delta_w, 500, 1e-9);
}

TEST(StepDetector, ARampIsOneEventFromItsFirstCycle) {
  // An EV charger: 0 -> 7000 W over 5 s (250 cycles), then on for a while, then off.
  auto watts = [](int k) {
    if (k < 100) return 0.0;
    if (k < 350) return 7000.0 * (k - 100 + 1) / 250;
    return k < 1000 ? 7000.0 : 0.0;
  };
  const auto events = Detect(1500, watts);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].time_ns, 100 * kCycleNs);
  EXPECT_EQ(events[0].kind, StepKind::kOn);
  EXPECT_NEAR(events[0].delta_w, 7000, 1e-9);
  EXPECT_GE(events[0].transient_cycles, 249u);
  EXPECT_EQ(events[1].kind, StepKind::kOff);
}

TEST(StepDetector, AFlappingLoadThatNeverSettlesEndsAtTheLimit) {
  // 0 W, then a load that swings 0-1000 W every 3 cycles for longer than the limit.
  const int start = 100;
  const int end = start + static_cast<int>(StepDetector::kMaxTransientCycles) + 200;
  const auto events = Detect(end + 200, [&](int k) { return k >= start && k < end && (k / 3) % 2 ? 1000.0 : 0.0; });
  ASSERT_GE(events.size(), 1u);
  EXPECT_EQ(events[0].time_ns, start * kCycleNs);  // (100 / 3) is odd: the first cycle at 1000 W
  EXPECT_FALSE(events[0].settled);
}

TEST(StepQueue, BoundedWithDroppedCount) {
  StepQueue queue(2);
  // Three steps into a queue of two: the first two are kept, the third is dropped and counted.
  const auto events = Detect(
      1000, [](int k) { return k >= 600 ? 0.0 : k >= 400 ? 900.0 : k >= 200 ? 500.0 : 0.0; },
      [](int, double w) { return w / 230; }, StepSettings{}, &queue);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].time_ns, 200 * kCycleNs);
  EXPECT_EQ(events[1].time_ns, 400 * kCycleNs);
  EXPECT_EQ(queue.dropped(), 1u);
  EXPECT_EQ(queue.pushed(), 2u);
  EXPECT_TRUE(queue.empty());
  // Room again after the drain.
  EXPECT_TRUE(queue.push(StepEvent{}));
  EXPECT_EQ(queue.size(), 1u);
  StepQueue none(0);
  EXPECT_FALSE(none.push(StepEvent{}));
  EXPECT_EQ(none.dropped(), 1u);
}

}  // namespace
}  // namespace iw::measure
