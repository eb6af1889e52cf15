#include "config/calibration.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

namespace iw::config {
namespace {

constexpr double kDeg = 180 / std::numbers::pi;

// Saved values: leads to a thousandth of a degree, ratios to 6 significant digits.
double round_lead(double deg) { return std::round(deg * 1000) / 1000; }
double round_ratio(double x) {
  if (!(x > 0)) return x;
  const double scale = std::pow(10.0, 5 - std::floor(std::log10(x)));
  return std::round(x * scale) / scale;
}

// Leads of a [phi0, t1, phi1, ...] table are its even elements.
void shift_table(std::vector<double>& table, double deg, bool round) {
  for (size_t k = 0; k < table.size(); k += 2) {
    table[k] += deg;
    if (round) table[k] = round_lead(table[k]);
  }
}

Input shifted(const Input& in, double deg, bool round) {
  Input out = in;
  out.phase += deg;
  if (round) out.phase = round_lead(out.phase);
  shift_table(out.p50, deg, round);
  shift_table(out.p60, deg, round);
  return out;
}

// The checks every phase step makes on the reading of a CT under the resistive load.
Status check_resistive_load(const Input& ct, const Reading& r) {
  if (!(r.watts > 0)) {
    return Status::InvalidArgument(
        fmt::format("no power on {} ({:.1f} W): switch on a resistive load on this circuit (a kettle, heater or "
                    "incandescent lamp) and keep it on during the measurement",
                    ct.name, r.watts));
  }
  const double range = ct.cal * kInputRangeVrms;
  if (r.amps < kMinPhaseLoadShare * range) {
    return Status::InvalidArgument(
        fmt::format("the load on {} draws {:.2f} A, less than {:.0f} % of this input's range ({:.0f} A): use a larger "
                    "resistive load (a 2 kW kettle draws 9 A at 230 V), or pass the wire through the CT several times",
                    ct.name, r.amps, kMinPhaseLoadShare * 100, range));
  }
  const double angle = phase_error_deg(r.watts, r.vars);
  if (std::fabs(angle) > kMaxResidualDeg) {
    return Status::InvalidArgument(fmt::format(
        "the load on {} is not resistive enough (power factor {:.3f}, {:.1f} degrees): switch off motors, "
        "fans, LED lights and electronics on this circuit and use a kettle or heater alone; check that the CT "
        "is referenced to the VT of its own phase",
        ct.name, r.watts / std::hypot(r.watts, r.vars), angle));
  }
  return Status::Ok();
}

Status check_factor(double factor, const std::string& what) {
  if (!(factor > 0) || factor > kMaxRatioFactor || factor < 1 / kMaxRatioFactor) {
    return Status::InvalidArgument(
        fmt::format("{} would change the ratio by a factor of {:.3f} (more than {:g} either way): check the reference "
                    "reading, its unit and the channel",
                    what, factor, kMaxRatioFactor));
  }
  return Status::Ok();
}

}  // namespace

double phase_error_deg(double watts, double vars) {
  if (watts == 0 && vars == 0) return 0;
  return std::atan2(vars, watts) * kDeg;
}

double pf05_error_percent(double lead_error_deg) {
  // A 60 degree lagging load read with the current shifted by e: cos(60 - e) / cos(60) - 1.
  // e > 0 (configured lead too large) makes the current look more lagging: it reads low.
  const double e = lead_error_deg / kDeg;
  return (std::cos(std::numbers::pi / 3 + e) / std::cos(std::numbers::pi / 3) - 1) * 100;
}

Input shift_lead(const Input& in, double deg) { return shifted(in, deg, false); }

Input scale_ratio(const Input& in, double factor, double burden_ohms) {
  Input out = in;
  if (in.is_ct() && in.turns && burden_ohms > 0) {
    out.turns = *in.turns * factor;
    out.cal = *out.turns / burden_ohms;
  } else {
    out.cal = in.cal * factor;
  }
  return out;
}

Result<Proposal> calibrate_vt_ratio(const Input& vt, const Reading& r, double meter_volts) {
  if (!vt.is_vt()) return Status::InvalidArgument(fmt::format("{} is not a VT", vt.name));
  if (!(r.volts > 1)) {
    return Status::InvalidArgument(
        fmt::format("{} measures no voltage ({:.1f} V): is the VT plugged in?", vt.name, r.volts));
  }
  if (!(meter_volts > 0))
    return Status::InvalidArgument("reference: give the voltmeter's reading in volts, e.g. 231.4");
  Proposal p;
  p.unit = "%";
  p.factor = meter_volts / r.volts;
  if (Status st = check_factor(p.factor, fmt::format("{} V against {:.2f} V", meter_volts, r.volts)); !st) return st;
  p.input = scale_ratio(vt, p.factor, 0);
  p.input.cal = round_ratio(p.input.cal);
  p.before = (r.volts / meter_volts - 1) * 100;
  p.after = (r.volts * p.input.cal / vt.cal / meter_volts - 1) * 100;
  return p;
}

Result<Proposal> calibrate_ct_phase(const Input& ct, const Reading& r) {
  if (!ct.is_ct()) return Status::InvalidArgument(fmt::format("{} is not a CT", ct.name));
  if (Status st = check_resistive_load(ct, r); !st) return st;
  Proposal p;
  p.unit = "deg";
  p.before = phase_error_deg(r.watts, r.vars);
  p.shift_deg = -p.before;
  p.input = shifted(ct, p.shift_deg, true);
  p.after = p.before + (p.input.phase - ct.phase);  // what rounding leaves
  return p;
}

Result<Proposal> calibrate_vt_phase(const Input& vt, const Input& trusted_ct, const Reading& r) {
  if (!vt.is_vt()) return Status::InvalidArgument(fmt::format("{} is not a VT", vt.name));
  if (!trusted_ct.is_ct() || trusted_ct.vchan != vt.channel) {
    return Status::InvalidArgument(fmt::format("{} is not a CT on the VT {}", trusted_ct.name, vt.name));
  }
  if (Status st = check_resistive_load(trusted_ct, r); !st) return st;
  Proposal p;
  p.unit = "deg";
  p.before = phase_error_deg(r.watts, r.vars);
  p.shift_deg = p.before;
  p.input = shifted(vt, p.shift_deg, true);
  p.after = p.before - (p.input.phase - vt.phase);
  return p;
}

Result<Proposal> calibrate_ct_ratio(const Input& ct, double burden_ohms, double measured, double reference,
                                    const std::string& what) {
  if (!ct.is_ct()) return Status::InvalidArgument(fmt::format("{} is not a CT", ct.name));
  if (!(reference > 0)) return Status::InvalidArgument(fmt::format("reference: the {} must be positive", what));
  if (!(measured > 0)) {
    return Status::InvalidArgument(fmt::format(
        "{} measured no {} ({:g}): switch on a load on this circuit; if it reads negative, the CT is reversed", ct.name,
        what, measured));
  }
  Proposal p;
  p.unit = "%";
  p.factor = reference / measured;
  if (Status st = check_factor(p.factor, fmt::format("{:g} against {:g} measured", reference, measured)); !st)
    return st;
  p.input = scale_ratio(ct, p.factor, burden_ohms);
  if (p.input.turns && burden_ohms > 0 && ct.is_ct() && ct.turns) {
    p.input.turns = round_ratio(*p.input.turns);
    p.input.cal = *p.input.turns / burden_ohms;
  } else {
    p.input.cal = round_ratio(p.input.cal);
  }
  p.before = (measured / reference - 1) * 100;
  p.after = (measured * p.input.cal / ct.cal / reference - 1) * 100;
  return p;
}

}  // namespace iw::config
