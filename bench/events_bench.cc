// events_bench: step events (issue 18) against the simulator's ground truth, on the path the
// daemon takes from the simulator.
//
//   events_bench [--hours H | --days D] [--seed N] [--rate CONVERSIONS_PER_S] [--adc 12bit|ideal]
//
// The scenario appliance-events-230v-50hz (sim/scenarios.h: scripted kettle, washer, fridge, EV
// charger, heat pump, LED lighting, a fluctuating computer circuit, three idle CTs) is written
// out as its config.txt, read back as the daemon reads it (app::parse_and_check), wired by
// app::engine_setup / app::sampling_plan, and the simulator's blocks are fed to that engine in
// order, as `iotawatt accuracy` does. Each block also goes to a second engine, identical but for
// step detection off, in alternating order; the difference of their thread CPU times is the
// detectors' cost.
//
// It prints, for true steps of |delta P| >= 25 W (TrueStep, Simulator::take_steps) in the
// scored span (after 2 s of warm-up, before the last 70 s, the longest a transient may take):
//   recall      true steps matched by an event on the same channel, same sign, within 0.5 s
//   precision   events matched to a true step (events matching a step under 25 W are neither)
//   false/idle  unmatched events per idle channel (no load) per simulated day (target <= 1)
//   timing      event time - true time, in cycles of the nominal frequency (target <= 1)
//   delta P     (event delta_w - true delta_w) / true delta_w (target <= 2 %)
//   cost        detector ns per CT channel-cycle, and % of one core for 14 CTs at 50 Hz (the
//               per-cycle cost does not depend on the conversion rate), against the engine's
//               own % of one core at 200 000 conversions/s (target: detectors <= 5 %).
// Defaults: 0.5 simulated hours at 200 000 conversions/s, 12-bit ADC model, seed 1 (about
// 20 s on one core). The table says what was run.
#include <fmt/format.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "app/config_load.h"
#include "app/wiring.h"
#include "measure/engine.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"

namespace {

using iw::measure::StepEvent;
using iw::sim::TrueStep;

constexpr char kScenario[] = "appliance-events-230v-50hz";
constexpr int64_t kStartNs = 1'750'000'000'000'000'000;
constexpr int64_t kWarmupNs = 2'000'000'000;
constexpr int64_t kTailNs = 70'000'000'000;
constexpr int64_t kMatchNs = 500'000'000;
constexpr double kScoredWatts = 25;

int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct ChannelScore {
  std::string name;
  bool idle = false;
  int truths = 0;  // scored true steps
  int matched = 0;
  int events = 0;
  int false_events = 0;
  double worst_cycles = 0;
  double worst_dp = 0;
};

struct Totals {
  std::vector<double> timing_cycles;  // signed
  std::vector<double> dp_error;       // relative, signed
};

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(std::min<double>(static_cast<double>(v.size()) - 1, q * static_cast<double>(v.size())))];
}

// CPU ns per StepDetector::add over a synthetic stream shaped like a busy circuit: a load
// switching between 0 and 2 kW every 8 s (with a 5-cycle inrush) under +-5 W of noise. The
// engine A/B above is the honest total but sits in timing noise; this isolates the detector.
double detector_ns_per_cycle() {
  constexpr int kCycles = 4'000'000;
  iw::measure::StepDetector detector(1);
  iw::measure::StepQueue queue(16);
  uint64_t lcg = 7;
  std::vector<iw::measure::StepCycle> cycles(4096);
  for (size_t k = 0; k < cycles.size(); ++k) {
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    const double noise = 5 * (static_cast<double>(lcg >> 11) * 0x1.0p-53 * 2 - 1);
    const size_t phase = k % 800;
    const bool on = (k / 800) % 2 == 1 || k >= 1600;
    const double inrush = on && phase < 5 ? 3 : 1;
    const double w = (on ? 2000 * inrush : 0) + noise;
    cycles[k] = {static_cast<int64_t>(k) * 20'000'000, w, 0.1 * w, std::fabs(w) / 230, std::fabs(w) / 160};
  }
  iw::measure::StepEvent sink;
  const int64_t t0 = thread_cpu_ns();
  for (int k = 0; k < kCycles; ++k) {
    iw::measure::StepCycle c = cycles[static_cast<size_t>(k) & 4095];
    c.start_ns = static_cast<int64_t>(k) * 20'000'000;
    detector.add(c, queue);
    while (queue.pop(&sink)) {
    }
  }
  return static_cast<double>(thread_cpu_ns() - t0) / kCycles;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"events_bench: step events against the simulator's truth"};
  double hours = 0.5, days = 0, rate = 200000;
  uint64_t seed = 1;
  std::string adc = "12bit";
  cli.add_option("--hours", hours, "simulated hours");
  cli.add_option("--days", days, "simulated days (wins over --hours)");
  cli.add_option("--seed", seed, "the simulator's seed");
  cli.add_option("--rate", rate, "conversions per second");
  cli.add_option("--adc", adc, "12bit or ideal")->check(CLI::IsMember({"12bit", "ideal"}));
  bool verbose = false;
  cli.add_flag("--verbose", verbose, "list false events, misses and matches off by more than a cycle or 2 %");
  CLI11_PARSE(cli, argc, argv);
  if (days > 0) hours = days * 24;
  const double seconds = hours * 3600;

  iw::sim::Panel panel = iw::sim::make_scenario(kScenario).value();
  if (adc == "ideal") panel.adc.mode = iw::sim::AdcMode::kIdeal;
  std::vector<std::string> notes;
  auto parsed = iw::app::parse_and_check(panel.iotawatt_config().dump(), &notes);
  if (!parsed) {
    fmt::print(stderr, "events_bench: the scenario's config does not load: {}\n", parsed.error());
    return 1;
  }
  const iw::config::Config& cfg = parsed.value();
  iw::measure::EngineSetup with_steps = iw::app::engine_setup(cfg, iw::app::AdcScaling{});
  iw::measure::EngineSetup without = with_steps;
  for (auto& ch : without.channels) ch.steps.enabled = false;
  iw::measure::Engine engine(with_steps);
  iw::measure::Engine bare(without);
  const double hz = panel.mains.hz;
  auto created = iw::sim::Simulator::create(panel, iw::app::sampling_plan(cfg, rate, hz), kStartNs, seed);
  if (!created) {
    fmt::print(stderr, "events_bench: simulator: {}\n", created.error());
    return 1;
  }
  iw::sim::Simulator& sim = *created.value();

  std::vector<TrueStep> truths;
  std::vector<StepEvent> events;
  int64_t cpu_with = 0, cpu_without = 0;
  const int64_t end_ns = kStartNs + static_cast<int64_t>(seconds * 1e9);
  const int64_t wall0 = thread_cpu_ns();
  iw::measure::SampleBlock block;
  for (uint64_t k = 0; sim.next_block_ns() < end_ns; ++k) {
    if (!sim.read(block).ok()) return 1;
    // Alternate the order so that neither engine always finds the block in a warm cache.
    for (int pass = 0; pass < 2; ++pass) {
      const bool steps = (pass == 0) == (k % 2 == 0);
      const int64_t t0 = thread_cpu_ns();
      (steps ? engine : bare).process(block);
      (steps ? cpu_with : cpu_without) += thread_cpu_ns() - t0;
    }
    StepEvent e;
    while (engine.steps().pop(&e)) events.push_back(e);
    for (const TrueStep& s : sim.take_steps()) truths.push_back(s);
  }
  const double run_cpu_s = static_cast<double>(thread_cpu_ns() - wall0) * 1e-9;

  // Score per channel.
  const int64_t from = kStartNs + kWarmupNs, until = end_ns - kTailNs;
  std::map<int, ChannelScore> score;
  for (const iw::sim::Channel& ch : panel.channels) {
    if (ch.type != iw::sim::ChannelType::kCT) continue;
    score[ch.input] = ChannelScore{ch.name, ch.loads.empty() && !ch.mains};
  }
  auto in_span = [&](int64_t t) { return t >= from && t < until; };
  std::vector<bool> used(truths.size(), false);
  Totals totals;
  for (const StepEvent& e : events) {
    if (!in_span(e.time_ns)) continue;
    ChannelScore& s = score[e.channel];
    ++s.events;
    // The nearest unmatched true step of the same channel and sign.
    int best = -1;
    int64_t best_dt = kMatchNs + 1;
    for (size_t i = 0; i < truths.size(); ++i) {
      const TrueStep& t = truths[i];
      if (used[i] || t.input != e.channel || (t.delta_w > 0) != (e.delta_w > 0)) continue;
      const int64_t dt = std::llabs(e.time_ns - t.time_ns);
      if (dt < best_dt) {
        best_dt = dt;
        best = static_cast<int>(i);
      }
    }
    if (best < 0) {
      ++s.false_events;
      if (verbose) {
        fmt::print("false  {:<12} at {:.3f} s: {:+.1f} W\n", s.name, static_cast<double>(e.time_ns - kStartNs) * 1e-9,
                   e.delta_w);
      }
      continue;
    }
    used[static_cast<size_t>(best)] = true;
    const TrueStep& t = truths[static_cast<size_t>(best)];
    if (std::fabs(t.delta_w) < kScoredWatts || !in_span(t.time_ns)) continue;  // neither right nor wrong
    ++s.matched;
    const double cycles = static_cast<double>(e.time_ns - t.time_ns) * 1e-9 * hz;
    const double dp = (e.delta_w - t.delta_w) / t.delta_w;
    totals.timing_cycles.push_back(cycles);
    totals.dp_error.push_back(dp);
    if (verbose && (std::fabs(cycles) > 1 || std::fabs(dp) > 0.02)) {
      fmt::print("off    {:<12} at {:.3f} s: {:+.2f} cycles, {:+.1f} W for {:+.1f} W ({:+.2f} %), ramp {} s\n", s.name,
                 static_cast<double>(t.time_ns - kStartNs) * 1e-9, cycles, e.delta_w, t.delta_w, 100 * dp, t.ramp_s);
    }
    s.worst_cycles = std::max(s.worst_cycles, std::fabs(cycles));
    s.worst_dp = std::max(s.worst_dp, std::fabs(dp));
  }
  for (size_t i = 0; i < truths.size(); ++i) {
    const TrueStep& t = truths[i];
    if (std::fabs(t.delta_w) < kScoredWatts || !in_span(t.time_ns)) continue;
    ++score[t.input].truths;
    if (verbose && !used[i]) {
      fmt::print("missed {:<12} at {:.3f} s: {:+.1f} W\n", score[t.input].name,
                 static_cast<double>(t.time_ns - kStartNs) * 1e-9, t.delta_w);
    }
  }

  const double scored_days = static_cast<double>(until - from) * 1e-9 / 86400;
  fmt::print("events_bench: {} over {:.2f} simulated hours ({:.3f} scored days), {} conversions/s, {} ADC, seed {}\n",
             kScenario, hours, scored_days, rate, adc, seed);
  fmt::print("\n{:<12} {:>6} {:>7} {:>6} {:>7} {:>6} {:>12} {:>10}\n", "channel", "steps", "matched", "missed",
             "events", "false", "worst |dt|", "worst |dP|");
  int truths_total = 0, matched_total = 0, events_total = 0, false_total = 0, idle_channels = 0, idle_false = 0;
  for (const auto& [input, s] : score) {
    fmt::print("{:<12} {:>6} {:>7} {:>6} {:>7} {:>6} {:>9.2f} cy {:>9.3f} %{}\n", s.name, s.truths, s.matched,
               s.truths - s.matched, s.events, s.false_events, s.worst_cycles, 100 * s.worst_dp,
               s.idle ? "  (idle)" : "");
    truths_total += s.truths;
    matched_total += s.matched;
    events_total += s.events;
    false_total += s.false_events;
    if (s.idle) {
      ++idle_channels;
      idle_false += s.false_events;
    }
  }
  std::vector<double> abs_cycles, abs_dp;
  for (double c : totals.timing_cycles) abs_cycles.push_back(std::fabs(c));
  for (double d : totals.dp_error) abs_dp.push_back(std::fabs(d));
  const auto within = [](const std::vector<double>& v, double limit) {
    return v.empty() ? 0.0 : 100.0 * static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) {
             return x <= limit;
           })) / static_cast<double>(v.size());
  };
  const double recall = truths_total > 0 ? 100.0 * matched_total / truths_total : 0;
  const double precision = events_total > 0 ? 100.0 * (events_total - false_total) / events_total : 0;
  const double idle_rate = idle_channels > 0 && scored_days > 0 ? idle_false / (idle_channels * scored_days) : 0;
  fmt::print("\nrecall     {:7.3f} %  ({} of {} steps >= 25 W)              target >= 99 %\n", recall, matched_total,
             truths_total);
  fmt::print("precision  {:7.3f} %  ({} false of {} events)\n", precision, false_total, events_total);
  fmt::print("false/idle {:7.3f}    per idle channel per day ({} on {} idle channels)  target <= 1\n", idle_rate,
             idle_false, idle_channels);
  fmt::print("timing     |dt| mean {:.3f}, p95 {:.3f}, max {:.3f} cycles; {:.2f} % within 1 cycle  target <= 1\n",
             abs_cycles.empty() ? 0.0 : std::accumulate(abs_cycles.begin(), abs_cycles.end(), 0.0) / abs_cycles.size(),
             percentile(abs_cycles, 0.95), percentile(abs_cycles, 1.0), within(abs_cycles, 1.0));
  fmt::print("delta P    |err| mean {:.3f} %, p95 {:.3f} %, max {:.3f} %; {:.2f} % within 2 %  target <= 2 %\n",
             abs_dp.empty() ? 0.0 : 100 * std::accumulate(abs_dp.begin(), abs_dp.end(), 0.0) / abs_dp.size(),
             100 * percentile(abs_dp, 0.95), 100 * percentile(abs_dp, 1.0), within(abs_dp, 0.02));

  // Cost: per CT channel-cycle, from the two engines' CPU times.
  uint64_t ct_cycles = 0;
  for (const auto& [input, s] : score) ct_cycles += engine.live(static_cast<size_t>(input)).cycles;
  const double detector_ns = static_cast<double>(cpu_with - cpu_without) / static_cast<double>(ct_cycles);
  const double core_14 = detector_ns * 14 * hz * 1e-9 * 100;
  const double engine_core = static_cast<double>(cpu_without) * 1e-9 / seconds * (200000 / rate) * 100;
  fmt::print("cost       detectors {:.1f} ns per CT channel-cycle ({} channel-cycles): {:.4f} % of one core for 14 "
             "CTs at {:.0f} Hz\n",
             detector_ns, ct_cycles, core_14, hz);
  fmt::print("           engine without detectors {:.3f} % of one core at 200 000 conversions/s; with/without CPU "
             "{:.4f}\n",
             engine_core, static_cast<double>(cpu_with) / static_cast<double>(cpu_without));
  const double isolated_ns = detector_ns_per_cycle();
  fmt::print("           detector alone (synthetic busy circuit) {:.1f} ns per channel-cycle: {:.4f} % of one core "
             "for 14 CTs at {:.0f} Hz\n",
             isolated_ns, isolated_ns * 14 * hz * 1e-9 * 100, hz);
  fmt::print("           queue: {} pushed, {} dropped; run took {:.1f} s of CPU\n", engine.steps().pushed(),
             engine.steps().dropped(), run_cpu_s);
  return 0;
}
