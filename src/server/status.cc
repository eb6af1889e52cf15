#include "server/status.h"

#include <cmath>

namespace iw::server {
namespace {

using nlohmann::json;

// The original serialises floats at full float precision; clients round. Two or three
// decimals keep responses short without losing anything a display shows.
double round_to(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

std::string watts_string(double watts) {
  if (watts > -2 && watts < 2) return "0";
  return std::to_string(static_cast<long long>(std::llround(watts)));
}

json input_json(const InputStatus& in) {
  json j{{"channel", in.channel}};
  if (in.is_voltage) {
    j["Vrms"] = round_to(in.volts, 3);
    j["Hz"] = round_to(in.hz, 3);
    j["phase"] = round_to(in.phase, 2);
  } else {
    j["Watts"] = watts_string(in.watts);
    j["Pf"] = round_to(in.pf, 4);
    if (in.reversed) j["reversed"] = true;
    j["phase"] = round_to(in.phase, 2);
    j["lastphase"] = round_to(in.last_phase, 2);
    // Our additions: the same values as numbers, for clients that want them.
    j["Amps"] = round_to(in.amps, 3);
    j["VA"] = round_to(in.va, 1);
  }
  j["name"] = in.name;
  return j;
}

json stats_json(const StatusModel& m) {
  const SamplingStatus& s = m.sampling;
  return json{{"cyclerate", round_to(m.cyclerate, 2)},
              {"chanrate", round_to(m.chanrate, 2)},
              {"starttime", m.start_time},
              {"currenttime", m.current_time},
              {"runseconds", m.current_time - m.start_time},
              {"stack", m.free_bytes},
              {"version", m.version},
              {"frequency", round_to(m.frequency, 3)},
              {"lowbat", false},
              {"sampling",
               {{"mode", s.mode},
                {"source", s.source},
                {"conversions_per_second", std::llround(s.conversions_per_second)},
                {"channel_cycles_per_second", round_to(s.channel_cycles_per_second, 2)},
                {"cpu_percent", round_to(s.cpu_percent, 2)},
                {"sampler_cpu_percent", round_to(s.sampler_cpu_percent, 2)},
                {"dropped_cycles", s.dropped_cycles},
                {"lag_ms", round_to(s.lag_ms, 2)},
                {"lag_peak_ms", round_to(s.lag_peak_ms, 2)},
                {"restarts", s.restarts}}}};
}

}  // namespace

json render_status(const StatusModel& m, const Sections& sections) {
  json out = json::object();
  auto wants = [&](const char* name) { return sections.count(name) > 0; };
  if (wants("device")) {
    out["device"] = {{"name", m.device_name},
                     {"timediff", m.timediff_minutes},
                     {"allowdst", m.allow_dst},
                     {"update", m.update_class}};
  }
  if (wants("stats")) out["stats"] = stats_json(m);
  if (wants("inputs")) {
    json inputs = json::array();
    for (const InputStatus& in : m.inputs) inputs.push_back(input_json(in));
    out["inputs"] = std::move(inputs);
  }
  if (wants("outputs")) {
    json outputs = json::array();
    for (const OutputStatus& o : m.outputs) {
      outputs.push_back({{"name", o.name}, {"units", o.units}, {"value", round_to(o.value, o.decimals)}});
    }
    out["outputs"] = std::move(outputs);
  }
  if (wants("datalogs")) {
    json logs = json::array();
    for (const DatalogEntry& d : m.datalogs) {
      json entry{{"id", d.id}, {"firstkey", d.first_key}, {"lastkey", d.last_key},
                 {"size", d.size}, {"interval", d.interval}};
      if (!d.error.empty()) entry["error"] = d.error;
      logs.push_back(std::move(entry));
    }
    out["datalogs"] = std::move(logs);
  }
  if (wants("uploaders")) out["uploaders"] = json::array();
  for (const char* legacy : {"influx1", "influx2", "emoncms", "pvoutput"}) {
    if (wants(legacy)) out[legacy] = {{"state", "not running"}};
  }
  if (wants("wifi")) {
    out["wifi"] = {{"connecttime", m.connect_time}, {"SSID", "wired"}, {"IP", m.ip},
                   {"channel", 0}, {"RSSI", 0}, {"mac", m.mac}};
  }
  if (wants("passwords")) {
    out["passwords"] = {{"admin", m.admin_password}, {"user", m.user_password},
                        {"localAccess", m.local_access}};
  }
  return out;
}

}  // namespace iw::server
