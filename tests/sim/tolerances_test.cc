#include "sim/tolerances.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "sim_testing.h"

namespace iw::sim {
namespace {

Panel Household() { return make_scenario("household-230v-50hz").value(); }

TEST(SensorTolerances, DrawsWithinBoundsPerSensor) {
  const SensorTolerances tol;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Panel p = Household();
    ASSERT_TRUE(apply_sensor_tolerances(p, tol, seed).ok());
    for (const SensorTruth& s : sensor_truth(p)) {
      const bool ct = s.type == ChannelType::kCT;
      EXPECT_LE(std::fabs(s.deviation.ratio_error), (ct ? tol.ct_ratio_pct : tol.vt_ratio_pct) / 100);
      EXPECT_LE(std::fabs(s.deviation.phase_offset_deg), ct ? tol.ct_phase_deg : tol.vt_phase_deg);
      EXPECT_LE(std::fabs(s.deviation.phase_slope_deg), ct ? tol.ct_phase_slope_deg : tol.vt_phase_slope_deg);
      EXPECT_NE(s.deviation.ratio_error, 0);
    }
  }
}

TEST(SensorTolerances, ConfigAndMeasurementStayNominal) {
  const Panel nominal = Household();
  Panel p = nominal;
  ASSERT_TRUE(apply_sensor_tolerances(p, SensorTolerances{}, 3).ok());
  EXPECT_EQ(p.iotawatt_config(), nominal.iotawatt_config());
  for (size_t k = 0; k < p.channels.size(); ++k) {
    const Channel& a = p.channels[k];
    const Channel& b = nominal.channels[k];
    EXPECT_EQ(p.measurement_cal(a), nominal.measurement_cal(b));
    EXPECT_EQ(p.measurement_phase(a), nominal.measurement_phase(b));
    EXPECT_EQ(p.measurement_p50(a), nominal.measurement_p50(b));
    EXPECT_EQ(p.measurement_p60(a), nominal.measurement_p60(b));
    // The hardware is not the catalog any more.
    if (a.type == ChannelType::kCT) {
      EXPECT_NE(a.ct.true_cal(), b.ct.true_cal());
      EXPECT_NE(a.ct.lead_deg(10, 50), b.ct.lead_deg(10, 50));
    } else {
      EXPECT_NE(a.vt.true_ratio(), b.vt.true_ratio());
      EXPECT_NE(a.vt.lead_deg(230, 50), b.vt.lead_deg(230, 50));
    }
  }
}

TEST(SensorTolerances, ReproducibleIndependentAndOrderFree) {
  Panel a = Household(), same = Household(), other = Household();
  ASSERT_TRUE(apply_sensor_tolerances(a, SensorTolerances{}, 11).ok());
  ASSERT_TRUE(apply_sensor_tolerances(same, SensorTolerances{}, 11).ok());
  ASSERT_TRUE(apply_sensor_tolerances(other, SensorTolerances{}, 12).ok());
  const auto ta = sensor_truth(a), ts = sensor_truth(same), to = sensor_truth(other);
  for (size_t k = 0; k < ta.size(); ++k) {
    EXPECT_EQ(ta[k].deviation.ratio_error, ts[k].deviation.ratio_error);
    EXPECT_EQ(ta[k].deviation.phase_offset_deg, ts[k].deviation.phase_offset_deg);
    EXPECT_NE(ta[k].deviation.ratio_error, to[k].deviation.ratio_error);
    for (size_t j = 0; j < k; ++j) EXPECT_NE(ta[k].deviation.ratio_error, ta[j].deviation.ratio_error);
  }
  // A channel's draw depends on its input, not on where it sits in the list.
  Panel reversed = Household();
  std::reverse(reversed.channels.begin(), reversed.channels.end());
  ASSERT_TRUE(apply_sensor_tolerances(reversed, SensorTolerances{}, 11).ok());
  for (const SensorTruth& s : sensor_truth(reversed)) {
    const auto it = std::find_if(ta.begin(), ta.end(), [&](const SensorTruth& t) { return t.input == s.input; });
    ASSERT_NE(it, ta.end());
    EXPECT_EQ(it->deviation.ratio_error, s.deviation.ratio_error);
  }
}

// The codes carry the drawn ratio errors: rms of each slot against the catalog panel's.
TEST(SensorTolerances, SimulatedCodesCarryTheRatioErrors) {
  TestPoint tp;
  tp.amps = 20;
  const Panel nominal = make_test_point(tp).value();
  Panel real = nominal;
  ASSERT_TRUE(apply_sensor_tolerances(real, SensorTolerances{}, 5).ok());
  auto rms = [](const Panel& p) {
    auto sim = Simulator::create(p, plan_for(p), testing::kNoonNs, 9).value();
    std::vector<double> out;
    for (const testing::Trace& tr : testing::capture(*sim, 1.0, {1, 1})) {
      double s = 0;
      for (size_t k = 0; k < 100000; ++k) s += tr.value[k] * tr.value[k];
      out.push_back(std::sqrt(s / 100000));
    }
    return out;
  };
  const std::vector<double> a = rms(real), b = rms(nominal);
  EXPECT_NEAR(a[0] / b[0], 1 + real.channels[0].vt.deviation.ratio_error, 2e-5);
  EXPECT_NEAR(a[1] / b[1], 1 + real.channels[1].ct.deviation.ratio_error, 2e-5);
}

TEST(SensorTolerances, RejectsBadBounds) {
  Panel p = Household();
  SensorTolerances tol;
  tol.ct_phase_deg = -1;
  EXPECT_FALSE(apply_sensor_tolerances(p, tol, 1).ok());
  tol = SensorTolerances{};
  tol.vt_ratio_pct = 60;
  EXPECT_FALSE(apply_sensor_tolerances(p, tol, 1).ok());
}

// The level-dependent part is small enough for a one-point calibration: phase taken from a
// resistive load at one current, a ratio from one reading, leave a power error within 0.5 %
// at PF 0.5 and 0.3 % at PF 1 from 10 % to 120 % of rating (the ratio error does not depend
// on the current, so only the phase slope remains).
TEST(SensorTolerances, OnePointCalibrationReachesTheTarget) {
  const SensorTolerances tol;
  const double pf05 = std::acos(0.5);
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    Panel p = Household();
    ASSERT_TRUE(apply_sensor_tolerances(p, tol, seed).ok());
    for (const Channel& ch : p.channels) {
      if (ch.type != ChannelType::kCT) continue;
      const CtModel catalog = [&] {
        CtModel c = ch.ct;
        c.deviation = {};
        return c;
      }();
      const double rating = ch.ct.rating_amps;
      const double cal_amps = 0.35 * rating;  // geometric middle of 10 %-120 %
      const double dev_cal = ch.ct.lead_deg(cal_amps, 50) - catalog.lead_deg(cal_amps, 50);
      for (double frac = 0.1; frac <= 1.2001; frac += 0.01) {
        const double i = frac * rating;
        const double left = (ch.ct.lead_deg(i, 50) - catalog.lead_deg(i, 50) - dev_cal) * std::numbers::pi / 180;
        EXPECT_LE(std::fabs(std::cos(pf05 - left) / std::cos(pf05) - 1), 0.005);
        EXPECT_LE(std::fabs(std::cos(left) - 1), 0.003);
      }
    }
  }
}

}  // namespace
}  // namespace iw::sim
