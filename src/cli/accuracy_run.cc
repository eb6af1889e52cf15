#include "cli/accuracy_run.h"

#include <memory>

#include "app/assembly.h"
#include "app/config_load.h"
#include "app/wiring.h"
#include "measure/engine.h"
#include "sim/simulator.h"
#include "source/replay_writer.h"

namespace iw::cli {
namespace {

constexpr int64_t kCheckpointNs = 1'000'000'000;  // the sampler's interval

// The counters and truth of every configured input at one checkpoint.
struct Snapshot {
  int64_t time_ns = 0;
  std::vector<ChannelReading> at;  // cumulative since the start
};

Snapshot snapshot(const measure::Checkpoint& cp, const sim::Truth& truth, const config::Config& cfg) {
  Snapshot s;
  s.time_ns = cp.time_ns;
  for (size_t i = 0; i < cfg.inputs.size(); ++i) {
    const config::Input* in = cfg.input(static_cast<int>(i));
    if (in == nullptr || i >= cp.counters.size()) continue;
    const measure::ChannelCounters& c = cp.counters[i];
    ChannelReading r;
    r.input = static_cast<int>(i);
    r.is_ct = in->is_ct();
    r.net_uwh = c.wh_import.micros() - c.wh_export.micros();
    r.abs_uwh = c.wh_import.micros() + c.wh_export.micros();
    r.varh = c.varh.value();
    r.volts = c.vh.value();  // volt-hours until differenced
    r.amps = c.ah.value();   // amp-hours likewise
    if (cp.live != nullptr && i < cp.live->size()) {
      const measure::ChannelLive& live = (*cp.live)[i];
      r.measured_s = live.measured_s;
      r.watt_s = live.watt_s;
      r.signed_var_s = live.var_s;
    }
    if (const sim::ChannelTruth* t = truth.find(r.input)) {
      r.truth_wh = t->wh();
      r.truth_vrms = t->volt_s / 3600;  // volt-hours, likewise
    }
    s.at.push_back(r);
  }
  return s;
}

// The readings between two snapshots; mean volts from the volt-hour differences.
std::vector<ChannelReading> between(const Snapshot& first, const Snapshot& last) {
  std::vector<ChannelReading> out = last.at;
  const double hours = static_cast<double>(last.time_ns - first.time_ns) / 3.6e12;
  for (size_t k = 0; k < out.size() && k < first.at.size(); ++k) {
    const ChannelReading& a = first.at[k];
    ChannelReading& r = out[k];
    r.net_uwh -= a.net_uwh;
    r.abs_uwh -= a.abs_uwh;
    r.varh -= a.varh;
    r.truth_wh -= a.truth_wh;
    r.volts = hours > 0 ? (r.volts - a.volts) / hours : 0;
    r.amps = hours > 0 ? (r.amps - a.amps) / hours : 0;
    r.measured_s -= a.measured_s;
    r.watt_s -= a.watt_s;
    r.signed_var_s -= a.signed_var_s;
    r.truth_vrms = hours > 0 ? (r.truth_vrms - a.truth_vrms) / hours : 0;
  }
  return out;
}

}  // namespace

const ChannelReading* PathRun::find(int input) const {
  for (const ChannelReading& r : channels) {
    if (r.input == input) return &r;
  }
  return nullptr;
}

Result<PathRun> measure_through_config(sim::Panel panel, const std::string& config_text,
                                       const PathRunOptions& options) {
  std::vector<std::string> notes;
  auto parsed = app::parse_and_check(config_text, &notes);
  if (!parsed) return Status::InvalidArgument("the panel's config does not load: " + parsed.error());
  config::Config cfg = std::move(parsed.value());
  if (Status st = app::apply_mode(source::to_string(options.mode), cfg); !st) return st;
  const double hz = panel.mains.hz;
  measure::Engine engine(app::engine_setup(cfg, app::AdcScaling{}));
  auto simulator = sim::Simulator::create(std::move(panel), app::sampling_plan(cfg, options.conversions_per_second, hz),
                                          options.start_ns, options.seed);
  if (!simulator) return Status::InvalidArgument("simulator: " + simulator.error());
  sim::Simulator& sim = *simulator.value();
  std::unique_ptr<source::ReplayWriter> recording;
  if (!options.record_path.empty()) {
    auto writer = source::ReplayWriter::Create(options.record_path, sim.panel().adc.effective_bits());
    if (!writer) return writer.status();
    recording = std::move(writer.value());
  }

  std::optional<Snapshot> first;
  Snapshot last;
  Status failed = Status::Ok();
  engine.set_checkpoints(kCheckpointNs, [&](const measure::Checkpoint& cp) {
    if (cp.time_ns < options.start_ns + options.settle_ns || cp.time_ns % options.checkpoint_step_ns != 0) return;
    auto truth = sim.truth_until(cp.time_ns, sim::Accrual::kCycleMean);
    if (!truth) {
      failed = Status::InvalidArgument("truth: " + truth.error());
      return;
    }
    last = snapshot(cp, truth.value(), cfg);
    if (!first) first = last;
  });
  const int64_t end_ns = options.start_ns + static_cast<int64_t>(options.seconds * 1e9);
  measure::SampleBlock block;
  while (sim.next_block_ns() < end_ns && failed.ok()) {
    if (Status st = sim.read(block); !st) return st;
    if (recording) {
      if (Status st = recording->append(block); !st) return st;
    }
    engine.process(block);
  }
  if (!failed.ok()) return failed;
  if (recording) {
    if (Status st = recording->close(); !st) return st;
  }
  if (!first || last.time_ns <= first->time_ns) {
    return Status::InvalidArgument("the run is too short for two checkpoints after settling");
  }
  PathRun run;
  run.config_text = config_text;
  run.first_checkpoint_ns = first->time_ns;
  run.last_checkpoint_ns = last.time_ns;
  run.channels = between(*first, last);
  return run;
}

}  // namespace iw::cli
