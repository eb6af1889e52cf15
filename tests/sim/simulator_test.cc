#include "sim/simulator.h"

#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <numbers>

#include <gtest/gtest.h>

#include "sim/cycle.h"
#include "sim/scenarios.h"
#include "sim_testing.h"

namespace iw::sim {
namespace {

using testing::kNoonNs;
using testing::kSecondNs;

std::unique_ptr<Simulator> Make(const Panel& panel, uint64_t seed = 1,
                                source::SamplingMode mode = source::SamplingMode::kContinuous,
                                int64_t start = kNoonNs) {
  auto sim = Simulator::create(panel, plan_for(panel, mode), start, seed);
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error());
  return std::move(sim).value();
}

Panel Point(TestPoint tp) {
  auto p = make_test_point(tp);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error());
  return std::move(p).value();
}

TestPoint IdealPoint() {
  TestPoint tp;
  tp.ct = "ideal";
  tp.vt = "ideal230";
  return tp;
}

double Rms(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x * x;
  return std::sqrt(s / static_cast<double>(v.size()));
}

std::vector<testing::Trace> Trim(std::vector<testing::Trace> traces, size_t n) {
  for (auto& tr : traces) {
    tr.t_ns.resize(n);
    tr.value.resize(n);
  }
  return traces;
}

// Phase (degrees) of the `hz` component of a trace, using each sample's true instant.
double PhaseDeg(const testing::Trace& tr, double hz) {
  std::complex<double> sum = 0;
  for (size_t k = 0; k < tr.value.size(); ++k) {
    sum += tr.value[k] * std::polar(1.0, -2 * std::numbers::pi * hz * tr.t_ns[k] * 1e-9);
  }
  return std::arg(sum) * 180 / std::numbers::pi;
}

TEST(Simulator, PureSineDecodesToItsRms) {
  TestPoint tp = IdealPoint();
  tp.amps = 0;
  const Panel p = Point(tp);
  auto sim = Make(p);
  const double vpc = testing::volts_per_count(p, p.channels[0]);
  const auto tr = testing::capture(*sim, 1.0, {vpc, 1});
  // 200000 conversions/s, two slots, 512-frame blocks: 1 s is 50 whole cycles give or take
  // the last block's overshoot; trim to exactly 1 s.
  std::vector<double> v(tr[0].value.begin(), tr[0].value.begin() + 100000);
  EXPECT_NEAR(Rms(v), 230, 230 * 1e-4);
  EXPECT_EQ(sim->conversions() % 1024, 0u);
}

TEST(Simulator, ResistiveKilowattTruthOverTenSeconds) {
  TestPoint tp = IdealPoint();
  tp.resistive = true;
  tp.amps = 1000.0 / 230;
  auto sim = Make(Point(tp));
  EXPECT_NEAR(sim->truth_until(kNoonNs).value().find("Load")->energy_j, 0, 1e-12);
  const Truth t = sim->truth_until(kNoonNs + 10 * kSecondNs).value();
  const ChannelTruth* load = t.find(1);
  ASSERT_NE(load, nullptr);
  EXPECT_NEAR(load->wh(), 10000.0 / 3600, 10000.0 / 3600 * 1e-9);
  EXPECT_NEAR(load->import_wh(), load->wh(), 1e-12);
  EXPECT_EQ(load->export_j, 0);
  EXPECT_NEAR(load->seconds, 10, 1e-12);
  EXPECT_NEAR(t.find(0)->vrms(), 230, 1e-9);
  EXPECT_NEAR(t.find(0)->hz(), 50, 1e-9);
}

TEST(Simulator, TruthIsExactWithHarmonicsAndVoltageScale) {
  TestPoint tp = IdealPoint();
  tp.resistive = true;
  tp.amps = 1000.0 / 230;
  tp.voltage_harmonics = {{5, 0.03, 180}, {3, 0.02, 0}};
  tp.volts_scale = 0.9;
  auto sim = Make(Point(tp), 77);  // random start phase: whole cycles from there
  const double watts = 1000 * 0.81 * (1 + 0.0009 + 0.0004);
  const Truth t = sim->truth_until(kNoonNs + 10 * kSecondNs).value();
  EXPECT_NEAR(t.find(1)->energy_j, watts * 10, watts * 10 * 1e-9);
  // Mid-cycle the exact energy differs from P*t by the power ripple, at most P/omega.
  const Truth mid = sim->truth_until(kNoonNs + 10 * kSecondNs + 1234567).value();
  EXPECT_NEAR(mid.find(1)->energy_j, watts * 10.001234567, watts / (2 * std::numbers::pi * 50));
  EXPECT_NE(mid.find(1)->energy_j, watts * 10.001234567);
}

TEST(Simulator, CycleMeanAccrualIsLinearInsideCycles) {
  TestPoint tp = IdealPoint();
  tp.amps = 10;
  tp.pf = 0.8;
  tp.drift_hz = 0.3;
  tp.drift_period_s = 3;
  auto sim = Make(Point(tp), 3);
  for (int64_t ns : {kNoonNs + 1234567, kNoonNs + 7 * kSecondNs + 9876543}) {
    const ChannelTruth mean = *sim->truth_until(ns, Accrual::kCycleMean).value().find(1);
    const ChannelTruth exact = *sim->truth_until(ns, Accrual::kExact).value().find(1);
    const double seconds = static_cast<double>(ns - kNoonNs) * 1e-9;
    EXPECT_NEAR(mean.energy_j, 1840 * seconds, 1840 * seconds * 1e-9);
    EXPECT_NEAR(exact.energy_j, mean.energy_j, 2 * 2300 / (2 * std::numbers::pi * 49.7));
    EXPECT_DOUBLE_EQ(exact.va_s, mean.va_s);
  }
}

TEST(Simulator, TruthFollowsFrequencyDrift) {
  TestPoint tp = IdealPoint();
  tp.resistive = true;
  tp.amps = 1000.0 / 230;
  tp.drift_hz = 0.5;
  tp.drift_period_s = 4;
  auto sim = Make(Point(tp));
  const Truth t = sim->truth_until(kNoonNs + 8 * kSecondNs).value();
  const double omega_min = 2 * std::numbers::pi * 49.5;
  EXPECT_NEAR(t.find(1)->energy_j, 8000, 2 * 1000 / omega_min);  // start and end ripple
  EXPECT_NEAR(t.find(0)->hz(), 50, 0.01);                        // two whole drift periods
}

TEST(Simulator, PowerFactorHalfIsHalfOfVa) {
  TestPoint tp = IdealPoint();
  tp.amps = 10;
  tp.pf = 0.5;
  auto sim = Make(Point(tp));
  const ChannelTruth load = *sim->truth_until(kNoonNs + 5 * kSecondNs).value().find(1);
  EXPECT_NEAR(load.energy_j / load.va_s, 0.5, 1e-6);  // partial first/last cycle: tiny ripple
  EXPECT_NEAR(load.va(), 2300, 1e-6);
  EXPECT_NEAR(load.irms(), 10, 1e-9);
}

TEST(Simulator, IdealCodesCarryTheTruePower) {
  TestPoint tp = IdealPoint();
  tp.amps = 20;
  tp.pf = 0.8;
  tp.current_harmonics = {{3, 0.2, 180}, {5, 0.1, 0}};
  tp.voltage_harmonics = {{3, 0.02, 30}};
  const Panel p = Point(tp);
  auto sim = Make(p);
  const auto tr = testing::capture(
      *sim, 1.0, {testing::volts_per_count(p, p.channels[0]), testing::amps_per_count(p, p.channels[1])});
  // Pair each current sample with the voltage interpolated at its instant (5 us later).
  const size_t n = 100000;  // exactly 1 s of frames
  double sum = 0;
  for (size_t k = 0; k + 1 < n; ++k) {
    const double v = 0.5 * (tr[0].value[k] + tr[0].value[k + 1]);
    sum += v * tr[1].value[k];
  }
  const double measured = sum / static_cast<double>(n - 1);
  const ChannelTruth truth = *sim->truth_until(kNoonNs + kSecondNs).value().find(1);
  EXPECT_NEAR(measured, truth.watts(), std::fabs(truth.watts()) * 2e-4);
}

TEST(Simulator, SensorLeadsAreTimeAdvances) {
  TestPoint tp = IdealPoint();
  tp.resistive = true;
  tp.amps = 10;
  CtModel ct = ct_model("ideal").value();
  ct.phase_deg = 3;
  VtModel vt = vt_model("ideal230").value();
  vt.phase_deg = 1;
  tp.ct_model = ct;
  tp.vt_model = vt;
  const Panel p = Point(tp);
  auto sim = Make(p);
  const auto tr = Trim(testing::capture(*sim, 0.5, {1, 1}), 50000);  // 25 whole cycles
  const double dv = PhaseDeg(tr[0], 50), di = PhaseDeg(tr[1], 50);
  // Both relative to the true voltage: V leads by 1, I (in phase with V) by 3.
  double diff = di - dv;
  EXPECT_NEAR(diff, 2, 0.01);
}

TEST(Simulator, CurrentDependentLeadFollowsTheTable) {
  TestPoint tp = IdealPoint();
  tp.ct = "SCT013-000";
  tp.amps = 2;  // below 4 A: 3.1 degrees at 50 Hz
  tp.resistive = true;
  const Panel p = Point(tp);
  auto sim = Make(p);
  const auto tr = Trim(testing::capture(*sim, 0.5, {1, 1}), 50000);
  EXPECT_NEAR(PhaseDeg(tr[1], 50) - PhaseDeg(tr[0], 50), 3.1, 0.01);
}

TEST(Simulator, SwitchingChangesOnlyAtCycleBoundaries) {
  TestPoint tp = IdealPoint();
  tp.resistive = true;
  tp.amps = 10;
  tp.switching = Switching{0.05, 0.15, 0.05, 0.15};
  const Panel p = Point(tp);
  auto sim = Make(p, 11);
  const auto tr = testing::capture(
      *sim, 2.0, {testing::volts_per_count(p, p.channels[0]), testing::amps_per_count(p, p.channels[1])});
  const double full = 2300;
  int on = 0, off = 0;
  size_t start = 0;
  for (size_t k = 1; k < tr[0].value.size(); ++k) {
    if (!(tr[0].value[k - 1] < 0 && tr[0].value[k] >= 0)) continue;  // rising crossing
    if (start > 0) {
      double sum = 0;
      for (size_t j = start; j < k; ++j) sum += tr[0].value[j] * tr[1].value[j];
      const double watts = sum / static_cast<double>(k - start);
      if (watts < 0.002 * full) {
        ++off;
      } else {
        EXPECT_NEAR(watts, full, 0.01 * full) << "a cycle partly on: switched mid-cycle";
        ++on;
      }
    }
    start = k;
  }
  EXPECT_GT(on, 10);
  EXPECT_GT(off, 10);
}

TEST(Simulator, SwitchingOnFractionAndDurations) {
  TestPoint tp = IdealPoint();
  tp.resistive = true;
  tp.amps = 1;
  tp.switching = Switching{1, 2, 2, 4};  // mean on 1.5 s, off 3 s: on a third of the time
  const Panel p = Point(tp);
  CycleGenerator gen(p, kNoonNs, 5);
  int on_cycles = 0, total = 0, run = 0, runs = 0;
  bool last = false;
  for (int i = 0; i < 60000; ++i) {  // 1200 s
    const Cycle c = gen.next();
    const bool on = c.load_on[0] != 0;
    EXPECT_EQ(on, c.channels[1].watts > 0);
    if (i > 0 && on != last) {
      if (runs > 0) {  // a complete run: its duration is within the range (to a cycle)
        const double s = run / 50.0;
        if (last) {
          EXPECT_GE(s, 1 - 0.021);
          EXPECT_LE(s, 2 + 0.021);
        } else {
          EXPECT_GE(s, 2 - 0.021);
          EXPECT_LE(s, 4 + 0.021);
        }
      }
      ++runs;
      run = 0;
    }
    ++run;
    last = on;
    on_cycles += on;
    ++total;
  }
  EXPECT_GT(runs, 400);
  EXPECT_NEAR(static_cast<double>(on_cycles) / total, 1.0 / 3, 0.03);
}

Panel SolarPanel() {
  Panel p;
  p.adc.mode = AdcMode::kIdeal;
  const int pv = p.add_load(solar("pv", 5000, 6, 20));
  p.add_vt(0, "Voltage", vt_model("ideal230").value());
  p.add_ct(1, "Solar", ct_model("ideal").value(), {pv}).m.is_signed = true;
  return p;
}

TEST(Simulator, SolarExportsByDayAndNothingAtNight) {
  const Panel p = SolarPanel();
  auto day = Make(p, 1, source::SamplingMode::kContinuous, kNoonNs + kSecondNs * 3600);  // 13:00
  const ChannelTruth d = *day->truth_until(kNoonNs + kSecondNs * 3610).value().find(1);
  EXPECT_NEAR(d.watts(), -5000, 1e-3);
  EXPECT_GT(d.export_j, 0);
  EXPECT_EQ(d.import_j, 0);

  const int64_t two_am = kNoonNs - 10 * 3600 * kSecondNs;
  auto night = Make(p, 1, source::SamplingMode::kContinuous, two_am);
  const ChannelTruth n = *night->truth_until(two_am + 10 * kSecondNs).value().find(1);
  EXPECT_EQ(n.energy_j, 0);
  measure::SampleBlock block;
  ASSERT_TRUE(night->read(block).ok());
  for (size_t f = 0; f < block.frames(); ++f) EXPECT_EQ(block.code(f, 1), 32768);
}

TEST(Simulator, ContinuousBlocksAreContiguous) {
  TestPoint tp = IdealPoint();
  const Panel p = Point(tp);
  source::SamplingPlan plan = plan_for(p);
  plan.conversions_per_second = 77000;  // a period that is not a whole number of ns
  plan.frames_per_block = 300;
  auto sim = std::move(Simulator::create(p, plan, kNoonNs, 1)).value();
  measure::SampleBlock a, b;
  ASSERT_TRUE(sim->read(a).ok());
  const double conversion_ns = 1e9 / 77000;
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(sim->read(b).ok());
    EXPECT_EQ(b.scan, (std::vector<uint8_t>{0, 1}));
    EXPECT_EQ(b.frames(), 300u);
    // Each start is the exact position rounded to the ns: within 1 ns of the previous end.
    EXPECT_NEAR(static_cast<double>(b.start_ns - a.start_ns), a.conversion_ns * a.codes.size(), 1.0);
    EXPECT_NEAR(static_cast<double>(b.start_ns - kNoonNs), conversion_ns * 600 * i, 0.5);
    std::swap(a, b);
  }
  EXPECT_EQ(sim->next_block_ns(), kNoonNs + std::llround(21 * 600 * 1e9 / 77000));
}

TEST(Simulator, RoundRobinFollowsTheScansAndCaptureLength) {
  TestPoint tp = IdealPoint();
  Panel p = Point(tp);
  p.add_ct(2, "Two", ct_model("ideal").value(), {0});
  p.add_ct(3, "Three", ct_model("ideal").value(), {0});
  source::SamplingPlan plan = plan_for(p, source::SamplingMode::kRoundRobin);
  plan.conversions_per_second = 77000;
  auto sim = std::move(Simulator::create(p, plan, kNoonNs, 1)).value();
  const auto scans = plan.round_robin_scans();
  ASSERT_EQ(scans.size(), 4u);
  measure::SampleBlock block;
  int64_t expected_start = kNoonNs;
  uint64_t conversions = 0;
  for (size_t i = 0; i < 9; ++i) {
    ASSERT_TRUE(sim->read(block).ok());
    EXPECT_EQ(block.scan, scans[i % scans.size()]);
    EXPECT_EQ(block.frames(), plan.round_robin_frames(2));
    EXPECT_EQ(block.start_ns, expected_start);  // back to back, no gap
    conversions += block.codes.size();
    expected_start = kNoonNs + std::llround(conversions * 1e9 / 77000);
  }
  EXPECT_EQ(block.scan, (std::vector<uint8_t>{0, 0}));
}

TEST(Simulator, SameSeedSameCodesOtherSeedOtherNoise) {
  auto panel = make_scenario("household-230v-50hz");
  ASSERT_TRUE(panel.ok());
  auto a = Make(panel.value(), 42), b = Make(panel.value(), 42), c = Make(panel.value(), 43);
  measure::SampleBlock ba, bb, bc;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(a->read(ba).ok());
    ASSERT_TRUE(b->read(bb).ok());
    ASSERT_TRUE(c->read(bc).ok());
  }
  EXPECT_EQ(ba.codes, bb.codes);
  EXPECT_NE(ba.codes, bc.codes);
}

TEST(Simulator, TruthWindow) {
  auto sim = Make(Point(IdealPoint()));
  measure::SampleBlock block;
  for (int i = 0; i < 600; ++i) ASSERT_TRUE(sim->read(block).ok());  // ~3 s
  EXPECT_FALSE(sim->truth_until(kNoonNs).ok());
  EXPECT_FALSE(sim->truth_until(kNoonNs - 1).ok());
  EXPECT_TRUE(sim->truth_until(sim->next_block_ns() - kSecondNs / 2).ok());
  EXPECT_TRUE(sim->truth_until(sim->next_block_ns() + 100 * kSecondNs).ok());
  EXPECT_EQ(sim->truth().until_ns, sim->next_block_ns());
}

TEST(Simulator, RejectsBadPanelsAndPlans) {
  Panel p = Point(IdealPoint());
  p.channels[1].m.vchan = 5;
  EXPECT_FALSE(Simulator::create(p, plan_for(p), 0, 1).ok());
  Panel q = Point(IdealPoint());
  source::SamplingPlan empty;
  EXPECT_FALSE(Simulator::create(q, empty, 0, 1).ok());
}

// Not a timed test: prints the generation rate (see README.md for Release numbers).
TEST(Simulator, PrintsGenerationSpeed) {
  for (AdcMode mode : {AdcMode::kReal, AdcMode::kIdeal}) {
    Panel p = make_scenario("household-230v-50hz").value();
    p.adc.mode = mode;
    auto sim = Make(p);
    measure::SampleBlock block;
    const auto t0 = std::chrono::steady_clock::now();
    while (sim->conversions() < 3'000'000) ASSERT_TRUE(sim->read(block).ok());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[ speed    ] household, %zu slots, %s ADC: %.1f M conversions/s (%.0fx real time)\n", block.slots(),
                to_string(mode), sim->conversions() / s / 1e6, sim->conversions() / s / 200000);
  }
}

}  // namespace
}  // namespace iw::sim
