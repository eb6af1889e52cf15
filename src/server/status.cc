#include "server/status.h"

#include <cmath>
#include <utility>

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
    j["Vrms"] = round_to(in.live.volts, 3);
    j["Hz"] = round_to(in.live.hz, 3);
    j["phase"] = round_to(in.phase, 2);
  } else {
    j["Watts"] = watts_string(in.live.watts);
    j["Pf"] = round_to(measure::power_factor(in.live), 4);
    if (in.reversed) j["reversed"] = true;
    j["phase"] = round_to(in.phase, 2);
    j["lastphase"] = round_to(in.last_phase, 2);
    // Our additions: the same values as numbers, for clients that want them.
    j["Amps"] = round_to(in.live.amps, 3);
    j["VA"] = round_to(in.live.va, 1);
  }
  // Ours: samples at 0 or full scale in the last second (an overdriven CT or VT reads low).
  j["clipped"] = in.clipped;
  j["name"] = in.name;
  if (!in.role.empty()) j["role"] = in.role;  // ours, for the web app's home view
  return j;
}

json stats_json(const StatusModel& m) {
  const SamplingStatus& s = m.sampling;
  const double per_channel = m.inputs.empty() ? 0 : s.channel_cycles_per_second / static_cast<double>(m.inputs.size());
  json j = json{{"cyclerate", round_to(s.samples_per_cycle, 2)},
                {"chanrate", round_to(s.channel_cycles_per_second, 2)},
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
                  {"channel_cycles_per_second", round_to(per_channel, 2)},
                  {"cpu_percent", round_to(s.cpu_percent, 2)},
                  {"sampler_cpu_percent", round_to(s.sampler_cpu_percent, 2)},
                  {"cycles", s.cycles},
                  {"dropped_cycles", s.dropped_cycles},
                  {"lag_ms", round_to(s.lag_ms, 2)},
                  {"lag_peak_ms", round_to(s.lag_peak_ms, 2)},
                  {"restarts", s.restarts},
                  {"error", s.error}}}};
  if (!s.error.empty()) {
    j["sampling"]["open_attempts"] = s.open_attempts;
    j["sampling"]["retry_in_s"] = round_to(s.retry_in_s, 1);
  }
  return j;
}

// Release 02_08_04's per-uploader sections and the config key each one reports.
constexpr std::pair<const char*, const char*> kLegacyUploaderSections[] = {
    {"influx1", "influxdb"}, {"influx2", "influxdb2"}, {"emoncms", "emoncms"}, {"pvoutput", "pvoutput"}};

// The original's id for a config key ("influxdb" -> "influxDB").
std::string uploader_id(const std::string& key) {
  if (key == "influxdb") return "influxDB";
  if (key == "influxdb2") return "influxDB2";
  if (key == "emoncms") return "Emoncms";
  if (key == "pvoutput") return "PVoutput";
  return key;
}

json legacy_uploader_json(const UploaderEntry& u) {
  json j{{"status", u.state == "stopped" || u.state == "invalid" ? "stopped" : "running"}, {"lastpost", u.last_post}};
  if (!u.last_error.empty()) j["message"] = u.last_error;
  return j;
}

// The original's {id, status, lastpost[, message]} plus ours.
json uploader_json(const UploaderEntry& u) {
  json j = legacy_uploader_json(u);
  j["id"] = uploader_id(u.name);
  j["name"] = u.name;
  j["type"] = u.type;
  j["state"] = u.state;
  j["backlog_s"] = u.backlog_s;
  j["backlog_intervals"] = u.backlog_intervals;
  j["last_error"] = u.last_error;
  if (u.events_delivered) j["events_delivered"] = *u.events_delivered;
  if (u.events_skipped) j["events_skipped"] = *u.events_skipped;
  return j;
}

json update_json(const UpdateStatus& u) {
  json history = json::array();
  for (const UpdateEvent& e : u.history) {
    history.push_back({{"time", e.time}, {"from", e.from}, {"to", e.to}, {"outcome", e.outcome}, {"reason", e.reason}});
  }
  return {{"class", u.update_class},
          {"version", u.version},
          {"arch", u.arch},
          {"state", u.state},
          {"message", u.message},
          {"available", u.available},
          {"lastcheck", u.last_check},
          {"nextcheck", u.next_check},
          {"trial", u.trial},
          {"history", std::move(history)}};
}

}  // namespace

json render_status(const StatusModel& m, const Sections& sections) {
  json out = json::object();
  auto wants = [&](const char* name) { return sections.count(name) > 0; };
  if (wants("device")) {
    out["device"] = {{"name", m.device_name},    {"timediff", m.timediff_minutes}, {"allowdst", m.allow_dst},
                     {"update", m.update_class}, {"timezone", m.timezone},         {"utc_offset", m.utc_offset_s}};
    if (m.https_port) out["device"]["https"] = {{"port", m.https_port}, {"fingerprint", m.tls_fingerprint}};
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
      json entry{
          {"id", d.id}, {"firstkey", d.first_key}, {"lastkey", d.last_key}, {"size", d.size}, {"interval", d.interval}};
      if (!d.error.empty()) entry["error"] = d.error;
      logs.push_back(std::move(entry));
    }
    out["datalogs"] = std::move(logs);
  }
  if (wants("uploaders")) {
    json list = json::array();
    for (const UploaderEntry& u : m.uploaders) list.push_back(uploader_json(u));
    out["uploaders"] = std::move(list);
  }
  for (const auto& [legacy, key] : kLegacyUploaderSections) {
    if (!wants(legacy)) continue;
    out[legacy] = {{"state", "not running"}};
    for (const UploaderEntry& u : m.uploaders) {
      if (u.name == key) out[legacy] = legacy_uploader_json(u);
    }
  }
  if (wants("update")) out["update"] = update_json(m.update);
  if (wants("wifi")) {
    out["wifi"] = {
        {"connecttime", m.connect_time}, {"SSID", "wired"}, {"IP", m.ip}, {"channel", 0}, {"RSSI", 0}, {"mac", m.mac}};
  }
  if (wants("passwords")) {
    out["passwords"] = {{"admin", m.admin_password}, {"user", m.user_password}, {"localAccess", m.local_access}};
  }
  return out;
}

}  // namespace iw::server
