// The fields every HTTP uploader (Emoncms, InfluxDB 1.x and 2.x, PVOutput) shares, typed from
// its config section (firmware reference 7.1), plus the InfluxDB-specific ones (7.3, 7.4).
//
// The original's JSON is accepted as is: the section keys are "emoncms", "influxdb",
// "influxdb2" and "pvoutput", numbers may be strings, and keys we do not type stay in
// UploaderConfig::extra for the protocol that owns them. Our one addition is "cafile", a
// PEM file of certificate authorities that an https:// server is checked against (absent:
// the system's store). Secrets (apikey, pwd, authtoken) are typed here and never rendered
// anywhere but the admin-only GET /config.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "config/config.h"

namespace iw::config {

// One measurement an uploader sends: an output script object of the original, or with our
// readable "expr" in place of "script" (as the web app writes it).
struct ScriptOutput {
  std::string name;
  std::string units = "Watts";
  std::string script;  // "script" (original syntax) or "expr" (readable), as `syntax` says
  ScriptSyntax syntax = ScriptSyntax::kOriginal;
  bool operator==(const ScriptOutput&) const = default;
};

struct UploaderConfig {
  std::string key;   // the config section: "influxdb", "influxdb2", "emoncms", "pvoutput"
  std::string type;  // "type" as written, else the key
  std::optional<int64_t> revision;
  std::string url;         // as written (may hold no scheme: http:// is assumed); required
                           // but for "pvoutput", whose url has a default
  int post_interval = 10;  // seconds per point, a multiple of 5, 5..3600
  int bulksend = 1;        // intervals per request when live, 1..60
  bool stop = false;       // paused
  int64_t begdate = 0;     // UTC: upload history from (0: none)
  std::vector<ScriptOutput> outputs;
  std::string cafile;                               // ours: CA bundle for https (empty: system store)
  nlohmann::json extra = nlohmann::json::object();  // protocol keys, verbatim
  nlohmann::json section;                           // the whole section as written, for the protocols that type it
                                                    // themselves (parse_emoncms_settings, parse_pvoutput_settings)
  bool operator==(const UploaderConfig&) const = default;
};

// The config sections that hold HTTP uploaders, in the original's registry order.
inline constexpr std::string_view kHttpUploaderKeys[] = {"emoncms", "influxdb", "influxdb2", "pvoutput"};

// Types the section `key` (value `v`). Errors are "<key>.<field>: <problem>" lines.
Result<UploaderConfig> parse_uploader(std::string_view key, const nlohmann::json& v);

struct InfluxTag {
  std::string key, value;
  bool operator==(const InfluxTag&) const = default;
};

// What InfluxDB 1.x and 2.x share: how a measurement becomes a point (reference 7.3).
struct InfluxPointTemplate {
  std::string measurement = "$name";
  std::string fieldkey = "value";
  std::vector<InfluxTag> tagset;
  bool operator==(const InfluxPointTemplate&) const = default;
};

struct Influx1Config {
  std::string database;
  std::string retention_policy;  // "retp"; empty: the database's default
  std::string user, password;    // "user", "pwd": Basic auth when both are set
  InfluxPointTemplate point;
};

struct Influx2Config {
  std::string bucket;
  std::string orgid;
  std::string token;  // "authtoken"
  InfluxPointTemplate point;
};

// REQUIRES: c.key is "influxdb" / "influxdb2". Errors name the key path.
Result<Influx1Config> influx1_config(const UploaderConfig& c);
Result<Influx2Config> influx2_config(const UploaderConfig& c);

}  // namespace iw::config
