#include "sim/interval_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "sim/spectrum.h"
#include "sim_testing.h"

namespace iw::sim {
namespace {

using testing::kNoonNs;
using testing::kSecondNs;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

constexpr int64_t kNoonS = kNoonNs / kSecondNs;
constexpr int64_t kDay = 86400;

IntervalModel Model(const Panel& panel, uint64_t seed = 1, bool realism = false) {
  IntervalOptions options;
  options.realism = realism;
  auto model = IntervalModel::create(panel, seed, options);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error());
  return std::move(model).value();
}

Panel Steady(Panel p) {
  for (Load& l : p.loads) {
    l.switching.reset();
    l.program.reset();  // scripted appliances (program.h) are not in the interval model
    l.fluctuation = 0;
  }
  return p;
}

// Counters after running `model` over [from, to).
const IntervalModel::Counters& RunOver(IntervalModel& model, int64_t from, int64_t to, int interval = 5) {
  EXPECT_TRUE(model.run(from, to, interval, nullptr).ok());
  return model.counters();
}

double Rel(double got, double want) {
  const double scale = std::max({std::fabs(want), std::fabs(got), 1e-9});
  return std::fabs(got - want) / scale;
}

struct Deviation {
  double worst = 0;
  std::string where;
  void note(double got, double want, const std::string& what, double floor = 0) {
    // Quantities far below `floor` (e.g. a zero export) compare absolutely against it.
    const double d = std::fabs(want) < floor ? std::fabs(got - want) / floor : Rel(got, want);
    if (d > worst) {
      worst = d;
      where = what;
    }
  }
};

// Compares every channel's counters with the cycle simulator's truth over the same span.
Deviation CompareWithTruth(const Panel& panel, int64_t from_s, int seconds, uint64_t seed,
                           const std::vector<std::string>& only = {}) {
  auto sim = Simulator::create(panel, plan_for(panel), from_s * kSecondNs, seed).value();
  const Truth truth = sim->truth_until((from_s + seconds) * kSecondNs, Accrual::kCycleMean).value();
  IntervalModel model = Model(panel, seed);
  const auto& c = RunOver(model, from_s, from_s + seconds);
  Deviation dev;
  for (const ChannelTruth& t : truth.channels) {
    if (!only.empty() && std::find(only.begin(), only.end(), t.name) == only.end()) continue;
    const measure::ChannelCounters& k = c[static_cast<size_t>(t.input)];
    const std::string name = panel.scenario + "/" + t.name;
    const double vah = t.va_s / 3600;
    dev.note(k.seconds.value(), t.seconds, name + " seconds");
    dev.note(k.vh.value(), t.volt_s / 3600, name + " Vh");
    dev.note(k.hzh.value(), t.hz_s / 3600, name + " Hzh");
    if (t.is_vt) continue;
    dev.note(k.wh_import.value(), t.import_wh(), name + " Wh import", vah);
    dev.note(k.wh_export.value(), t.export_wh(), name + " Wh export", vah);
    dev.note(k.vah.value(), vah, name + " VAh");
    dev.note(k.ah.value(), t.amp_s / 3600, name + " Ah");
  }
  return dev;
}

TEST(IntervalModel, SteadyLoadsMatchSimulatorTruth) {
  // Every scenario with its switching loads held on: energy, VAh, Ah, Vh, Hzh of every
  // channel over 60 s (at noon: solar exports) against the cycle simulator's truth.
  for (const std::string& name : scenario_names()) {
    const Panel panel = Steady(make_scenario(name).value());
    const Deviation dev = CompareWithTruth(panel, kNoonS, 60, 7);
    std::printf("[ consist  ] %s steady, 60 s: worst deviation %.4f %% (%s)\n", name.c_str(), 100 * dev.worst,
                dev.where.c_str());
    EXPECT_LT(dev.worst, 0.005) << dev.where;
  }
}

TEST(IntervalModel, SwitchingScheduleFollowsSimulatorWithSameSeed) {
  // With realism off the schedule is the cycle simulator's own (toggles land on instants
  // instead of the next cycle boundary), so even switching channels agree closely.
  const Panel panel = make_scenario("household-230v-50hz").value();
  const Deviation slow =
      CompareWithTruth(panel, kNoonS, 120, 3, {"Voltage", "Mains", "Oven", "Kettle", "Fridge", "Washer", "Dryer"});
  const Deviation hob = CompareWithTruth(panel, kNoonS, 120, 3, {"Hob"});
  std::printf("[ consist  ] household switching, 120 s: worst %.4f %% (%s); hob (1-3 s toggles) %.4f %%\n",
              100 * slow.worst, slow.where.c_str(), 100 * hob.worst);
  EXPECT_LT(slow.worst, 0.005) << slow.where;
  EXPECT_LT(hob.worst, 0.02) << hob.where;
}

TEST(IntervalModel, SwitchingLoadsKeepTheirDutyCycle) {
  const Panel panel = make_scenario("household-230v-50hz").value();
  const int days = kSanitized ? 7 : 30;
  IntervalModel model = Model(panel, 11);
  const auto& c = RunOver(model, kNoonS, kNoonS + days * kDay);
  for (const Channel& ch : panel.channels) {
    if (ch.type != ChannelType::kCT || ch.mains || ch.loads.size() != 1) continue;
    const Load& l = panel.loads[static_cast<size_t>(ch.loads[0])];
    if (!l.switching) continue;
    const Spectrum v = panel.mains.voltage(l.line);
    const double on_watts = mean_product(v, l.current(v, panel.mains.nominal_volts(l.line), 1));
    const double expected = on_watts * duty_cycle(*l.switching);
    const double hours = days * 24.0;
    const double got = c[static_cast<size_t>(ch.input)].wh_import.value() / hours;
    std::printf("[ duty     ] %-7s %d days: %.1f W, expected %.1f W (duty %.3f): %+.2f %%\n", ch.name.c_str(), days,
                got, expected, duty_cycle(*l.switching), 100 * (got / expected - 1));
    EXPECT_NEAR(got / expected, 1, 0.03) << ch.name;
  }
}

TEST(IntervalModel, SignsFollowChannelDefinitions) {
  // One 10 A resistive load at 230 V; the CT mounted backwards, with and without `reverse`,
  // signed and not, and a doubled reference.
  struct Case {
    bool flipped, reverse, is_signed, doubled;
    double import_w, export_w, volts;
  };
  const double p = 2300;
  const Case cases[] = {
      {false, false, true, false, p, 0, 230},     {true, false, true, false, 0, p, 230},
      {true, true, true, false, p, 0, 230},       {true, false, false, false, p, 0, 230},
      {false, false, false, true, 2 * p, 0, 460},
  };
  for (const Case& k : cases) {
    TestPoint tp;
    tp.amps = 10;
    tp.pf = 1;
    Panel panel = make_test_point(tp).value();
    Channel& ct = *panel.find(1);
    ct.flipped = k.flipped;
    ct.m.reverse = k.reverse;
    ct.m.is_signed = k.is_signed;
    ct.m.doubled = k.doubled;
    IntervalModel model = Model(panel);
    const auto& c = RunOver(model, 0, 3600, 60);
    const measure::ChannelCounters& m = c[1];
    EXPECT_NEAR(m.wh_import.value(), k.import_w, 1e-6);
    EXPECT_NEAR(m.wh_export.value(), k.export_w, 1e-6);
    EXPECT_NEAR(m.vh.value(), k.volts, 1e-6);
    EXPECT_NEAR(m.ah.value(), 10, 1e-9);
    EXPECT_NEAR(m.vah.value(), k.volts * 10, 1e-6);
    EXPECT_NEAR(m.varh.value(), 0, 1e-3);
    EXPECT_NEAR(m.hzh.value(), 50, 1e-9);
    EXPECT_NEAR(m.seconds.value(), 3600, 1e-9);
    EXPECT_NEAR(c[0].vh.value(), 230, 1e-9);
    EXPECT_EQ(c[0].wh_import.value(), 0);
  }
}

TEST(IntervalModel, ReactivePowerOfALaggingLoad) {
  TestPoint tp;
  tp.amps = 10;
  tp.pf = 0.6;
  IntervalModel model = Model(make_test_point(tp).value());
  const auto& c = RunOver(model, 0, 3600);
  EXPECT_NEAR(c[1].wh_import.value(), 230 * 10 * 0.6, 1e-6);
  EXPECT_NEAR(c[1].vah.value(), 2300, 1e-6);
  EXPECT_NEAR(c[1].varh.value(), 2300 * 0.8, 1e-6);
}

TEST(IntervalModel, RecordsAtIntervalMultiplesAndContinuesAcrossOutages) {
  TestPoint tp;
  IntervalModel model = Model(make_test_point(tp).value());
  std::vector<int64_t> times;
  std::vector<double> seconds;
  auto sink = [&](int64_t t, const IntervalModel::Counters& c) {
    times.push_back(t);
    seconds.push_back(c[1].seconds.value());
  };
  ASSERT_TRUE(model.run(1003, 1021, 5, sink).ok());
  EXPECT_EQ(times, (std::vector<int64_t>{1005, 1010, 1015, 1020}));
  EXPECT_DOUBLE_EQ(seconds.front(), 2);
  EXPECT_DOUBLE_EQ(model.counters()[1].seconds.value(), 18);
  EXPECT_EQ(model.now_s(), 1021);
  // An outage from 1021 to 2000: not monitored.
  ASSERT_TRUE(model.run(2000, 2010, 5, sink).ok());
  EXPECT_EQ(times.back(), 2010);
  EXPECT_DOUBLE_EQ(model.counters()[1].seconds.value(), 28);
  EXPECT_FALSE(model.run(1990, 2100, 5, sink).ok());
  EXPECT_FALSE(model.run(2100, 2000, 5, sink).ok());
  EXPECT_FALSE(model.run(2100, 2200, 0, sink).ok());
}

TEST(IntervalModel, StartsFromGivenCounters) {
  TestPoint tp;
  tp.amps = 10;
  const Panel panel = make_test_point(tp).value();
  IntervalModel model = Model(panel);
  IntervalModel::Counters start(static_cast<size_t>(panel.device_channels));
  start[1].wh_import.add(1000);
  start[1].seconds.add(50);
  EXPECT_FALSE(model.set_counters(IntervalModel::Counters(3)).ok());
  ASSERT_TRUE(model.set_counters(start).ok());
  const auto& c = RunOver(model, 0, 3600);
  EXPECT_NEAR(c[1].wh_import.value(), 1000 + 2300, 1e-6);
  EXPECT_NEAR(c[1].seconds.value(), 3650, 1e-9);
}

TEST(IntervalModel, InvalidPanelFails) {
  Panel p = make_scenario("household-230v-50hz").value();
  p.channels[1].m.vchan = 5;  // not a VT
  EXPECT_FALSE(IntervalModel::create(p, 1).ok());
}

TEST(IntervalModel, DeterministicBySeed) {
  const Panel panel = make_scenario("household-230v-50hz").value();
  auto energy = [&](uint64_t seed) {
    IntervalModel model = Model(panel, seed, /*realism=*/true);
    const auto& c = RunOver(model, kNoonS, kNoonS + 2 * kDay);
    std::vector<double> out;
    for (const auto& k : c) out.push_back(k.wh_import.value() + k.wh_export.value() + k.vh.value());
    return out;
  };
  EXPECT_EQ(energy(5), energy(5));
  EXPECT_NE(energy(5), energy(6));
}

// Mean watts and volts of `input` over [from, to), continuing `model` (from >= its end).
struct Means {
  double watts = 0, volts = 0;
};

Means MeanOver(IntervalModel& model, int input, int64_t from, int64_t to) {
  EXPECT_TRUE(model.run(from, from, 5, nullptr).ok());
  const measure::ChannelCounters before = model.counters()[static_cast<size_t>(input)];
  EXPECT_TRUE(model.run(from, to, 5, nullptr).ok());
  const measure::ChannelCounters& after = model.counters()[static_cast<size_t>(input)];
  const double hours = static_cast<double>(to - from) / 3600;
  Means m;
  m.watts =
      ((after.wh_import.value() - before.wh_import.value()) - (after.wh_export.value() - before.wh_export.value())) /
      hours;
  m.volts = (after.vh.value() - before.vh.value()) / hours;
  return m;
}

double MeanWatts(IntervalModel& model, int input, int64_t from, int64_t to) {
  return MeanOver(model, input, from, to).watts;
}

TEST(IntervalModel, RealismFollowsTheClockAndTheSeasons) {
  const Panel panel = make_scenario("household-230v-50hz").value();
  const int64_t offset = static_cast<int64_t>(panel.utc_offset_s);
  // Local midnights: 2025-01-13 (a Monday in January) and 2025-07-14 (a Monday in July).
  const int64_t january = 1736726400 - offset;
  const int64_t july = 1752451200 - offset;
  const int days = kSanitized ? 2 : 7;

  IntervalModel winter = Model(panel, 21, true);
  IntervalModel summer = Model(panel, 21, true);
  const double heat_winter = MeanWatts(winter, 6, january, january + days * kDay);
  const double heat_summer = MeanWatts(summer, 6, july, july + days * kDay);
  const double solar_winter = MeanWatts(winter, 2, january + days * kDay, january + 2 * days * kDay);
  const double solar_summer = MeanWatts(summer, 2, july + days * kDay, july + 2 * days * kDay);
  std::printf("[ realism  ] heat pump: January %.0f W, July %.0f W; solar: January %.0f W, July %.0f W\n", heat_winter,
              heat_summer, solar_winter, solar_summer);
  EXPECT_GT(heat_winter, 3 * heat_summer);
  EXPECT_LT(solar_winter, 0);  // signed: export
  EXPECT_GT(-solar_summer, -1.5 * solar_winter);

  // Evening lights and dinner against the small hours, summed over several days.
  IntervalModel model = Model(panel, 22, true);
  double lights_evening = 0, lights_night = 0, kettle_dinner = 0, kettle_night = 0, solar_night = 0;
  for (int d = 0; d < days; ++d) {
    const int64_t midnight = january + (2 * days + d) * kDay;
    lights_night += MeanWatts(model, 13, midnight + 2 * 3600, midnight + 5 * 3600);
    solar_night += MeanWatts(model, 2, midnight + 5 * 3600, midnight + 6 * 3600);
    kettle_dinner += MeanWatts(model, 4, midnight + 17 * 3600, midnight + 20 * 3600);
    lights_evening += MeanWatts(model, 13, midnight + 20 * 3600, midnight + 22 * 3600);
    kettle_night += MeanWatts(model, 4, midnight + 22 * 3600, midnight + 26 * 3600);
  }
  std::printf("[ realism  ] lights: evening %.0f W, night %.0f W; kettle: dinner %.0f W, night %.0f W\n",
              lights_evening / days, lights_night / days, kettle_dinner / days, kettle_night / days);
  EXPECT_GT(lights_evening, 5 * lights_night);
  EXPECT_GT(kettle_dinner, 3 * kettle_night);
  EXPECT_EQ(solar_night, 0);
}

TEST(IntervalModel, DailyPatternDoesNotDependOnWhereARunStarts) {
  // Steady loads' levels and the voltage depend only on the seed and the local date.
  const Panel panel = make_scenario("household-230v-50hz").value();
  const int64_t day = 1736726400;
  IntervalModel a = Model(panel, 4, true);
  IntervalModel b = Model(panel, 4, true);
  ASSERT_TRUE(b.run(day - 3 * kDay, day, 5, nullptr).ok());
  const double heat_a = MeanWatts(a, 6, day, day + kDay);
  const double heat_b = MeanWatts(b, 6, day, day + kDay);
  EXPECT_GT(heat_a, 100);
  EXPECT_NEAR(heat_a, heat_b, 1e-6 * heat_a);
  const double volts_a = MeanOver(a, 0, day + kDay, day + 2 * kDay).volts;
  const double volts_b = MeanOver(b, 0, day + kDay, day + 2 * kDay).volts;
  EXPECT_GT(volts_a, 220);
  EXPECT_NEAR(volts_a, volts_b, 1e-9 * volts_a);
}

TEST(IntervalModel, PrintsYearGenerationRate) {
  // A year of 5 s records for the 15-channel household (a week under the sanitizers).
  const Panel panel = make_scenario("household-230v-50hz").value();
  IntervalModel model = Model(panel, 1, /*realism=*/true);
  const int64_t span = kSanitized ? 7 * kDay : 365 * kDay;
  int64_t records = 0;
  int64_t last = 0;
  bool ordered = true;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  ASSERT_TRUE(model
                  .run(kNoonS, kNoonS + span, 5,
                       [&](int64_t t, const IntervalModel::Counters&) {
                         ordered = ordered && t > last;
                         last = t;
                         ++records;
                       })
                  .ok());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  EXPECT_TRUE(ordered);
  EXPECT_EQ(records, span / 5);
  EXPECT_NEAR(model.counters()[1].seconds.value(), static_cast<double>(span), 1e-3);
  const double n = static_cast<double>(records);
  const double channels = static_cast<double>(panel.channels.size());
  std::printf(
      "[ speed    ] interval model: %lld records x %zu channels in %.2f s wall, %.2f s CPU: "
      "%.2f M intervals/s wall, %.2f M/s CPU (%.1f M channel-intervals/s CPU)\n",
      static_cast<long long>(records), panel.channels.size(), s, cpu, n / s / 1e6, n / cpu / 1e6,
      n * channels / cpu / 1e6);
  const auto& c = model.counters();
  std::printf("[ year     ] mains import %.0f kWh, export %.0f kWh; solar %.0f kWh; heat pump %.0f kWh\n",
              c[1].wh_import.value() / 1000, c[1].wh_export.value() / 1000, c[2].wh_export.value() / 1000,
              c[6].wh_import.value() / 1000);
}

}  // namespace
}  // namespace iw::sim
