#include "config/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace iw::config {
namespace {

constexpr double kRad = std::numbers::pi / 180;

Input ct(double phase = 2.0) {
  Input in;
  in.channel = 3;
  in.name = "Kettle";
  in.type = InputType::kCT;
  in.model = "generic";
  in.cal = 50;
  in.phase = phase;
  return in;
}

Input vt() {
  Input in;
  in.channel = 0;
  in.name = "Voltage";
  in.type = InputType::kVT;
  in.model = "Ideal 77DE-06-09(EU)";
  in.cal = 19.06;
  in.p50 = {1.46};
  in.p60 = {0.82};
  in.vchan = 0;
  return in;
}

// A PF-1 load of `watts` read through a residual lead error of `deg`.
Reading resistive(double watts, double deg, double volts = 230) {
  Reading r;
  r.seconds = 5;
  r.volts = volts;
  r.watts = watts * std::cos(deg * kRad);
  r.vars = watts * std::sin(deg * kRad);
  r.amps = watts / volts;
  return r;
}

TEST(PhaseError, IsTheAngleOfQOverPWithLaggingPositive) {
  EXPECT_NEAR(phase_error_deg(1000, 0), 0, 1e-12);
  EXPECT_NEAR(phase_error_deg(1000, 1000 * std::tan(0.8 * kRad)), 0.8, 1e-12);
  EXPECT_NEAR(phase_error_deg(1000, -1000 * std::tan(0.5 * kRad)), -0.5, 1e-12);
  EXPECT_EQ(phase_error_deg(0, 0), 0);
}

TEST(PhaseError, OnAPf05LoadIsAboutTan60TimesTheAngle) {
  // 0.8 degree too much lead: the current looks more lagging, a 60 degree load reads low.
  EXPECT_NEAR(pf05_error_percent(0.8), -2.428, 0.001);
  EXPECT_NEAR(pf05_error_percent(-0.8), 2.409, 0.001);
  EXPECT_EQ(pf05_error_percent(0), 0);
}

TEST(ShiftLead, MovesThePhaseAndEveryLeadOfTheTablesButNoThreshold) {
  Input in = ct(2.3);
  in.p50 = {3.1, 4, 3.0, 8, 2.9};
  in.p60 = {2.7};
  const Input out = shift_lead(in, -0.5);
  EXPECT_DOUBLE_EQ(out.phase, 1.8);
  EXPECT_EQ(out.p50, (std::vector<double>{2.6, 4, 2.5, 8, 2.4}));
  EXPECT_EQ(out.p60, (std::vector<double>{2.2}));
  EXPECT_EQ(out.cal, in.cal);
  EXPECT_EQ(shift_lead(in, 0), in);
}

TEST(ScaleRatio, ScalesTurnsWhenTheParserComputesCalFromTurnsAndABurden) {
  Input in = ct();
  in.turns = 2000;
  in.cal = 100;  // 2000 / 20 ohms
  const Input out = scale_ratio(in, 1.01, 20);
  ASSERT_TRUE(out.turns);
  EXPECT_DOUBLE_EQ(*out.turns, 2020);
  EXPECT_DOUBLE_EQ(out.cal, 101);
}

TEST(ScaleRatio, ScalesCalOtherwise) {
  Input in = ct();
  EXPECT_DOUBLE_EQ(scale_ratio(in, 0.98, 20).cal, 49);  // no turns
  in.turns = 2000;
  Input out = scale_ratio(in, 0.98, 0);  // turns but no burden: cal is what counts
  EXPECT_DOUBLE_EQ(out.cal, 49);
  EXPECT_EQ(out.turns, in.turns);
  EXPECT_DOUBLE_EQ(scale_ratio(vt(), 1.02, 20).cal, 19.06 * 1.02);
}

TEST(CtPhase, CorrectsByMinusTheError) {
  auto p = calibrate_ct_phase(ct(2.8), resistive(2000, 0.8));
  ASSERT_TRUE(p) << p.error();
  EXPECT_NEAR(p->before, 0.8, 1e-9);
  EXPECT_NEAR(p->shift_deg, -0.8, 1e-9);
  EXPECT_NEAR(p->input.phase, 2.0, 1e-9);
  EXPECT_NEAR(p->after, 0, 0.0005);
  EXPECT_EQ(p->unit, "deg");
}

TEST(CtPhase, ShiftsTheLevelTablesToo) {
  Input in = ct(2.3);
  in.p50 = {3.1, 4, 3.0};
  auto p = calibrate_ct_phase(in, resistive(2000, -0.25));
  ASSERT_TRUE(p) << p.error();
  EXPECT_NEAR(p->input.phase, 2.55, 1e-9);
  EXPECT_NEAR(p->input.p50[0], 3.35, 1e-9);
  EXPECT_EQ(p->input.p50[1], 4);
  EXPECT_NEAR(p->input.p50[2], 3.25, 1e-9);
}

TEST(CtPhase, RefusesNoPowerATooSmallLoadAndAReactiveOne) {
  auto none = calibrate_ct_phase(ct(), resistive(0, 0));
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("switch on a resistive load"), std::string::npos) << none.error();
  // 50 A per volt: a range of 58 A, so 5 % is 2.9 A; 230 W is 1 A.
  auto small = calibrate_ct_phase(ct(), resistive(230, 0.5));
  ASSERT_FALSE(small);
  EXPECT_NE(small.error().find("less than 5 % of this input's range (58 A)"), std::string::npos) << small.error();
  auto motor = calibrate_ct_phase(ct(), resistive(2000, 36.9));
  ASSERT_FALSE(motor);
  EXPECT_NE(motor.error().find("not resistive enough (power factor 0.800"), std::string::npos) << motor.error();
  Reading reversed = resistive(2000, 0.3);
  reversed.watts = -reversed.watts;
  EXPECT_FALSE(calibrate_ct_phase(ct(), reversed));
  EXPECT_FALSE(calibrate_ct_phase(vt(), resistive(2000, 0.3)));
}

TEST(VtPhase, AttributesTheAngleToTheVtWithTheOppositeSign) {
  // The VT leads 0.4 degree more than configured: the voltage is early, the current looks
  // leading (Q < 0) on a trusted CT; the VT's lead grows by 0.4.
  Input trusted = ct(2.0);
  trusted.vchan = 0;
  auto p = calibrate_vt_phase(vt(), trusted, resistive(2000, -0.4));
  ASSERT_TRUE(p) << p.error();
  EXPECT_NEAR(p->before, -0.4, 1e-9);
  EXPECT_NEAR(p->shift_deg, -0.4, 1e-9);
  EXPECT_NEAR(p->input.p50[0], 1.06, 1e-9);
  EXPECT_NEAR(p->input.p60[0], 0.42, 1e-9);
  trusted.vchan = 5;
  EXPECT_FALSE(calibrate_vt_phase(vt(), trusted, resistive(2000, -0.4)));
}

TEST(VtRatio, ScalesCalByMeterOverMeasured) {
  Reading r;
  r.volts = 228;
  auto p = calibrate_vt_ratio(vt(), r, 231);
  ASSERT_TRUE(p) << p.error();
  EXPECT_NEAR(p->input.cal, 19.06 * 231 / 228, 1e-4);
  EXPECT_NEAR(p->before, (228.0 / 231 - 1) * 100, 1e-9);
  EXPECT_NEAR(p->after, 0, 1e-3);
  EXPECT_FALSE(calibrate_vt_ratio(vt(), r, 0));
  EXPECT_FALSE(calibrate_vt_ratio(vt(), r, 23.1));  // a misread meter: factor 10
  r.volts = 0;
  EXPECT_FALSE(calibrate_vt_ratio(vt(), r, 231));
}

TEST(CtRatio, ScalesTurnsOnABurdenAndRoundsTo6Digits) {
  Input in = ct();
  in.turns = 1000;
  in.cal = 50;
  // The clamp meter says 10.2 A where the channel measured 10 A.
  auto p = calibrate_ct_ratio(in, 20, 10.0, 10.2, "amps");
  ASSERT_TRUE(p) << p.error();
  ASSERT_TRUE(p->input.turns);
  EXPECT_DOUBLE_EQ(*p->input.turns, 1020);
  EXPECT_DOUBLE_EQ(p->input.cal, 51);
  EXPECT_NEAR(p->before, (10.0 / 10.2 - 1) * 100, 1e-9);
  EXPECT_NEAR(p->after, 0, 1e-9);
  // Utility meter: 12.34 kWh where the channel measured 12.1 kWh; no burden, cal scales.
  auto kwh = calibrate_ct_ratio(ct(), 0, 12100, 12340, "Wh");
  ASSERT_TRUE(kwh) << kwh.error();
  EXPECT_NEAR(kwh->input.cal, 50 * 12340 / 12100.0, 1e-4);
  EXPECT_FALSE(calibrate_ct_ratio(ct(), 0, 0, 10, "amps"));
  EXPECT_FALSE(calibrate_ct_ratio(ct(), 0, 10, 0, "amps"));
  EXPECT_FALSE(calibrate_ct_ratio(ct(), 0, 10, 25, "amps"));
}

}  // namespace
}  // namespace iw::config
