#include "sim/adc.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "sim/random.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "sim_testing.h"

namespace iw::sim {
namespace {

AdcModel Real12() {
  AdcModel m;
  m.mode = AdcMode::kReal;
  m.bits = 12;
  return m;
}

// A 12-bit converter with every error at zero: quantisation only.
AdcModel Perfect12() {
  AdcModel m = Real12();
  m.offset_lsb = m.input_gain_pct = m.dnl_lsb = m.inl_lsb = m.gain_lsb = m.noise_lsb = 0;
  m.reference_pct = m.supply_pct = 0;
  return m;
}

TEST(Adc, IdealIsSixteenBitRoundToNearest) {
  AdcModel m;
  EXPECT_EQ(m.effective_bits(), 16);
  EXPECT_DOUBLE_EQ(m.mid_code(), 32768);
  EXPECT_DOUBLE_EQ(m.lsb_volts(), 3.3 / 65536);
  Adc adc(m, 1);
  EXPECT_EQ(adc.convert(3, 0), 32768);
  EXPECT_EQ(adc.convert(3, 10.49), 32778);
  EXPECT_EQ(adc.convert(3, -10.51), 32757);
  EXPECT_EQ(adc.convert(3, 1e9), 65535);
  EXPECT_EQ(adc.convert(3, -1e9), 0);
  EXPECT_EQ(adc.effective_gain(3), 1);
}

TEST(Adc, TwelveBitQuantisesAndClips) {
  Adc adc(Perfect12(), 1);
  EXPECT_EQ(adc.convert(1, 0), 2048);
  EXPECT_EQ(adc.convert(1, 10.4), 2058);
  EXPECT_EQ(adc.convert(1, -10.6), 2037);
  EXPECT_EQ(adc.convert(1, 5000), 4095);
  EXPECT_EQ(adc.convert(1, -5000), 0);
}

TEST(Adc, TenBit) {
  AdcModel m = Perfect12();
  m.bits = 10;
  Adc adc(m, 1);
  EXPECT_EQ(adc.convert(0, 0), 512);
  EXPECT_EQ(adc.convert(0, 1e4), 1023);
}

TEST(Adc, ValidateRejectsMissingCodesAndNegativeBounds) {
  AdcModel m = Real12();
  EXPECT_TRUE(m.validate().ok());
  m.dnl_lsb = 1.2;
  EXPECT_FALSE(m.validate().ok());
  m = Real12();
  m.gain_lsb = -1;
  EXPECT_FALSE(m.validate().ok());
  m = Real12();
  m.reference_volts = 3.5;
  EXPECT_FALSE(m.validate().ok());
}

// Histogram of a slow ramp (64 steps per LSB, no noise): every code is hit (no missing
// codes), each code's width is the model's, and |DNL| <= 1 LSB, for every chip of 20 seeds.
TEST(Adc, RampHistogramMatchesTransitionsAndBoundsDnl) {
  constexpr int kSteps = 64;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Adc adc(Real12(), seed);
    for (int input : {0, 8, 16, 24}) {
      const AdcTransfer& t = adc.chip(input);
      std::vector<int> hits(4096, 0);
      for (int k = -2 * kSteps; k <= 4100 * kSteps; ++k) ++hits[t.code((k + 0.5) / kSteps)];
      for (int c = 1; c < 4095; ++c) {
        ASSERT_GT(hits[c], 0) << "missing code " << c << " seed " << seed;
        const double width = static_cast<double>(hits[c]) / kSteps * t.gain();
        EXPECT_NEAR(width - 1, t.dnl(c), 1.5 / kSteps) << "code " << c;
        EXPECT_LE(std::fabs(t.dnl(c)), 0.95 + 1e-3) << "code " << c;
      }
    }
  }
}

// The O(1) lookup agrees with a search of the transition levels, at every INL grade, near
// every transition and beyond both ends.
TEST(Adc, CodeIsTheBinHoldingTheInput) {
  for (double inl : {0.0, 1.0, 2.0}) {
    AdcModel m = Real12();
    m.inl_lsb = inl;
    Adc adc(m, 11);
    const AdcTransfer& t = adc.chip(8);
    std::vector<double> levels;
    for (int c = 1; c <= 4095; ++c) levels.push_back(t.transition(c));
    auto search = [&](double x) {
      return static_cast<int>(std::upper_bound(levels.begin(), levels.end(), x) - levels.begin());
    };
    SplitMix rng(3);
    for (int k = 0; k < 200000; ++k) {
      const double x = rng.uniform(-10, 4106);
      ASSERT_EQ(t.code(x), search(x)) << "x " << x << " inl " << inl;
    }
    for (int c = 1; c <= 4095; ++c) {
      const double x = t.transition(c);
      ASSERT_EQ(t.code(std::nextafter(x, -1e9)), c - 1) << c;
      ASSERT_EQ(t.code(std::nextafter(x, 1e9)), c) << c;
    }
  }
}

// A sine through the whole input path with noise: the codes it spans are all present.
TEST(Adc, SineHistogramHasNoMissingCodes) {
  Adc adc(Real12(), 5);
  std::vector<int> hits(4096, 0);
  const int n = 2'000'000;
  for (int k = 0; k < n; ++k) ++hits[adc.convert(3, 1900 * std::sin(0.0012345 * k))];
  const int lo = 2048 - 1800, hi = 2048 + 1800;
  for (int c = lo; c <= hi; ++c) EXPECT_GT(hits[c], 0) << "code " << c;
}

TEST(Adc, InlAndGainErrorWithinDatasheetLimits) {
  for (double inl : {1.0, 2.0}) {  // B and C grade
    AdcModel m = Real12();
    m.inl_lsb = inl;
    m.gain_lsb = inl == 1 ? 3 : 5;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
      Adc adc(m, seed);
      for (int input : {0, 8}) {
        const AdcTransfer& t = adc.chip(input);
        double worst = 0;
        for (int c = 1; c <= 4095; ++c) worst = std::max(worst, std::fabs(t.inl(c)));
        EXPECT_LE(worst, inl + 1e-3);
        // Gain error: the full-scale transition moves by at most gain_lsb (plus its INL).
        const double full_scale_error = 4094.5 - t.transition(4095);
        EXPECT_LE(std::fabs(full_scale_error), m.gain_lsb + inl + 1e-3);
        EXPECT_LE(std::fabs(t.gain() - 1), m.gain_lsb / 4096 + 1e-12);
      }
    }
  }
}

// A SAR's capacitor mismatch puts its widest step at the mid-scale carry: on average over
// many chips |DNL(2047)| is several times a typical code's.
TEST(Adc, MidScaleCarryCarriesTheLargestDnl) {
  double carry = 0, ordinary = 0;
  int chips = 0;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    Adc adc(Real12(), seed);
    for (int input : {0, 8, 16, 24}) {
      const AdcTransfer& t = adc.chip(input);
      carry += std::fabs(t.dnl(2047));
      for (int c : {100, 777, 1500, 2222, 2900, 3333}) ordinary += std::fabs(t.dnl(c)) / 6;
      ++chips;
    }
  }
  EXPECT_GT(carry / chips, 3 * ordinary / chips);
}

TEST(Adc, DrawsArePerInputPerChipAndSeeded) {
  Adc a(Real12(), 7), same(Real12(), 7), other(Real12(), 8);
  for (int i = 0; i < 15; ++i) {
    EXPECT_LE(std::fabs(a.offset_lsb(i)), 3.0);
    EXPECT_LE(std::fabs(a.input_gain(i)), 0.01);
    EXPECT_EQ(a.offset_lsb(i), same.offset_lsb(i));
    EXPECT_EQ(a.input_gain(i), same.input_gain(i));
    EXPECT_NE(a.offset_lsb(i), other.offset_lsb(i));
    EXPECT_NE(a.input_gain(i), other.input_gain(i));
    for (int j = 0; j < i; ++j) {
      EXPECT_NE(a.offset_lsb(i), a.offset_lsb(j));
      EXPECT_NE(a.input_gain(i), a.input_gain(j));
    }
  }
  // One converter per chip: inputs 0-7 share chip 0's transfer, chip 1's differs.
  EXPECT_EQ(&a.chip(0), &a.chip(7));
  EXPECT_NE(a.chip(0).dnl(2047), a.chip(8).dnl(2047));
  EXPECT_EQ(a.chip(8).dnl(2047), same.chip(8).dnl(2047));
  EXPECT_NE(a.chip(8).dnl(2047), other.chip(8).dnl(2047));
  EXPECT_EQ(a.full_scale_error(), same.full_scale_error());
  EXPECT_NE(a.full_scale_error(), other.full_scale_error());
}

// After the daemon's reference correction the full-scale error is the shunt's tolerance plus
// chip 1's error in reading it (offset, INL and gain at code ~3100); without a reference it is
// the supply's.
TEST(Adc, FullScaleErrorFollowsTheReference) {
  AdcModel m = Real12();
  double worst = 0, worst_supply = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    worst = std::max(worst, std::fabs(Adc(m, seed).full_scale_error()));
    AdcModel plain = m;
    plain.reference_corrected = false;
    worst_supply = std::max(worst_supply, std::fabs(Adc(plain, seed).full_scale_error()));
  }
  const double reading = (3 + 1 + 3 + 0.5) / 3000;  // offset, INL, gain, rounding over the code
  EXPECT_LE(worst, 0.005 + reading);
  EXPECT_GT(worst, 0.003);  // the shunt's tolerance is really drawn
  EXPECT_LE(worst_supply, 0.0205);
  EXPECT_GT(worst_supply, 0.015);
}

TEST(Adc, NoiseIsGaussianAtTheModelRms) {
  AdcModel m = Real12();
  Adc adc(m, 7);
  const int n = 20000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double c = adc.convert(2, 100.3);
    sum += c;
    sum2 += c * c;
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(sd, std::sqrt(0.49 + 1.0 / 12), 0.15);  // noise plus quantisation, DNL aside
  const AdcInput& in = adc.input(2);
  EXPECT_NEAR(mean, in.level * in.transfer->gain() + in.gain * 100.3 * in.transfer->gain(), 1.1);
}

TEST(Adc, SimulatorTwelveBitClipsOverload) {
  TestPoint tp;
  tp.amps = 150;  // 100 A CT: its ADC input clips at about 117 A rms
  tp.adc = Real12();
  auto panel = make_test_point(tp);
  ASSERT_TRUE(panel.ok()) << panel.error();
  auto sim = Simulator::create(panel.value(), plan_for(panel.value()), testing::kNoonNs, 3);
  ASSERT_TRUE(sim.ok()) << sim.error();
  measure::SampleBlock block;
  int low = 0, high = 0;
  for (int b = 0; b < 10; ++b) {
    ASSERT_TRUE(sim.value()->read(block).ok());
    EXPECT_EQ(block.adc_bits, 12);
    for (size_t f = 0; f < block.frames(); ++f) {
      const uint16_t c = block.code(f, 1);
      EXPECT_LE(c, 4095);
      low += c == 0;
      high += c == 4095;
    }
  }
  EXPECT_GT(low, 10);
  EXPECT_GT(high, 10);
}

}  // namespace
}  // namespace iw::sim
