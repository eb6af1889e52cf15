#include "cli/accuracy_calibration.h"

#include "app/config_load.h"
#include "config/calibration.h"
#include "config/config_writer.h"

namespace iw::cli {
namespace {

config::Reading reading_of(const ChannelReading& r) {
  config::Reading out;
  out.seconds = r.measured_s;
  out.volts = r.volts;
  out.amps = r.amps;
  out.watts = r.measured_s > 0 ? r.watt_s / r.measured_s : 0;
  out.vars = r.measured_s > 0 ? r.signed_var_s / r.measured_s : 0;
  return out;
}

Result<config::Config> load(const std::string& text) {
  std::vector<std::string> notes;
  return app::parse_and_check(text, &notes);
}

// Step 1: the VT's ratio against a voltmeter (the true Vrms) and every CT's phase.
Status calibrate_phases(config::Config& cfg, const PathRun& run) {
  for (std::optional<config::Input>& slot : cfg.inputs) {
    if (!slot) continue;
    config::Input& in = *slot;
    const ChannelReading* r = run.find(in.channel);
    if (r == nullptr) return Status::InvalidArgument(in.name + ": not measured");
    auto step = in.is_vt() ? config::calibrate_vt_ratio(in, reading_of(*r), r->truth_vrms)
                           : config::calibrate_ct_phase(in, reading_of(*r));
    if (!step) return Status::InvalidArgument(in.name + ": " + step.error());
    in = step->input;
  }
  return Status::Ok();
}

// Step 2: every CT's ratio against the reference meter's energy.
Status calibrate_ratios(config::Config& cfg, const PathRun& run) {
  for (std::optional<config::Input>& slot : cfg.inputs) {
    if (!slot || !slot->is_ct()) continue;
    config::Input& in = *slot;
    const ChannelReading* r = run.find(in.channel);
    if (r == nullptr) return Status::InvalidArgument(in.name + ": not measured");
    auto step = config::calibrate_ct_ratio(in, cfg.device.burden_ohms(in.channel), r->net_wh(), r->truth_wh, "Wh");
    if (!step) return Status::InvalidArgument(in.name + ": " + step.error());
    in = step->input;
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> calibrate_like_a_user(const sim::Panel& kettle, const std::string& config_text,
                                          const PathRunOptions& options) {
  auto cfg = load(config_text);
  if (!cfg) return cfg.status();
  auto first = measure_through_config(kettle, config_text, options);
  if (!first) return first.status();
  if (Status st = calibrate_phases(cfg.value(), first.value()); !st) return st;
  const std::string phased = config::serialize_text(cfg.value());
  auto second = measure_through_config(kettle, phased, options);
  if (!second) return second.status();
  if (Status st = calibrate_ratios(cfg.value(), second.value()); !st) return st;
  return config::serialize_text(cfg.value());
}

}  // namespace iw::cli
