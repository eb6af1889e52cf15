// The `emoncms` section of config.txt as typed settings (firmware reference 7.1 and 7.2).
//
// Accepted as the original's web UI writes it:
//   {"type":"emoncms","revision":3,"url":"http://emoncms.org","node":"IotaWatt",
//    "apikey":"<32 hex digits: the write key>","userid":"1234","postInterval":10,"bulksend":6,
//    "begdate":0,"stop":false,"user":"","pwd":"",
//    "outputs":[{"name":"1","units":"Watts","script":"@1"},{"name":"2","units":"Volts","script":"@0"}]}
// A non-empty `userid` selects the encrypted transport. `user` and `pwd` are written by the UI
// and unused (kept out of the settings). Errors name the key: "emoncms.apikey: ...".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/uploader_config.h"  // ScriptOutput

namespace iw::config {

struct EmoncmsOutput {
  int input_key = 0;  // the Emoncms input name: the output's `name`, an integer 1..29
  ScriptOutput output;
  bool operator==(const EmoncmsOutput&) const = default;
};

struct EmoncmsSettings {
  int64_t revision = 0;
  // Normalised base URL: "http://" added when no scheme is given, query string dropped,
  // trailing '/' removed ("http://emoncms.org/emoncms"). https is allowed (we have TLS; the
  // original needed its HTTPS proxy).
  std::string url;
  std::string node;          // [A-Za-z0-9_ .-]{1,64}: what Emoncms keeps of a node name
  std::string apikey;        // SECRET. 32 hex digits, stored in lower case (see EMONCMS.md, quirk 17)
  std::string userid;        // digits; empty: plain transport, otherwise encrypted
  int post_interval_s = 10;  // seconds per point, a multiple of 5 in 5..3600
  int bulksend = 1;          // points per request while caught up, 1..60 (the UI's range)
  int64_t begdate = 0;       // UTC: upload history from here when the server has nothing; 0: now
  bool stop = false;
  std::vector<EmoncmsOutput> outputs;  // input keys strictly increasing

  bool encrypted() const { return !userid.empty(); }
  bool operator==(const EmoncmsSettings&) const = default;
};

// REQUIRES: nothing; any JSON value is answered with settings or an error listing every
// problem, one line each, "emoncms.<key>: <what is wrong>". Secrets never appear in errors.
Result<EmoncmsSettings> parse_emoncms_settings(const nlohmann::json& section);

// One line for /status and the message log, without secrets:
// "url=http://emoncms.org node=IotaWatt interval=10s bulksend=6 encrypted outputs=2".
std::string describe_emoncms(const EmoncmsSettings& settings);

namespace detail {
class Problems;
class ObjectReader;
// Shared by the uploader sections (emoncms, pvoutput): the section's required `outputs` array
// of {name, units, script} objects, each member a non-empty string. nullopt after a problem;
// `names_hint` says what the names must be when the array is missing.
std::optional<std::vector<ScriptOutput>> read_script_outputs(ObjectReader& section, std::string_view names_hint,
                                                             Problems& problems);
// An uploader's base URL, normalised as EmoncmsSettings::url says; nullopt after a problem.
std::optional<std::string> read_base_url(const std::string& text, std::string_view path, Problems& problems);
}  // namespace detail

}  // namespace iw::config
