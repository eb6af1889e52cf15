#include "app/wiring.h"

namespace iw::app {

double units_per_count(const config::Input& input, const AdcScaling& scaling) {
  const double volts_per_count = scaling.vref_volts / 4096.0;
  if (input.is_vt()) return input.cal * scaling.vt_divider * volts_per_count;
  return input.cal * volts_per_count;
}

measure::EngineSetup engine_setup(const config::Config& config, const AdcScaling& scaling) {
  measure::EngineSetup setup;
  setup.channels.resize(config.inputs.size());
  for (size_t ch = 0; ch < config.inputs.size(); ++ch) {
    const config::Input* in = config.input(static_cast<int>(ch));
    if (in == nullptr) continue;
    measure::ChannelSetup& cs = setup.channels[ch];
    cs.kind = in->is_vt() ? measure::ChannelKind::kVoltage : measure::ChannelKind::kCurrent;
    cs.units_per_count = units_per_count(*in, scaling);
    cs.phase = in->phase_table();
    cs.reverse = in->reverse;
    if (in->is_ct()) {
      cs.vt = in->vchan;
      cs.vphase_deg = in->vphase;
      cs.vmult = in->vmult;
      cs.allow_negative = in->is_signed;
      cs.steps.enabled = in->step_watts > 0;
      cs.steps.threshold_w = in->step_watts > 0 ? in->step_watts : config::kDefaultStepWatts;
    }
  }
  if (config.sampling.noise_floor_lsb) setup.noise_floor_counts = *config.sampling.noise_floor_lsb;
  return setup;
}

source::SamplingPlan sampling_plan(const config::Config& config, double conversions_per_second, double nominal_hz) {
  source::SamplingPlan plan;
  plan.mode = config.sampling.mode;
  plan.conversions_per_second = config.sampling.conversions_per_second.value_or(conversions_per_second);
  plan.nominal_hz = nominal_hz;
  for (size_t ch = 0; ch < config.inputs.size(); ++ch) {
    const config::Input* in = config.input(static_cast<int>(ch));
    if (in == nullptr) continue;
    if (in->is_vt()) {
      plan.voltage_inputs.push_back(static_cast<uint8_t>(ch));
    } else {
      plan.current_inputs.push_back({static_cast<uint8_t>(ch), static_cast<uint8_t>(in->vchan)});
    }
  }
  return plan;
}

}  // namespace iw::app
