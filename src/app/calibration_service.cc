#include "app/calibration_service.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <thread>

#include "base/json_read.h"
#include "config/config_writer.h"
#include "config/model_catalog.h"

namespace iw::app {
namespace {

using nlohmann::json;

// The datalog writes a record every 5 s; one more than a minute away means a gap.
constexpr int64_t kMaxRecordDistanceS = 60;

std::optional<double> number_member(const json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

Status read_channel(const json& doc, const char* key, int* out) {
  const auto it = doc.find(key);
  if (it == doc.end()) return Status::InvalidArgument(fmt::format("{}: missing; the input's channel number", key));
  const std::optional<int64_t> channel = json_integer(*it, 0, config::kMaxChannels - 1);
  if (!channel) return Status::InvalidArgument(fmt::format("{}: {} is not a channel number", key, it->dump()));
  *out = static_cast<int>(*channel);
  return Status::Ok();
}

Status check_input(const config::Config& config, int channel, const char* key, config::InputType type) {
  const config::Input* in = config.input(channel);
  if (in == nullptr) return Status::InvalidArgument(fmt::format("{}: channel {} has no input", key, channel));
  if (in->type != type) {
    return Status::InvalidArgument(fmt::format("{}: {} (channel {}) is a {}, this step needs a {}", key, in->name,
                                               channel, config::to_string(in->type), config::to_string(type)));
  }
  return Status::Ok();
}

Status read_reference(const json& ref, CalibrationRequest& r) {
  r.volts = number_member(ref, "volts");
  r.amps = number_member(ref, "amps");
  r.kwh_start = number_member(ref, "kwh_start");
  r.kwh_end = number_member(ref, "kwh_end");
  if (r.step == "vt_ratio" && !r.volts) {
    return Status::InvalidArgument("reference: give the voltmeter's reading, {\"volts\": 231.4}");
  }
  if (r.step != "ct_ratio") return Status::Ok();
  if (r.amps) return Status::Ok();
  const auto begin = number_member(ref, "begin");
  const auto end = number_member(ref, "end");
  if (!r.kwh_start || !r.kwh_end || !begin || !end) {
    return Status::InvalidArgument(
        "reference: give the clamp meter's {\"amps\": 9.87}, or the utility meter's {\"kwh_start\": ..., "
        "\"kwh_end\": ..., \"begin\": <unix time of the first reading>, \"end\": <unix time of the second>}");
  }
  r.begin = static_cast<int64_t>(*begin);
  r.end = static_cast<int64_t>(*end);
  if (r.end - r.begin < 600) {
    return Status::InvalidArgument(
        "reference: begin and end must be at least 10 minutes apart (a day or more gives "
        "the meter's resolution room)");
  }
  return Status::Ok();
}

Status read_channels(const json& doc, const config::Config& config, CalibrationRequest& r) {
  r.channels = {r.channel};
  const auto it = doc.find("channels");
  if (it == doc.end()) return Status::Ok();
  if (!it->is_array() || it->empty()) return Status::InvalidArgument("channels: not a list of channel numbers");
  r.channels.clear();
  for (const json& c : *it) {
    const std::optional<int64_t> channel = json_integer(c, 0, config::kMaxChannels - 1);
    if (!channel) return Status::InvalidArgument(fmt::format("channels: {} is not a channel number", c.dump()));
    if (Status st = check_input(config, static_cast<int>(*channel), "channels", config::InputType::kCT); !st) {
      return st;
    }
    r.channels.push_back(static_cast<int>(*channel));
  }
  return Status::Ok();
}

json number(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

json side(const config::Input& in, double error, const std::string& unit, bool phase) {
  json j = {{"error", number(error, unit == "deg" ? 4 : 3)}, {"unit", unit}};
  if (phase) {
    j["phase"] = in.phase;
    if (!in.p50.empty()) j["p50"] = in.p50;
    if (!in.p60.empty()) j["p60"] = in.p60;
    j["pf05_error_percent"] = number(config::pf05_error_percent(error), 3);
  } else {
    j["cal"] = in.cal;
    if (in.turns) j["turns"] = *in.turns;
  }
  return j;
}

}  // namespace

Result<CalibrationRequest> parse_calibration_request(const std::string& body, const config::Config& config) {
  const JsonRead read = read_json(body);
  if (!read.ok()) return Status::InvalidArgument("the body is not JSON: " + read.error->message());
  const json& doc = read.value;
  if (!doc.is_object())
    return Status::InvalidArgument("the body is not a JSON object like {\"step\": \"ct_phase\", \"channel\": 2}");
  CalibrationRequest r;
  const auto step = doc.find("step");
  if (step != doc.end() && step->is_string()) r.step = step->get<std::string>();
  if (r.step != "vt_ratio" && r.step != "ct_phase" && r.step != "vt_phase" && r.step != "ct_ratio") {
    return Status::InvalidArgument("step: give one of \"vt_ratio\", \"vt_phase\", \"ct_phase\", \"ct_ratio\"");
  }
  if (Status st = read_channel(doc, "channel", &r.channel); !st) return st;
  const bool vt_step = r.step == "vt_ratio" || r.step == "vt_phase";
  if (Status st = check_input(config, r.channel, "channel", vt_step ? config::InputType::kVT : config::InputType::kCT);
      !st)
    return st;
  if (r.step == "vt_phase") {
    if (Status st = read_channel(doc, "ct", &r.ct); !st)
      return Status::InvalidArgument(st.message() + " of the trusted CT");
    if (Status st = check_input(config, r.ct, "ct", config::InputType::kCT); !st) return st;
    const config::Input& ct = *config.input(r.ct);
    if (ct.vchan != r.channel) {
      return Status::InvalidArgument(
          fmt::format("ct: {} is referenced to channel {}, not to this VT", ct.name, ct.vchan));
    }
    if (config::ModelCatalog::builtin().find_ct(ct.model) == nullptr) {
      return Status::InvalidArgument(
          fmt::format("ct: {} is a \"{}\" CT, whose lead is not known; use a circuit whose CT is a catalog model",
                      ct.name, ct.model));
    }
  }
  if (auto s = number_member(doc, "seconds")) r.seconds = *s;
  if (!(r.seconds >= 1 && r.seconds <= 60)) return Status::InvalidArgument("seconds: 1 to 60");
  if (const auto a = doc.find("apply"); a != doc.end()) {
    if (!a->is_boolean()) return Status::InvalidArgument("apply: true or false");
    r.apply = a->get<bool>();
  }
  const auto ref = doc.find("reference");
  if (Status st = read_reference(ref != doc.end() && ref->is_object() ? *ref : json::object(), r); !st) return st;
  if (r.step == "ct_ratio") {
    if (Status st = read_channels(doc, config, r); !st) return st;
  }
  return r;
}

config::Reading reading_between(const SamplerSnapshot& a, const SamplerSnapshot& b, size_t channel) {
  config::Reading r;
  if (channel >= a.counters.size() || channel >= b.counters.size()) return r;
  const measure::ChannelCounters& c0 = a.counters[channel];
  const measure::ChannelCounters& c1 = b.counters[channel];
  const double seconds = c1.seconds.value() - c0.seconds.value();
  r.seconds = seconds;
  if (seconds > 0) {
    r.volts = (c1.vh.value() - c0.vh.value()) * 3600 / seconds;
    r.amps = (c1.ah.value() - c0.ah.value()) * 3600 / seconds;
  }
  if (channel < a.last_cycle.size() && channel < b.last_cycle.size()) {
    const measure::ChannelLive& l0 = a.last_cycle[channel];
    const measure::ChannelLive& l1 = b.last_cycle[channel];
    const double measured = l1.measured_s - l0.measured_s;
    if (measured > 0) {
      r.watts = (l1.watt_s - l0.watt_s) / measured;
      r.vars = (l1.var_s - l0.var_s) / measured;
    }
  }
  return r;
}

Result<config::Reading> measure_reading(const Sampler& sampler, size_t channel, double seconds,
                                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  SamplerSnapshot first = sampler.snapshot();
  // The first snapshot of a fresh pipeline has no counters yet.
  while (first.counters.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    first = sampler.snapshot();
  }
  const auto wanted = first.time_ns + static_cast<int64_t>(seconds * 1e9);
  for (;;) {
    SamplerSnapshot now = sampler.snapshot();
    if (!first.counters.empty() && now.time_ns >= wanted) return reading_between(first, now, channel);
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Unavailable(fmt::format("no measurement within {} s: the sample source is not running ({})",
                                             timeout.count() / 1000,
                                             now.error.empty() ? "no error reported" : now.error));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Result<double> energy_between(const query::RecordSource& records, const std::vector<int>& channels, int64_t begin,
                              int64_t end) {
  double wh[2] = {0, 0};
  const int64_t at[2] = {begin, end};
  for (int k = 0; k < 2; ++k) {
    auto rec = records.at_or_before(at[k]);
    if (!rec) return rec.status();
    if (!rec.value() || std::llabs(rec.value()->time - at[k]) > kMaxRecordDistanceS) {
      return Status::NotFound(
          fmt::format("the datalog has no record within a minute of {} (unix time {}): the "
                      "daemon was not measuring then",
                      k == 0 ? "begin" : "end", at[k]));
    }
    for (int ch : channels) {
      const auto c = static_cast<size_t>(ch);
      if (c >= rec.value()->channels.size())
        return Status::InvalidArgument(fmt::format("channel {} is not in the datalog", ch));
      const measure::ChannelCounters& counters = rec.value()->channels[c];
      wh[k] += counters.wh_import.value() - counters.wh_export.value();
    }
  }
  return wh[1] - wh[0];
}

Result<CalibrationAnswer> propose_calibration(const config::Config& config, const CalibrationRequest& request,
                                              const config::Reading& reading, double measured_wh) {
  const config::Input& target = *config.input(request.channel);
  CalibrationAnswer answer;
  Result<config::Proposal> first = Status::InvalidArgument("unknown step");
  json measured = {{"seconds", number(reading.seconds, 2)},
                   {"volts", number(reading.volts, 3)},
                   {"amps", number(reading.amps, 4)},
                   {"watts", number(reading.watts, 2)},
                   {"vars", number(reading.vars, 3)},
                   {"angle_deg", number(config::phase_error_deg(reading.watts, reading.vars), 4)}};
  json reference = json::object();
  if (request.step == "vt_ratio") {
    first = config::calibrate_vt_ratio(target, reading, *request.volts);
    reference["volts"] = *request.volts;
  } else if (request.step == "ct_phase") {
    first = config::calibrate_ct_phase(target, reading);
  } else if (request.step == "vt_phase") {
    first = config::calibrate_vt_phase(target, *config.input(request.ct), reading);
    measured["channel"] = request.ct;
  } else if (request.amps) {
    first = config::calibrate_ct_ratio(target, config.device.burden_ohms(target.channel), reading.amps, *request.amps,
                                       "amps");
    reference["amps"] = *request.amps;
  } else {
    const double reference_wh = (*request.kwh_end - *request.kwh_start) * 1000;
    measured = {
        {"wh", number(measured_wh, 2)}, {"begin", request.begin}, {"end", request.end}, {"channels", request.channels}};
    reference = {{"kwh_start", *request.kwh_start}, {"kwh_end", *request.kwh_end}, {"wh", reference_wh}};
    for (int ch : request.channels) {
      const config::Input& in = *config.input(ch);
      auto p = config::calibrate_ct_ratio(in, config.device.burden_ohms(ch), measured_wh, reference_wh, "Wh");
      if (!p) return p.status();
      if (ch == request.channel) first = p;
      answer.inputs.push_back(p->input);
    }
    if (!first)
      first = config::calibrate_ct_ratio(target, config.device.burden_ohms(target.channel), measured_wh, reference_wh,
                                         "Wh");
  }
  if (!first) return first.status();
  const config::Proposal& p = first.value();
  if (answer.inputs.empty()) answer.inputs.push_back(p.input);
  const bool phase = p.unit == "deg";
  const json doc = config_json_with(config, answer.inputs);
  json entries = json::array();
  for (const config::Input& in : answer.inputs) entries.push_back(doc["inputs"][static_cast<size_t>(in.channel)]);
  answer.body = {{"step", request.step},
                 {"channel", request.channel},
                 {"name", target.name},
                 {"measured", measured},
                 {"reference", reference},
                 {"before", side(target, p.before, p.unit, phase)},
                 {"after", side(p.input, p.after, p.unit, phase)},
                 {"input", entries[0]},
                 {"inputs", entries}};
  if (phase) {
    answer.body["shift_deg"] = p.shift_deg;
  } else {
    answer.body["factor"] = p.factor;
  }
  for (size_t k = 0; k < answer.inputs.size(); ++k) {
    if (answer.inputs[k].channel == request.channel) answer.body["input"] = entries[k];
  }
  return answer;
}

json config_json_with(const config::Config& config, const std::vector<config::Input>& inputs) {
  config::Config next = config;
  for (const config::Input& in : inputs) next.inputs[static_cast<size_t>(in.channel)] = in;
  return config::serialize(next);  // writes an input's p50/p60 where they differ from its model's
}

}  // namespace iw::app
