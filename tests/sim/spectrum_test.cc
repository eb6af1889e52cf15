#include "sim/spectrum.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace iw::sim {
namespace {

constexpr double kPi = std::numbers::pi;

Spectrum Voltage() { return {{1, {325.0, 0.0}}, {3, std::polar(6.0, 0.3)}, {5, std::polar(8.0, kPi)}}; }
Spectrum Current() { return {{1, std::polar(14.0, -0.7)}, {2, {0.5, 0.1}}, {3, std::polar(3.0, 2.0)}}; }

double NumericIntegral(const Spectrum& a, const Spectrum& b, double theta_end) {
  const int n = 200000;  // midpoint rule
  const double h = theta_end / n;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double th = (i + 0.5) * h;
    sum += value_at(a, th) * value_at(b, th);
  }
  return sum * h;
}

TEST(Spectrum, PureSineRmsAndStart) {
  const Spectrum v{{1, {std::sqrt(2.0) * 230, 0}}};
  EXPECT_NEAR(rms(v), 230, 1e-12);
  EXPECT_NEAR(value_at(v, 0), 0, 1e-12);
  EXPECT_GT(value_at(v, 0.1), 0);  // rising crossing at theta = 0
  EXPECT_NEAR(value_at(v, kPi / 2), std::sqrt(2.0) * 230, 1e-9);
}

TEST(Spectrum, MeanProductMatchesFullCycleIntegral) {
  const double exact = mean_product(Voltage(), Current());
  EXPECT_NEAR(integral_product(Voltage(), Current(), 2 * kPi) / (2 * kPi), exact, 1e-9);
  EXPECT_NEAR(NumericIntegral(Voltage(), Current(), 2 * kPi) / (2 * kPi), exact, 1e-6);
}

TEST(Spectrum, PartialIntegralIsExact) {
  for (double th : {0.0, 0.37, 1.9, 3.3, 5.999}) {
    EXPECT_NEAR(integral_product(Voltage(), Current(), th), NumericIntegral(Voltage(), Current(), th), 1e-5)
        << "theta " << th;
  }
}

TEST(Spectrum, AdvanceIsATimeShift) {
  const Spectrum s = Voltage();
  const Spectrum a = advanced(s, 0.25);
  for (double th : {0.0, 1.0, 2.5}) EXPECT_NEAR(value_at(a, th), value_at(s, th + 0.25), 1e-9);
}

TEST(Spectrum, AddMergesOrders) {
  Spectrum sum = Voltage();
  add_to(sum, Current(), -1.0);
  ASSERT_EQ(sum.size(), 4u);
  EXPECT_EQ(sum[1].order, 2);
  for (double th : {0.2, 4.0}) {
    EXPECT_NEAR(value_at(sum, th), value_at(Voltage(), th) - value_at(Current(), th), 1e-9);
  }
}

}  // namespace
}  // namespace iw::sim
