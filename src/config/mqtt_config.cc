#include "config/mqtt_config.h"

#include <fstream>
#include <string_view>

#include "config/json_reader.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kSection = "mqtt";
constexpr std::string_view kKnownKeys =
    "enabled, host, port, tls, username, password, client_id, base_topic, node_id, discovery, "
    "discovery_prefix, live_interval, keepalive, reconnect_max, qos, retain, events, inputs, outputs";
constexpr std::string_view kKnownTlsKeys = "enabled, ca_file, cert_file, key_file";

// A topic we publish under: levels separated by '/', none empty, no wildcards, not a broker
// ($SYS) topic. Returns what is wrong, or "" when it is fine.
std::string topic_problem(std::string_view topic) {
  if (topic.empty()) return "must not be empty";
  if (topic.front() == '$') return "must not start with '$' (broker topics)";
  if (topic.find_first_of("+#") != std::string_view::npos) return "must not contain the wildcards + or #";
  if (topic.find('\0') != std::string_view::npos) return "must not contain a NUL character";
  if (topic.front() == '/' || topic.back() == '/' || topic.find("//") != std::string_view::npos) {
    return "must not have an empty level (no leading, trailing or double '/')";
  }
  return "";
}

// [A-Za-z0-9_-]+: what Home Assistant accepts in a node id and an object id.
bool valid_node_id(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void read_int(ObjectReader& r, std::string_view key, int lo, int hi, int& out, Problems& problems) {
  const auto v = r.integer(key);
  if (!v) return;
  if (*v < lo || *v > hi) {
    problems.add(r.path_of(key), "must be " + std::to_string(lo) + "-" + std::to_string(hi));
    return;
  }
  out = static_cast<int>(*v);
}

void read_text(ObjectReader& r, std::string_view key, std::string& out) {
  if (auto v = r.string(key)) out = *v;
}

// A readable file (certificates and keys are read when connecting; a wrong path should be
// reported when the config is saved, not minutes later in the log).
void check_file(const std::string& path, const std::string& key, Problems& problems) {
  if (path.empty()) return;
  std::ifstream in(path);
  if (!in) problems.add(key, "cannot read \"" + path + "\"");
}

MqttTls read_tls(const json& v, const std::string& path, Problems& problems) {
  MqttTls tls;
  if (v.is_boolean()) {  // "tls": true is short for {"enabled": true}
    tls.enabled = v.get<bool>();
    return tls;
  }
  if (!v.is_object()) {
    problems.add(path, "must be true, false or an object with " + std::string(kKnownTlsKeys));
    return tls;
  }
  ObjectReader r(v, path, problems);
  tls.enabled = r.boolean("enabled").value_or(true);
  read_text(r, "ca_file", tls.ca_file);
  read_text(r, "cert_file", tls.cert_file);
  read_text(r, "key_file", tls.key_file);
  r.report_unknown(kKnownTlsKeys);
  check_file(tls.ca_file, r.path_of("ca_file"), problems);
  check_file(tls.cert_file, r.path_of("cert_file"), problems);
  check_file(tls.key_file, r.path_of("key_file"), problems);
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    problems.add(path, "cert_file and key_file go together (a client certificate needs its key)");
  }
  return tls;
}

// A list of channel names, or the string "all" (the same as leaving the key out).
std::optional<std::vector<std::string>> read_names(const json& v, const std::string& path, Problems& problems) {
  if (v.is_string() && v.get<std::string>() == "all") return std::nullopt;
  if (!v.is_array()) {
    problems.add(path, "must be \"all\" or an array of names, not " + detail::describe(v));
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < v.size(); ++i) {
    if (auto name = detail::read_string(v[i], detail::index_path(path, i), problems)) names.push_back(*name);
  }
  return names;
}

void check_input_names(const MqttConfig& m, const Config& config, Problems& problems) {
  if (!m.inputs) return;
  for (size_t i = 0; i < m.inputs->size(); ++i) {
    bool found = false;
    for (size_t ch = 0; ch < config.inputs.size() && !found; ++ch) {
      const Input* in = config.input(static_cast<int>(ch));
      found = in != nullptr && in->name == (*m.inputs)[i];
    }
    if (!found) {
      problems.add(detail::index_path("mqtt.inputs", i), "no active input is called " + json((*m.inputs)[i]).dump());
    }
  }
}

void apply_defaults(MqttConfig& m, const Config& config, bool port_given) {
  const std::string& device = config.device.name;
  if (m.client_id.empty()) m.client_id = "iotawatt-" + device;
  if (m.base_topic.empty()) m.base_topic = "iotawatt/" + device;
  if (m.node_id.empty()) m.node_id = "iotawatt_" + device;
  if (m.tls.enabled && !port_given) m.port = 8883;
}

void read_topics(ObjectReader& r, MqttConfig& m, Problems& problems) {
  read_text(r, "client_id", m.client_id);
  read_text(r, "base_topic", m.base_topic);
  read_text(r, "discovery_prefix", m.discovery_prefix);
  read_text(r, "node_id", m.node_id);
  if (auto d = r.boolean("discovery")) m.discovery = *d;
  // Defaults are valid by construction (device names are [A-Za-z0-9_-]); only what the user
  // wrote is checked.
  if (!m.base_topic.empty()) {
    if (std::string why = topic_problem(m.base_topic); !why.empty()) problems.add(r.path_of("base_topic"), why);
  }
  if (std::string why = topic_problem(m.discovery_prefix); !why.empty()) {
    problems.add(r.path_of("discovery_prefix"), why);
  }
  if (!m.node_id.empty() && !valid_node_id(m.node_id)) {
    problems.add(r.path_of("node_id"), "must be letters, digits, '_' or '-'");
  }
  if (m.client_id.size() > 65535) problems.add(r.path_of("client_id"), "must be at most 65535 bytes");
}

}  // namespace

Result<std::optional<MqttConfig>> mqtt_config(const Config& config) {
  const json* section = config.section(kSection);
  if (section == nullptr) return std::optional<MqttConfig>{};
  Problems problems;
  if (!section->is_object())
    return Status::InvalidArgument("mqtt: must be an object, not " + detail::describe(*section));
  ObjectReader r(*section, std::string(kSection), problems);
  if (!r.boolean("enabled").value_or(true)) return std::optional<MqttConfig>{};

  MqttConfig m;
  read_text(r, "host", m.host);
  if (m.host.empty()) problems.add(r.path_of("host"), "required: the broker's host name or address");
  const bool port_given = r.get("port") != nullptr;
  read_int(r, "port", 1, 65535, m.port, problems);
  if (const json* tls = r.get("tls")) m.tls = read_tls(*tls, r.path_of("tls"), problems);
  read_text(r, "username", m.username);
  read_text(r, "password", m.password);
  if (!m.password.empty() && m.username.empty()) problems.add(r.path_of("password"), "needs a username");
  read_topics(r, m, problems);
  read_int(r, "live_interval", 1, 3600, m.live_interval_s, problems);
  read_int(r, "keepalive", 5, 3600, m.keepalive_s, problems);
  read_int(r, "reconnect_max", 1, 3600, m.reconnect_max_s, problems);
  read_int(r, "qos", 0, 2, m.qos, problems);
  if (auto retain = r.boolean("retain")) m.retain = *retain;
  if (auto events = r.boolean("events")) m.events = *events;
  if (const json* v = r.get("inputs")) m.inputs = read_names(*v, r.path_of("inputs"), problems);
  if (const json* v = r.get("outputs")) m.outputs = read_names(*v, r.path_of("outputs"), problems);
  r.report_unknown(kKnownKeys);
  check_input_names(m, config, problems);
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  apply_defaults(m, config, port_given);
  return std::optional<MqttConfig>(std::move(m));
}

}  // namespace iw::config
