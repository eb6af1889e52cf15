#include "views/status_model.h"

#include <chrono>
#include <cmath>

#include "app/version.h"
#include "calc/live_operands.h"
#include "calc/value.h"

namespace iw::views {
namespace {

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

StatusContext::StatusContext(const config::Config& config, const calc::Calculator& calculator,
                             const query::TimeZone& zone, std::string source, std::string mode, int64_t start_time)
    : config_(config),
      calculator_(calculator),
      zone_(zone),
      source_(std::move(source)),
      mode_(std::move(mode)),
      network_(app::network_identity()),
      start_time_(start_time) {}

server::SamplingStatus sampling_status(const app::SamplerSnapshot& snap) {
  server::SamplingStatus s;
  s.conversions_per_second = snap.conversions_per_second;
  s.channel_cycles_per_second = snap.channel_cycles_per_second;
  s.samples_per_cycle = snap.stats.samples_per_cycle;
  s.cpu_percent = snap.process_cpu_percent;
  s.sampler_cpu_percent = snap.sampler_cpu_percent;
  s.cycles = snap.stats.cycles;
  s.dropped_cycles = snap.stats.dropped_cycles;
  s.lag_ms = snap.lag_ms;
  s.lag_peak_ms = snap.lag_peak_ms;
  s.restarts = snap.stats.restarts;
  return s;
}

server::StatusModel StatusContext::build(const app::SamplerSnapshot& snap,
                                         const std::vector<app::DatalogStatus>& datalogs) const {
  server::StatusModel m;
  m.device_name = config_.device.name;
  m.current_time = unix_now();
  m.timediff_minutes = zone_.standard_offset_s(m.current_time) / 60;
  m.allow_dst = zone_.has_dst(m.current_time);
  m.timezone = config_.timezone_name;
  m.utc_offset_s =
      static_cast<int>(zone_.to_local(m.current_time) - cctz::civil_second(1970, 1, 1, 0, 0, 0) - m.current_time);
  m.update_class = config_.update;
  m.version = app::running_version();
  m.start_time = start_time_;
  m.free_bytes = app::available_memory_bytes();
  m.mac = network_.mac;
  m.ip = network_.ip;
  m.connect_time = start_time_;

  m.sampling = sampling_status(snap);
  m.sampling.mode = mode_;
  m.sampling.source = source_;

  for (size_t ch = 0; ch < config_.inputs.size(); ++ch) {
    const config::Input* in = config_.input(static_cast<int>(ch));
    if (in == nullptr) continue;
    server::InputStatus is;
    is.channel = static_cast<int>(ch);
    is.name = in->name;
    is.is_voltage = in->is_vt();
    is.role = config::to_string(in->role);
    if (ch < snap.values.size() && ch < snap.last_cycle.size()) {
      const measure::ChannelLive& last = snap.last_cycle[ch];
      is.live = snap.values[ch];
      is.phase = last.lead_deg;
      is.last_phase = last.last_phase_deg;
      is.reversed = last.reversed;
      if (ch < snap.clipped.size()) is.clipped = snap.clipped[ch];
      if (in->is_vt() && m.frequency == 0) m.frequency = is.live.hz;
    }
    m.inputs.push_back(is);
  }
  const calc::LiveOperands operands(calculator_, snap.values);
  for (const calc::Output& out : calculator_.outputs()) {
    m.outputs.push_back({out.name, std::string(calc::unit_name(out.unit)),
                         calc::value_of(out.script, out.unit, operands), calc::script_precision(out.unit)});
  }
  for (const app::DatalogStatus& d : datalogs) {
    m.datalogs.push_back({d.id, d.first_key.value_or(0), d.last_key.value_or(0), d.size, d.interval, d.error});
  }
  return m;
}

}  // namespace iw::views
