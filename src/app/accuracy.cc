#include "app/accuracy.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "measure/engine.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"

namespace iw::app {
namespace {

using source::SamplingMode;

// The CT of the suite: 50 A rating, 2000 turns on the v5 board's 20 ohm burden (120 % of
// rating peaks at 0.85 V, inside the ADC's +-1.65 V), with the SCT013-000 current- and
// frequency-dependent lead tables so phase correction is exercised at every point.
constexpr double kRatingAmps = 50;
constexpr double kConversionsPerSecond = 200000;
// Creep runs one VT and one open CT for hours: a slower converter keeps it affordable and
// still gives 100 frames per cycle.
constexpr double kCreepConversionsPerSecond = 10000;
constexpr int64_t kStartNs = 1'780'000'000'000'000'000;  // 2026-05-28, a fixed instant
constexpr int64_t kSecondNs = 1'000'000'000;

sim::CtModel suite_ct() {
  sim::CtModel ct;
  ct.name = "suite-50A";
  ct.turns = 2000;
  ct.burden_ohms = 20;
  ct.rating_amps = kRatingAmps;
  ct.phase_deg = 2.3;
  ct.p50 = {3.1, 4, 3.0, 8, 2.9, 12, 2.8, 18, 2.7, 26, 2.6, 38, 2.5};
  ct.p60 = {2.7, 4, 2.6, 8, 2.5, 12, 2.4, 18, 2.3, 30, 2.2, 44, 2.1};
  return ct;
}

enum class Kind { kSteady, kCreep, kSwitching };

struct Point {
  std::string name;
  Kind kind = Kind::kSteady;
  double fraction = 1;  // of the CT rating
  double pf = 1;
  bool leading = false;
  std::vector<sim::CurrentHarmonic> current_harmonics;
  std::vector<sim::VoltageHarmonic> voltage_harmonics;
  double volts = 230;
  double hz = 50;
  double hz_offset = 0;
  double volts_scale = 1;
  std::string vt = "Ideal 77DE-06-09(EU)";
};

Point at(std::string name, double fraction, double pf = 1, bool leading = false) {
  Point p;
  p.name = std::move(name);
  p.fraction = fraction;
  p.pf = pf;
  p.leading = leading;
  return p;
}

Point sixty_hz(std::string name, double offset) {
  Point p = at(std::move(name), 1.0);
  p.volts = 120;
  p.hz = 60;
  p.hz_offset = offset;
  p.vt = "Jameco/112336";
  return p;
}

std::vector<Point> points() {
  std::vector<Point> all{
      at("I 5% PF1", 0.05),          at("I 10% PF1", 0.10),        at("I 20% PF1", 0.20),
      at("I 100% PF1", 1.00),        at("I 120% PF1", 1.20),       at("I 10% PF0.5i", 0.10, 0.5),
      at("I 20% PF0.5i", 0.20, 0.5), at("I 100% PF0.5i", 1.0, 0.5), at("I 10% PF0.8c", 0.10, 0.8, true),
      at("I 100% PF0.8c", 1.0, 0.8, true),
  };
  Point h = at("I harmonics 3/5/7", 1.0);
  h.current_harmonics = {{3, 0.20, 0}, {5, 0.10, 0}, {7, 0.05, 0}};
  all.push_back(h);
  Point hv = at("V+I harmonics", 1.0);
  hv.current_harmonics = {{3, 0.20, 30}, {5, 0.10, 0}, {7, 0.05, 0}};
  hv.voltage_harmonics = {{3, 0.05, 0}, {5, 0.03, 0}};
  all.push_back(hv);
  for (double offset : {-1.0, 1.0}) {
    Point f = at(offset < 0 ? "49 Hz" : "51 Hz", 1.0);
    f.hz_offset = offset;
    all.push_back(f);
    Point fi = at(offset < 0 ? "49 Hz PF0.5i" : "51 Hz PF0.5i", 1.0, 0.5);
    fi.hz_offset = offset;
    all.push_back(fi);
  }
  all.push_back(sixty_hz("59 Hz", -1));
  all.push_back(sixty_hz("61 Hz", 1));
  for (double scale : {0.9, 1.1}) {
    Point v = at(scale < 1 ? "V -10%" : "V +10%", 1.0);
    v.volts_scale = scale;
    all.push_back(v);
  }
  Point creep = at("creep (open input)", 0);
  creep.kind = Kind::kCreep;
  all.push_back(creep);
  Point sw = at("switching 1-3 s", 1.0);
  sw.kind = Kind::kSwitching;
  all.push_back(sw);
  return all;
}

std::optional<double> limit_for(const Point& p, SamplingMode mode, sim::AdcMode adc) {
  switch (p.kind) {
    case Kind::kCreep:
      return 0.0;
    case Kind::kSwitching:
      if (mode == SamplingMode::kRoundRobin) return std::nullopt;  // reported, not judged
      return 0.5;
    case Kind::kSteady:
      if (adc == sim::AdcMode::kIdeal) return 0.05;
      return p.fraction < 0.1 ? 0.5 : 0.2;
  }
  return std::nullopt;
}

// The engine configured with what the panel's config tells the daemon.
measure::EngineSetup engine_setup_for(const sim::Panel& panel) {
  measure::EngineSetup setup;
  setup.channels.resize(static_cast<size_t>(panel.device_channels));
  const double volts_per_count = panel.adc.vref / 4096.0;
  for (const sim::Channel& ch : panel.channels) {
    measure::ChannelSetup& cs = setup.channels[static_cast<size_t>(ch.input)];
    const double cal = panel.measurement_cal(ch);
    cs.phase.fixed_deg = panel.measurement_phase(ch);
    cs.phase.p50 = panel.measurement_p50(ch);
    cs.phase.p60 = panel.measurement_p60(ch);
    cs.reverse = ch.m.reverse;
    if (ch.type == sim::ChannelType::kVT) {
      cs.kind = measure::ChannelKind::kVoltage;
      cs.units_per_count = cal * 13 * volts_per_count;  // config cal is relative to the /13 divider
    } else {
      cs.kind = measure::ChannelKind::kCurrent;
      cs.units_per_count = cal * volts_per_count;
      cs.vt = ch.m.vchan;
      cs.vphase_deg = ch.m.vphase;
      cs.vmult = ch.m.vmult * (ch.m.doubled ? 2 : 1);
      cs.allow_negative = ch.m.is_signed;
    }
  }
  return setup;
}

struct Job {
  Point point;
  SamplingMode mode;
  sim::AdcMode adc;
};

double net_wh(const measure::ChannelCounters& c) {
  return c.wh_import.value() - c.wh_export.value();
}

AccuracyResult run_job(const Job& job, const AccuracyOptions& options) {
  const Point& p = job.point;
  AccuracyResult r;
  r.name = p.name;
  r.mode = source::to_string(job.mode);
  r.adc = sim::to_string(job.adc);
  r.limit_pct = limit_for(p, job.mode, job.adc);

  sim::TestPoint tp;
  tp.volts = p.volts;
  tp.hz = p.hz;
  tp.hz_offset = p.hz_offset;
  tp.volts_scale = p.volts_scale;
  tp.voltage_harmonics = p.voltage_harmonics;
  tp.amps = p.fraction * kRatingAmps;
  tp.pf = p.pf;
  tp.leading = p.leading;
  tp.current_harmonics = p.current_harmonics;
  tp.ct_model = suite_ct();
  tp.vt = p.vt;
  tp.adc.mode = job.adc;
  if (p.kind == Kind::kSwitching) tp.switching = sim::Switching{};
  tp.name = p.name;
  auto panel = sim::make_test_point(tp);
  if (!panel) {
    r.pass = false;
    r.name += " (" + panel.error() + ")";
    return r;
  }
  const bool creep = p.kind == Kind::kCreep;
  if (!creep) {
    for (int input = 2; input < 15; ++input) {
      panel->add_ct(input, "Load" + std::to_string(input), suite_ct(), {0}).m.is_signed = true;
    }
  }
  source::SamplingPlan plan = sim::plan_for(panel.value(), job.mode);
  plan.conversions_per_second = creep ? kCreepConversionsPerSecond : kConversionsPerSecond;
  std::vector<int> cts;
  for (const sim::Channel& ch : panel->channels) {
    if (ch.type == sim::ChannelType::kCT) cts.push_back(ch.input);
  }
  measure::Engine engine(engine_setup_for(panel.value()));
  auto simulator = sim::Simulator::create(std::move(panel.value()), plan, kStartNs, 7);
  if (!simulator) {
    r.pass = false;
    r.name += " (" + simulator.error() + ")";
    return r;
  }
  sim::Simulator& sim = *simulator.value();

  const double seconds = creep ? options.creep_hours * 3600
                         : p.kind == Kind::kSwitching ? options.switching_seconds
                                                      : options.seconds;
  const int64_t end_ns = kStartNs + static_cast<int64_t>(seconds * 1e9);
  // Energy between the first checkpoint after one settling second and the last one.
  bool have_first = false;
  std::vector<double> first_wh(16), last_wh(16), first_truth(16), last_truth(16);
  std::vector<double> first_abs(16), last_abs(16);
  engine.set_checkpoints(kSecondNs, [&](const measure::Checkpoint& cp) {
    if (cp.time_ns < kStartNs + kSecondNs) return;
    auto truth = sim.truth_until(cp.time_ns, sim::Accrual::kCycleMean);
    if (!truth) return;
    for (int input : cts) {
      const auto& c = cp.counters[static_cast<size_t>(input)];
      const sim::ChannelTruth* t = truth->find(input);
      const size_t i = static_cast<size_t>(input);
      last_wh[i] = net_wh(c);
      last_abs[i] = c.wh_import.value() + c.wh_export.value();
      last_truth[i] = t != nullptr ? t->wh() : 0;
      if (!have_first) {
        first_wh[i] = last_wh[i];
        first_abs[i] = last_abs[i];
        first_truth[i] = last_truth[i];
      }
    }
    have_first = true;
  });
  measure::SampleBlock block;
  while (sim.next_block_ns() < end_ns) {
    if (Status st = sim.read(block); !st) {
      r.pass = false;
      r.name += " (" + st.message() + ")";
      return r;
    }
    engine.process(block);
  }

  double worst = 0;
  for (int input : cts) {
    const size_t i = static_cast<size_t>(input);
    const double measured = last_wh[i] - first_wh[i];
    const double expected = last_truth[i] - first_truth[i];
    if (creep) {
      const double registered = last_abs[i] - first_abs[i];
      if (std::abs(registered) >= std::abs(r.measured_wh)) r.measured_wh = registered;
      r.expected_wh = expected;
      continue;
    }
    const double error = expected != 0 ? (measured - expected) / expected * 100 : 0;
    if (std::abs(error) >= std::abs(worst)) {
      worst = error;
      r.measured_wh = measured;
      r.expected_wh = expected;
    }
  }
  if (creep) {
    r.error_pct = r.measured_wh == 0 ? 0 : 100;
    r.pass = r.measured_wh == 0;
  } else {
    r.error_pct = worst;
    r.pass = !r.limit_pct || std::abs(worst) <= *r.limit_pct;
  }
  return r;
}

}  // namespace

std::vector<AccuracyResult> run_accuracy(const AccuracyOptions& options) {
  std::vector<Job> jobs;
  for (sim::AdcMode adc : options.adcs) {
    for (SamplingMode mode : options.modes) {
      for (const Point& p : points()) jobs.push_back({p, mode, adc});
    }
  }
  // Longest first, so the creep runs do not end up alone at the tail.
  std::vector<size_t> order(jobs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return (jobs[a].point.kind == Kind::kCreep) > (jobs[b].point.kind == Kind::kCreep);
  });
  std::vector<AccuracyResult> results(jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex print_mu;
  auto worker = [&] {
    for (size_t k = next++; k < order.size(); k = next++) {
      const size_t i = order[k];
      results[i] = run_job(jobs[i], options);
      const size_t n = ++done;
      if (options.progress) {
        std::lock_guard<std::mutex> lock(print_mu);
        std::fprintf(stderr, "[%zu/%zu] %-20s %-10s %-5s %+.4f %%\n", n, jobs.size(),
                     results[i].name.c_str(), results[i].mode.c_str(), results[i].adc.c_str(),
                     results[i].error_pct);
      }
    }
  };
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  return results;
}

std::string accuracy_table(const std::vector<AccuracyResult>& results) {
  std::string out = fmt::format("| {:<20} | {:<10} | {:<5} | {:>12} | {:>12} | {:>9} | {:>7} | {:<4} |\n",
                                "point", "mode", "adc", "expected Wh", "measured Wh", "error %",
                                "limit %", "pass");
  out += "|----------------------|------------|-------|--------------|--------------|-----------|---------|------|\n";
  for (const AccuracyResult& r : results) {
    out += fmt::format("| {:<20} | {:<10} | {:<5} | {:>12.5f} | {:>12.5f} | {:>+9.4f} | {:>7} | {:<4} |\n",
                       r.name, r.mode, r.adc, r.expected_wh, r.measured_wh, r.error_pct,
                       r.limit_pct ? fmt::format("{:.2f}", *r.limit_pct) : "report",
                       r.pass ? "yes" : "NO");
  }
  return out;
}

nlohmann::json accuracy_json(const std::vector<AccuracyResult>& results) {
  nlohmann::json points = nlohmann::json::array();
  for (const AccuracyResult& r : results) {
    points.push_back({{"name", r.name},
                      {"mode", r.mode},
                      {"adc", r.adc},
                      {"expected_wh", r.expected_wh},
                      {"measured_wh", r.measured_wh},
                      {"error_pct", r.error_pct},
                      {"limit_pct", r.limit_pct ? nlohmann::json(*r.limit_pct) : nlohmann::json()},
                      {"pass", r.pass}});
  }
  return {{"points", points}};
}

}  // namespace iw::app
