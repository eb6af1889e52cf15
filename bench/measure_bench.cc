// Conversions per second of the measurement engine on one core, 15 channels (1 VT + 14 CTs),
// in both sampling modes, with step detection on every CT (the default) and, for the
// continuous mode, without it (BM_Continuous15NoSteps: the cost of the detectors is the
// difference). Compare to the ADC limit: 2 x MCP3208 = 200 000 conversions/s.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "measure/engine.h"

namespace {

using iw::measure::ChannelKind;
using iw::measure::Engine;
using iw::measure::EngineSetup;
using iw::measure::SampleBlock;

constexpr int kChannels = 15;
constexpr double kRate = 200000;

EngineSetup Panel(bool steps) {
  EngineSetup setup;
  setup.channels.resize(kChannels);
  setup.channels[0].kind = ChannelKind::kVoltage;
  setup.channels[0].units_per_count = 0.2;
  for (int ch = 1; ch < kChannels; ++ch) {
    auto& c = setup.channels[ch];
    c.kind = ChannelKind::kCurrent;
    c.units_per_count = 0.05;
    c.phase.p50 = {3.1, 4, 2.9, 8, 2.7, 12, 2.6};  // current-dependent lead, looked up per cycle
    c.steps.enabled = steps;
  }
  return setup;
}

uint16_t Code(int ch, double t) {
  const double w = 2 * std::numbers::pi * 50 * t;
  const double amp = ch == 0 ? 1500 : 40.0 * ch;
  return static_cast<uint16_t>(std::lround(2048 + amp * std::sin(w - 0.1 * ch)));
}

// Two seconds of blocks, generated once.
std::vector<SampleBlock> Blocks(bool round_robin) {
  std::vector<SampleBlock> blocks;
  int64_t conv = 0;
  const int64_t total = static_cast<int64_t>(2 * kRate);
  int next_channel = 1;
  while (conv < total) {
    SampleBlock b;
    b.conversion_ns = 1e9 / kRate;
    b.start_ns = static_cast<int64_t>(std::llround(static_cast<double>(conv) * b.conversion_ns));
    if (round_robin) {
      b.scan = {static_cast<uint8_t>(next_channel), 0};
      next_channel = next_channel % (kChannels - 1) + 1;
    } else {
      for (int ch = 0; ch < kChannels; ++ch) b.scan.push_back(static_cast<uint8_t>(ch));
    }
    const size_t frames = round_robin ? static_cast<size_t>(1.6 / 50 * kRate / 2) : 512;
    for (size_t f = 0; f < frames; ++f) {
      for (size_t s = 0; s < b.scan.size(); ++s) {
        b.codes.push_back(Code(b.scan[s], static_cast<double>(conv) / kRate));
        ++conv;
      }
    }
    blocks.push_back(std::move(b));
  }
  return blocks;
}

void Run(benchmark::State& state, bool round_robin, bool steps = true) {
  std::vector<SampleBlock> blocks = Blocks(round_robin);
  const int64_t span_ns = static_cast<int64_t>(2e9);
  Engine engine(Panel(steps));
  int64_t shift = 0;
  int64_t conversions = 0;
  for (auto _ : state) {
    for (SampleBlock& b : blocks) {
      b.start_ns += shift;
      engine.process(b);
      b.start_ns -= shift;
      conversions += static_cast<int64_t>(b.codes.size());
    }
    shift += span_ns;
  }
  state.counters["conversions/s"] = benchmark::Counter(static_cast<double>(conversions), benchmark::Counter::kIsRate);
  state.counters["x_adc_limit"] =
      benchmark::Counter(static_cast<double>(conversions) / kRate, benchmark::Counter::kIsRate);
  state.counters["cycles"] = static_cast<double>(engine.stats().channel_cycles);
}

void BM_Continuous15(benchmark::State& state) { Run(state, false); }
void BM_RoundRobin15(benchmark::State& state) { Run(state, true); }
void BM_Continuous15NoSteps(benchmark::State& state) { Run(state, false, false); }

BENCHMARK(BM_Continuous15)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Continuous15NoSteps)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RoundRobin15)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
