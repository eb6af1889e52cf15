#include "sim/tolerances.h"

#include "sim/random.h"

namespace iw::sim {

Status SensorTolerances::validate() const {
  for (double b : {ct_ratio_pct, ct_phase_deg, ct_phase_slope_deg, vt_ratio_pct, vt_phase_deg, vt_phase_slope_deg}) {
    if (!(b >= 0)) return Status::InvalidArgument("sensor tolerances must not be negative");
  }
  if (ct_ratio_pct >= 50 || vt_ratio_pct >= 50)
    return Status::InvalidArgument("sensor ratio tolerances must be below 50 %");
  return Status::Ok();
}

namespace {

// Measurement = catalog, written out, so perturbing the hardware cannot move it.
void pin_measurement(const Panel& panel, Channel& ch) {
  ch.m.cal = panel.measurement_cal(ch);
  ch.m.phase = panel.measurement_phase(ch);
  ch.m.p50 = panel.measurement_p50(ch);
  ch.m.p60 = panel.measurement_p60(ch);
}

SensorDeviation draw(SplitMix& rng, double ratio_pct, double phase_deg, double slope_deg) {
  SensorDeviation d;
  d.ratio_error = rng.symmetric(ratio_pct / 100);
  d.phase_offset_deg = rng.symmetric(phase_deg);
  d.phase_slope_deg = rng.symmetric(slope_deg);
  return d;
}

}  // namespace

Status apply_sensor_tolerances(Panel& panel, const SensorTolerances& tol, uint64_t seed) {
  if (Status s = tol.validate(); !s) return s;
  for (Channel& ch : panel.channels) pin_measurement(panel, ch);
  for (Channel& ch : panel.channels) {
    // One stream per input: the draw does not depend on the other channels.
    SplitMix rng(SplitMix(seed ^ 0x5e5077e55e5077e5ULL).next() + SplitMix(static_cast<uint64_t>(ch.input)).next());
    if (ch.type == ChannelType::kCT) {
      ch.ct.deviation = draw(rng, tol.ct_ratio_pct, tol.ct_phase_deg, tol.ct_phase_slope_deg);
    } else {
      ch.vt.deviation = draw(rng, tol.vt_ratio_pct, tol.vt_phase_deg, tol.vt_phase_slope_deg);
      ch.vt.deviation.reference_level = panel.mains.nominal_volts(ch.line);
    }
  }
  return Status::Ok();
}

std::vector<SensorTruth> sensor_truth(const Panel& panel) {
  std::vector<SensorTruth> out;
  for (const Channel& ch : panel.channels) {
    out.push_back({ch.input, ch.type, ch.type == ChannelType::kCT ? ch.ct.deviation : ch.vt.deviation});
  }
  return out;
}

}  // namespace iw::sim
