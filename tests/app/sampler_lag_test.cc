#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include "app/sampler.h"
#include "source/clock.h"

namespace iw::app {
namespace {

// An ADC stand-in that paces itself: each read() waits 10 ms, then returns the 10 ms of
// conversions that just ended, stamped by `clock` (far from the Unix clock, as
// CLOCK_MONOTONIC is).
class SelfPacedSource final : public source::SampleSource {
 public:
  explicit SelfPacedSource(source::NanoClock clock) : clock_(std::move(clock)) {}
  Status read(measure::SampleBlock& block) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    constexpr size_t kFrames = 100;  // 10 ms at 10 000 frames/s
    block.conversion_ns = 50'000;
    block.adc_bits = 12;
    block.scan = {0, 1};
    block.codes.assign(kFrames * 2, 2048);
    for (size_t f = 0; f < kFrames; ++f) {
      block.codes[f * 2] = static_cast<uint16_t>(2048 + 1000 * std::sin(2 * M_PI * 50 * static_cast<double>(f) * 1e-4));
    }
    block.start_ns = clock_() - static_cast<int64_t>(block.conversion_ns * static_cast<double>(block.codes.size()));
    return Status::Ok();
  }
  std::string describe() const override { return "self-paced test source"; }

 private:
  source::NanoClock clock_;
};

measure::EngineSetup OneCt() {
  measure::EngineSetup setup;
  setup.channels.resize(2);
  setup.channels[0].kind = measure::ChannelKind::kVoltage;
  setup.channels[0].units_per_count = 0.2;
  setup.channels[1].kind = measure::ChannelKind::kCurrent;
  setup.channels[1].units_per_count = 0.05;
  setup.channels[1].vt = 0;
  return setup;
}

// The lag of a source that paces itself is read on the clock it stamps its blocks with.
TEST(SamplerLag, AnAdcsLagIsMeasuredOnItsOwnClock) {
  const source::NanoClock clock = [] { return source::monotonic_now_ns() + 1'000'000'000; };
  SamplerOptions options;
  options.paced = false;
  options.source_clock = clock;
  Sampler sampler(std::make_unique<SelfPacedSource>(clock), OneCt(), options);
  sampler.start();
  SamplerSnapshot snap;
  for (int i = 0; i < 60 && snap.time_ns == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    snap = sampler.snapshot();
  }
  sampler.stop();
  ASSERT_NE(snap.time_ns, 0) << "no checkpoint in 6 s";
  EXPECT_GE(snap.lag_peak_ms, 0);
  EXPECT_LT(snap.lag_peak_ms, 500);  // a block's processing, not the distance between two clocks
}

}  // namespace
}  // namespace iw::app
