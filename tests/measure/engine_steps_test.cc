// The engine's step events (measure/step_detector.h), fed by real per-cycle measurement.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "measure/engine.h"
#include "measure/synthetic.h"

namespace iw::measure {
namespace {

using testing::Synth;
using testing::Wave;

// 16-bit codes (16 per 12-bit count): 1000 counts peak at 0.2 V per count is 141.4 V rms;
// 100 counts peak at 0.05 A per count is 3.536 A rms, 500 W in phase.
EngineSetup OneCt(bool steps) {
  EngineSetup setup;
  setup.channels.resize(2);
  setup.channels[0].kind = ChannelKind::kVoltage;
  setup.channels[0].units_per_count = 0.2;
  setup.channels[1].kind = ChannelKind::kCurrent;
  setup.channels[1].units_per_count = 0.05;
  setup.channels[1].steps.enabled = steps;
  return setup;
}

Synth WithCurrent(double peak_counts) {
  Synth s;
  s.waves = {Wave{1000 * 16, 0, 0}, Wave{peak_counts * 16, 0, 0}};
  return s;
}

// `seconds` of 512-frame blocks whose current switches from `off` to `on` at conversion
// `switch_at` (mid-block, mid-cycle).
void Feed(Engine& engine, const Synth& off, const Synth& on, int64_t switch_at, double seconds) {
  const auto total = static_cast<int64_t>(seconds * off.conversions_per_second);
  const size_t frames = 512;
  for (int64_t conv = 0; conv < total; conv += static_cast<int64_t>(frames * off.scan.size())) {
    SampleBlock b = off.block(conv, frames);
    const SampleBlock after = on.block(conv, frames);
    for (size_t k = 0; k < b.codes.size(); ++k) {
      if (conv + static_cast<int64_t>(k) >= switch_at) b.codes[k] = after.codes[k];
    }
    engine.process(b);
  }
}

TEST(EngineSteps, ASwitchedLoadIsOneEventAtItsCycle) {
  Engine engine(OneCt(true));
  // 1.006 s: 30 % into a 20 ms cycle of a voltage that crosses zero at every 10 ms.
  const int64_t switch_at = 2 * 100'600;  // two conversions per frame at 200 000 per second
  const double switch_ns = 1.006e9;
  Feed(engine, WithCurrent(0), WithCurrent(100), switch_at, 3.0);
  ASSERT_EQ(engine.steps().size(), 1u);
  StepEvent e;
  ASSERT_TRUE(engine.steps().pop(&e));
  EXPECT_EQ(e.channel, 1);
  EXPECT_EQ(e.kind, StepKind::kOn);
  // The cycle that holds the switch saw most of it: the event is at that cycle's start.
  EXPECT_LE(static_cast<double>(e.time_ns), switch_ns);
  EXPECT_GT(static_cast<double>(e.time_ns), switch_ns - 20e6);
  EXPECT_NEAR(e.delta_w, 500, 0.5);
  EXPECT_NEAR(e.delta_var, 0, 0.5);
  EXPECT_NEAR(e.after_amps, 3.536, 0.005);
  EXPECT_NEAR(engine.live(1).peak_amps, 5.0, 0.01);  // 100 counts x 0.05 A
  EXPECT_EQ(engine.steps().dropped(), 0u);
}

TEST(EngineSteps, DisabledChannelReportsNothing) {
  Engine engine(OneCt(false));
  Feed(engine, WithCurrent(0), WithCurrent(100), 2 * 100'600, 3.0);
  EXPECT_TRUE(engine.steps().empty());
  EXPECT_NEAR(engine.live(1).values.watts, 500, 0.5);  // measured as usual
}

TEST(EngineSteps, SteadyLoadReportsNothing) {
  Engine engine(OneCt(true));
  Feed(engine, WithCurrent(100), WithCurrent(100), 0, 5.0);
  EXPECT_TRUE(engine.steps().empty());
}

}  // namespace
}  // namespace iw::measure
