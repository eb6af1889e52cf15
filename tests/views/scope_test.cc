#include "views/scope.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace iw::views {
namespace {

// Two channels (0: VT, 1: CT) scanned alternately at 10 000 conversions/s, 50 Hz sines around
// the mid-scale offset 2048: V amplitude 1000 counts, I amplitude 500 counts lagging 30 degrees.
measure::SampleBlock block(int64_t start_ns, size_t frames, int bits = 12) {
  measure::SampleBlock b;
  b.start_ns = start_ns;
  b.conversion_ns = 100'000;
  b.adc_bits = bits;
  b.scan = {0, 1};
  const double scale = std::ldexp(1.0, bits - 12);
  for (size_t f = 0; f < frames; ++f) {
    for (size_t s = 0; s < 2; ++s) {
      const double t = b.instant_ns(f, s) * 1e-9;
      const double w = 2 * std::numbers::pi * 50 * t;
      const double counts = s == 0 ? 1000 * std::sin(w) : 500 * std::sin(w - std::numbers::pi / 6);
      b.codes.push_back(static_cast<uint16_t>(std::lround((2048 + counts) * scale)));
    }
  }
  return b;
}

measure::EngineSetup setup() {
  measure::EngineSetup s;
  s.channels.resize(3);
  s.channels[0].kind = measure::ChannelKind::kVoltage;
  s.channels[0].units_per_count = 0.25;  // 1000 counts = 250 V peak
  s.channels[1].kind = measure::ChannelKind::kCurrent;
  s.channels[1].units_per_count = 0.1;  // 500 counts = 50 A peak
  s.channels[1].vt = 0;
  return s;
}

double peak(const std::vector<double>& v) {
  double p = 0;
  for (double x : v) p = std::max(p, std::abs(x));
  return p;
}

TEST(Scope, ScalesRemovesTheOffsetAndFindsTheFrequency) {
  const std::vector<measure::SampleBlock> blocks = {block(0, 400), block(80'000'000, 400)};
  auto w = extract_waveform(blocks, setup(), 1);
  ASSERT_TRUE(w) << w.error();
  EXPECT_EQ(w->t_ms.size(), 800u);
  EXPECT_NEAR(w->hz, 50, 0.01);
  EXPECT_NEAR(peak(w->volts), 250, 1);
  EXPECT_NEAR(peak(w->amps), 50, 0.2);
  EXPECT_NEAR(w->t_ms[1] - w->t_ms[0], 0.2, 1e-9);
  // Current lags voltage by 30 degrees: instantaneous power averages V I cos(30) / 2.
  double p = 0;
  for (size_t k = 0; k < w->volts.size(); ++k) p += w->volts[k] * w->amps[k];
  EXPECT_NEAR(p / static_cast<double>(w->volts.size()), 250 * 50 * std::cos(std::numbers::pi / 6) / 2, 60);
  const std::string text = waveform_text(w.value());
  EXPECT_EQ(text.rfind("samples 800\n", 0), 0u) << text.substr(0, 40);
  EXPECT_EQ(waveform_json(w.value())["amps"].size(), 800u);
}

TEST(Scope, TenBitCodesAreRescaledAndAVoltageChannelHasNoCurrent) {
  auto w = extract_waveform({block(0, 800, 10)}, setup(), 0);
  ASSERT_TRUE(w) << w.error();
  EXPECT_TRUE(w->is_voltage);
  EXPECT_TRUE(w->amps.empty());
  EXPECT_NEAR(peak(w->volts), 250, 2);
}

TEST(Scope, MissingChannelOrSamplesIsAnError) {
  EXPECT_FALSE(extract_waveform({block(0, 10)}, setup(), 2));   // unused channel
  EXPECT_FALSE(extract_waveform({block(0, 10)}, setup(), 15));  // no such channel
  EXPECT_FALSE(extract_waveform({}, setup(), 1));               // nothing captured
}

}  // namespace
}  // namespace iw::views
