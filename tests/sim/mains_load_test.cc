#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "sim/ct.h"
#include "sim/load.h"
#include "sim/mains.h"

namespace iw::sim {
namespace {

constexpr double kDeg = std::numbers::pi / 180;

double PhaseDeg(const Spectrum& s) { return std::arg(fundamental(s)) / kDeg; }

TEST(Mains, ThreePhaseLagsAndLineToLine) {
  Mains m;
  m.wiring = Wiring::kThreePhase;
  m.volts = 230;
  EXPECT_NEAR(PhaseDeg(m.voltage(Line::kA)), 0, 1e-9);
  EXPECT_NEAR(PhaseDeg(m.voltage(Line::kB)), -120, 1e-9);
  EXPECT_NEAR(PhaseDeg(m.voltage(Line::kC)), 120, 1e-9);  // -240
  EXPECT_NEAR(rms(m.voltage(Line::kAB)), 230 * std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(PhaseDeg(m.voltage(Line::kAB)), 30, 1e-9);   // vphase -30
  EXPECT_NEAR(PhaseDeg(m.voltage(Line::kBC)), -90, 1e-9);  // vphase +90
  EXPECT_NEAR(PhaseDeg(m.voltage(Line::kCA)), 150, 1e-9);  // vphase -150
  m.reverse_rotation = true;
  EXPECT_NEAR(PhaseDeg(m.voltage(Line::kB)), 120, 1e-9);
}

TEST(Mains, PhaseBIsPhaseADelayedIncludingHarmonics) {
  Mains m;
  m.wiring = Wiring::kThreePhase;
  m.harmonics = {{5, 0.03, 40}, {3, 0.02, 10}};
  const Spectrum a = m.voltage(Line::kA), b = m.voltage(Line::kB);
  for (double th : {0.1, 1.3, 4.0}) EXPECT_NEAR(value_at(b, th), value_at(a, th - 2 * std::numbers::pi / 3), 1e-9);
}

TEST(Mains, SplitPhaseLegsAreOpposite) {
  Mains m;
  m.wiring = Wiring::kSplitPhase;
  m.volts = 120;
  m.harmonics = {{3, 0.02, 0}};
  EXPECT_TRUE(m.has_line(Line::kAB));
  EXPECT_FALSE(m.has_line(Line::kC));
  for (double th : {0.3, 2.0}) {
    EXPECT_NEAR(value_at(m.voltage(Line::kB), th), -value_at(m.voltage(Line::kA), th), 1e-9);
    EXPECT_NEAR(value_at(m.voltage(Line::kAB), th), 2 * value_at(m.voltage(Line::kA), th), 1e-9);
  }
  EXPECT_DOUBLE_EQ(m.nominal_volts(Line::kAB), 240);
}

TEST(Mains, FrequencyOffsetAndDrift) {
  Mains m;
  m.hz = 50;
  m.hz_offset = -1;
  EXPECT_DOUBLE_EQ(m.frequency_at(123), 49);
  m.hz_offset = 0;
  m.drift_hz = 0.05;
  m.drift_period_s = 600;
  EXPECT_NEAR(m.frequency_at(150), 50.05, 1e-12);
  EXPECT_NEAR(m.frequency_at(450), 49.95, 1e-12);
}

TEST(Load, MotorHasItsPowerFactorAndPower) {
  Mains m;
  const Spectrum v = m.voltage(Line::kA);
  const Spectrum i = motor("m", 1000, 0.6).current(v, 230, 1);
  EXPECT_NEAR(mean_product(v, i), 1000, 1e-9);
  EXPECT_NEAR(mean_product(v, i) / (rms(v) * rms(i)), 0.6, 1e-12);
  EXPECT_LT(PhaseDeg(i), 0);  // lagging
  const Spectrum c = capacitive("c", 1000, 0.8).current(v, 230, 1);
  EXPECT_GT(PhaseDeg(c), 0);  // leading
  EXPECT_NEAR(mean_product(v, c), 1000, 1e-9);
}

TEST(Load, ResistiveFollowsVoltageHarmonics) {
  Mains m;
  m.harmonics = {{5, 0.1, 30}};
  m.volts_scale = 1.1;
  const Spectrum v = m.voltage(Line::kA);
  const Spectrum i = resistive("r", 1000).current(v, 230, 1);
  EXPECT_NEAR(mean_product(v, i), 1000 * 1.21 * 1.01, 1e-9);
}

TEST(Load, NonlinearHarmonicsArePhaseLocked) {
  Mains m;
  m.wiring = Wiring::kThreePhase;
  const Load l = nonlinear("smps", 300, {{3, 0.7, 180}, {5, 0.4, 0}});
  const Spectrum ia = l.current(m.voltage(Line::kA), 230, 1);
  Load lb = l;
  lb.line = Line::kB;
  const Spectrum ib = lb.current(m.voltage(Line::kB), 230, 1);
  for (double th : {0.2, 2.2}) EXPECT_NEAR(value_at(ib, th), value_at(ia, th - 2 * std::numbers::pi / 3), 1e-9);
  EXPECT_NEAR(rms(ia), 300 / 230.0 * std::sqrt(1 + 0.49 + 0.16), 1e-9);
}

TEST(Load, SolarDaylightCurve) {
  const Load s = solar("pv", 5000, 6, 20);
  EXPECT_EQ(daylight(s, 3), 0);
  EXPECT_EQ(daylight(s, 21), 0);
  EXPECT_NEAR(daylight(s, 13), 1, 1e-12);
  EXPECT_GT(daylight(s, 8), 0);
  Mains m;
  const Spectrum v = m.voltage(Line::kA);
  EXPECT_NEAR(mean_product(v, s.current(v, 230, 1)), -5000, 1e-9);
}

TEST(Sensors, LeadTableLookup) {
  const CtModel sct = ct_model("SCT013-000").value();
  EXPECT_DOUBLE_EQ(sct.lead_deg(2, 50), 3.1);
  EXPECT_DOUBLE_EQ(sct.lead_deg(4, 50), 3.0);  // from t1 on
  EXPECT_DOUBLE_EQ(sct.lead_deg(50, 50), 2.5);
  EXPECT_DOUBLE_EQ(sct.lead_deg(10, 60), 2.5);
  EXPECT_DOUBLE_EQ(sct.cal(), 100);
  const VtModel jameco = vt_model("Jameco/112336").value();
  EXPECT_DOUBLE_EQ(jameco.lead_deg(120, 50), 0.6);  // no p50: static
  EXPECT_FALSE(ct_model("nope").ok());
  EXPECT_NE(ct_model("nope").error().find("SCT013-000"), std::string::npos);
}

TEST(Sensors, SaturationIsSmoothAndBounded) {
  EXPECT_DOUBLE_EQ(saturate(0.9, 1), 0.9);
  EXPECT_DOUBLE_EQ(saturate(-1, 1), -1);
  EXPECT_GT(saturate(1.2, 1), 1.1);
  EXPECT_LE(saturate(100, 1), 1.5);
  EXPECT_DOUBLE_EQ(saturate(-100, 1), -saturate(100, 1));
}

}  // namespace
}  // namespace iw::sim
