#include "sim/adc.h"

#include <cmath>

#include <gtest/gtest.h>

#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "sim_testing.h"

namespace iw::sim {
namespace {

AdcModel Real12(double noise = 0.7, double inl = 1, double offset = 3) {
  AdcModel m;
  m.mode = AdcMode::kReal;
  m.bits = 12;
  m.noise_lsb = noise;
  m.inl_lsb = inl;
  m.offset_lsb = offset;
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
}

TEST(Adc, TwelveBitQuantisesAndClips) {
  Adc adc(Real12(0, 0, 0), 1);
  EXPECT_EQ(adc.convert(1, 0), 2048);
  EXPECT_EQ(adc.convert(1, 10.4), 2058);
  EXPECT_EQ(adc.convert(1, -10.6), 2037);
  EXPECT_EQ(adc.convert(1, 5000), 4095);
  EXPECT_EQ(adc.convert(1, -5000), 0);
}

TEST(Adc, TenBit) {
  AdcModel m = Real12(0, 0, 0);
  m.bits = 10;
  Adc adc(m, 1);
  EXPECT_EQ(adc.convert(0, 0), 512);
  EXPECT_EQ(adc.convert(0, 1e4), 1023);
}

TEST(Adc, NoiseOffsetAndInlAreBoundedAndSeeded) {
  Adc adc(Real12(), 7);
  Adc same(Real12(), 7);
  const int n = 20000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double c = adc.convert(2, 100.3);
    EXPECT_EQ(c, same.convert(2, 100.3));
    sum += c;
    sum2 += c * c;
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sum2 / n - mean * mean);
  EXPECT_NEAR(mean, 2048 + 100.3, 3 + 1 + 0.1);   // offset <= 3, INL <= 1
  EXPECT_NEAR(sd, std::sqrt(0.49 + 1.0 / 12), 0.1);  // noise plus quantisation
  EXPECT_LE(std::fabs(adc.offset(2) - 2048), 3.0);
  // Different inputs get different offsets.
  EXPECT_NE(adc.offset(1), adc.offset(2));
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
