#include "sim/panel.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

namespace iw::sim {
namespace {

constexpr double kFirmwareDivider = 13;  // the original's Vadj_3: what the daemon assumes

std::string channel_label(const Channel& ch) { return "input " + std::to_string(ch.input) + " (" + ch.name + ")"; }

Status validate_mains(const Mains& m) {
  if (!(m.volts > 0) || !(m.volts_scale > 0))
    return Status::InvalidArgument("mains: volts and volts_scale must be positive");
  if (!(m.hz + m.hz_offset - std::fabs(m.drift_hz) > 1)) {
    return Status::InvalidArgument("mains: frequency (hz + hz_offset - |drift_hz|) must stay above 1 Hz");
  }
  for (const VoltageHarmonic& h : m.harmonics) {
    if (h.order < 2 || h.order > 200) return Status::InvalidArgument("mains: harmonic orders must be 2 to 200");
  }
  for (double s : m.phase_scale) {
    if (!(s >= 0)) return Status::InvalidArgument("mains: phase_scale must not be negative");
  }
  return Status::Ok();
}

Status validate_load(const Load& l, const Mains& mains) {
  const std::string what = "load \"" + l.name + "\"";
  if (!mains.has_line(l.line)) {
    return Status::InvalidArgument(what + ": line " + to_string(l.line) + " does not exist in this wiring");
  }
  if (!(l.pf > 0 && l.pf <= 1)) return Status::InvalidArgument(what + ": pf must be in (0, 1]");
  for (const CurrentHarmonic& h : l.harmonics) {
    if (h.order < 2 || h.order > 200) return Status::InvalidArgument(what + ": harmonic orders must be 2 to 200");
  }
  if (l.kind == LoadKind::kSolar && (!(l.sunrise_h < l.sunset_h) || l.watts < 0)) {
    return Status::InvalidArgument(what + ": solar needs sunrise_h < sunset_h and watts >= 0");
  }
  if (l.switching) {
    const Switching& s = *l.switching;
    if (!(s.on_min_s > 0 && s.off_min_s > 0 && s.on_max_s >= s.on_min_s && s.off_max_s >= s.off_min_s)) {
      return Status::InvalidArgument(what + ": switching durations must be positive with max >= min");
    }
  }
  if (l.program) {
    if (l.switching) return Status::InvalidArgument(what + ": a load has a program or switching, not both");
    if (Status s = l.program->validate(); !s) return Status::InvalidArgument(what + ": " + s.message());
  }
  if (!(l.fluctuation >= 0 && l.fluctuation < 1)) return Status::InvalidArgument(what + ": fluctuation must be in [0, 1)");
  return Status::Ok();
}

// What add_vt and add_ct both set; each then fills in its own fields.
Channel base_channel(int input, std::string name, ChannelType type, Line line) {
  Channel ch;
  ch.input = input;
  ch.name = std::move(name);
  ch.type = type;
  ch.line = line;
  return ch;
}

}  // namespace

int Panel::add_load(Load load) {
  loads.push_back(std::move(load));
  return static_cast<int>(loads.size()) - 1;
}

Channel& Panel::add_vt(int input, std::string name, VtModel vt, Line line) {
  Channel ch = base_channel(input, std::move(name), ChannelType::kVT, line);
  ch.vt = std::move(vt);
  ch.m.vchan = input;
  channels.push_back(std::move(ch));
  return channels.back();
}

Channel& Panel::add_ct(int input, std::string name, CtModel ct, std::vector<int> load_ids, Line conductor) {
  Channel ch = base_channel(input, std::move(name), ChannelType::kCT, conductor);
  ch.ct = std::move(ct);
  ch.loads = std::move(load_ids);
  for (const Channel& other : channels) {
    if (other.type == ChannelType::kVT) {
      ch.m.vchan = other.input;
      break;
    }
  }
  channels.push_back(std::move(ch));
  return channels.back();
}

Channel& Panel::add_mains_ct(int input, std::string name, CtModel ct, Line conductor) {
  Channel& ch = add_ct(input, std::move(name), std::move(ct), {}, conductor);
  ch.mains = true;
  ch.m.is_signed = true;
  return ch;
}

const Channel* Panel::find(int input) const {
  for (const Channel& ch : channels) {
    if (ch.input == input) return &ch;
  }
  return nullptr;
}

Channel* Panel::find(int input) {
  for (Channel& ch : channels) {
    if (ch.input == input) return &ch;
  }
  return nullptr;
}

Status Panel::validate() const {
  if (device_channels < 1 || device_channels > 256) return Status::InvalidArgument("device_channels must be 1 to 256");
  if (!(board_divider > 0)) return Status::InvalidArgument("board_divider must be positive");
  if (Status s = validate_mains(mains); !s) return s;
  if (Status s = adc.validate(); !s) return s;
  for (const Load& l : loads) {
    if (Status s = validate_load(l, mains); !s) return s;
  }
  std::set<int> inputs;
  std::set<std::string> names;
  for (const Channel& ch : channels) {
    const std::string what = channel_label(ch);
    if (ch.input < 0 || ch.input >= device_channels) {
      return Status::InvalidArgument(what + ": input must be 0 to " + std::to_string(device_channels - 1));
    }
    if (!inputs.insert(ch.input).second) return Status::InvalidArgument(what + ": input used twice");
    if (ch.name.empty() || !names.insert(ch.name).second)
      return Status::InvalidArgument(what + ": name empty or used twice");
    if (!mains.has_line(ch.line)) {
      return Status::InvalidArgument(what + ": line " + std::string(to_string(ch.line)) +
                                     " does not exist in this wiring");
    }
    if (ch.type == ChannelType::kVT) {
      if (Status s = ch.vt.validate(); !s) return Status::InvalidArgument(what + ": " + s.message());
      continue;
    }
    if (!is_phase(ch.line)) return Status::InvalidArgument(what + ": a CT clamps a phase conductor (A, B or C)");
    if (Status s = ch.ct.validate(); !s) return Status::InvalidArgument(what + ": " + s.message());
    if (!mains.has_line(ch.truth_voltage_line())) return Status::InvalidArgument(what + ": truth_line does not exist");
    for (int id : ch.loads) {
      if (id < 0 || static_cast<size_t>(id) >= loads.size()) {
        return Status::InvalidArgument(what + ": load index " + std::to_string(id) + " out of range");
      }
      if (!ch.mains && conductor_sign(loads[static_cast<size_t>(id)].line, ch.line) == 0) {
        return Status::InvalidArgument(what + ": load \"" + loads[static_cast<size_t>(id)].name +
                                       "\" does not flow in conductor " + to_string(ch.line));
      }
    }
    const Channel* ref = find(ch.m.vchan);
    if (ref == nullptr || ref->type != ChannelType::kVT) {
      return Status::InvalidArgument(what + ": vchan " + std::to_string(ch.m.vchan) + " is not a VT channel");
    }
    if (!(ch.m.vmult > 0)) return Status::InvalidArgument(what + ": vmult must be positive");
    if ((ch.m.p50 && !valid_lead_table(*ch.m.p50)) || (ch.m.p60 && !valid_lead_table(*ch.m.p60))) {
      return Status::InvalidArgument(what + ": measurement p50/p60 malformed");
    }
  }
  return Status::Ok();
}

double Panel::measurement_cal(const Channel& ch) const {
  if (ch.m.cal) return *ch.m.cal;
  if (ch.type == ChannelType::kCT) return ch.ct.cal();
  return ch.vt.ratio * board_divider / kFirmwareDivider;
}

double Panel::measurement_phase(const Channel& ch) const {
  if (ch.m.phase) return *ch.m.phase;
  return ch.type == ChannelType::kCT ? ch.ct.phase_deg : ch.vt.phase_deg;
}

const std::vector<double>& Panel::measurement_p50(const Channel& ch) const {
  if (ch.m.p50) return *ch.m.p50;
  return ch.type == ChannelType::kCT ? ch.ct.p50 : ch.vt.p50;
}

const std::vector<double>& Panel::measurement_p60(const Channel& ch) const {
  if (ch.m.p60) return *ch.m.p60;
  return ch.type == ChannelType::kCT ? ch.ct.p60 : ch.vt.p60;
}

namespace {

// The model name to write: the sensor's table name when the model tables carry exactly the
// lead data in effect, otherwise "generic" (the config then carries phase, and the input's
// own p50/p60, which the config parser reads).
template <typename Model>
bool matches_catalog(const Model& hw, const Result<Model>& catalog, const std::vector<double>& p50,
                     const std::vector<double>& p60) {
  return catalog.ok() && hw.name != "generic" && catalog.value().p50 == p50 && catalog.value().p60 == p60 &&
         hw.p50 == p50 && hw.p60 == p60;
}

}  // namespace

// The home view's role of a CT (config "role"): the mains, a solar inverter, or a circuit.
const char* Panel::role_of(const Channel& ch) const {
  if (ch.mains) return "mains";
  for (int load : ch.loads) {
    if (loads[static_cast<size_t>(load)].kind == LoadKind::kSolar) return "solar";
  }
  return "circuit";
}

nlohmann::json Panel::iotawatt_config() const {
  using nlohmann::json;
  json inputs = json::array();
  for (int i = 0; i < device_channels; ++i) inputs.push_back(nullptr);
  for (const Channel& ch : channels) {
    if (ch.input < 0 || ch.input >= device_channels) continue;
    const std::vector<double>& p50 = measurement_p50(ch);
    const std::vector<double>& p60 = measurement_p60(ch);
    json in = json::object();
    in["channel"] = ch.input;
    in["name"] = ch.name;
    in["cal"] = measurement_cal(ch);
    in["phase"] = measurement_phase(ch);
    bool catalog;
    if (ch.type == ChannelType::kVT) {
      in["type"] = "VT";
      catalog = matches_catalog(ch.vt, vt_model(ch.vt.name), p50, p60);
      in["model"] = catalog ? ch.vt.name : "generic";
    } else {
      in["type"] = "CT";
      catalog = matches_catalog(ch.ct, ct_model(ch.ct.name), p50, p60);
      in["model"] = catalog ? ch.ct.name : "generic";
      in["vchan"] = ch.m.vchan;
      in["vphase"] = ch.m.vphase;
      if (ch.m.vmult != 1) in["vmult"] = ch.m.vmult;
      in["signed"] = ch.m.is_signed;
      in["double"] = ch.m.doubled;
    }
    in["reverse"] = ch.m.reverse;
    if (ch.type == ChannelType::kCT) in["role"] = role_of(ch);
    if (!catalog) {
      if (!p50.empty()) in["p50"] = p50;
      if (!p60.empty()) in["p60"] = p60;
    }
    inputs[static_cast<size_t>(ch.input)] = std::move(in);
  }
  // No "refvolts": in a config it is the voltage of a board's reference diode (2.5 V), which the
  // simulated board does not have; a simulator config run on hardware would read it as one.
  json device = {{"name", device_name}, {"version", 3}, {"channels", device_channels}};
  return json{{"format", 2},
              {"timezone", utc_offset_s / 3600},
              {"device", std::move(device)},
              {"inputs", std::move(inputs)},
              {"sim", {{"scenario", scenario}}}};
}

source::SamplingPlan plan_for(const Panel& panel, source::SamplingMode mode) {
  source::SamplingPlan plan;
  plan.mode = mode;
  plan.nominal_hz = panel.mains.hz;
  std::vector<const Channel*> sorted;
  for (const Channel& ch : panel.channels) sorted.push_back(&ch);
  std::sort(sorted.begin(), sorted.end(), [](const Channel* a, const Channel* b) { return a->input < b->input; });
  for (const Channel* ch : sorted) {
    if (ch->type == ChannelType::kVT) plan.voltage_inputs.push_back(static_cast<uint8_t>(ch->input));
  }
  for (const Channel* ch : sorted) {
    if (ch->type == ChannelType::kCT) {
      plan.current_inputs.push_back({static_cast<uint8_t>(ch->input), static_cast<uint8_t>(ch->m.vchan)});
    }
  }
  return plan;
}

}  // namespace iw::sim
