// The `pvoutput` section of config.txt as typed settings (firmware reference 7.5).
//
// Accepted as the original's web UI writes it:
//   {"type":"pvoutput","revision":2,"apikey":"<40 hex>","systemid":"12345","interval":300,
//    "begdate":0,"reload":false,"stop":false,
//    "outputs":[{"name":"generation","units":"Watts","script":"@3"},
//               {"name":"consumption","units":"Watts","script":"@1+@2"},
//               {"name":"voltage","units":"Volts","script":"@0"},
//               {"name":"extended_1(v7)","units":"Amps","script":"@4"}]}
// Our additions: `donation` (bool: the PVOutput account is in donation mode, which raises the
// rate limits and enables v7..v12) and `url` (default "https://pvoutput.org"). The original
// ignored `interval` and asked the server (getsystem.jsp); we use it as the status interval and
// let upload/ check it against the server's answer. Errors name the key: "pvoutput.systemid: ...".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/emoncms_config.h"

namespace iw::config {

// What a PVOutput output feeds: generation -> v1 (Wh today) and v2 (W), consumption -> v3
// and v4, voltage -> v6, extended_1..extended_6 -> v7..v12.
enum class PvoutputField { kGeneration, kConsumption, kVoltage, kExtended };

struct PvoutputOutput {
  PvoutputField field = PvoutputField::kGeneration;
  int extended = 0;  // 1..6 for kExtended (v7..v12), else 0
  ScriptOutput output;
  bool operator==(const PvoutputOutput&) const = default;
};

struct PvoutputSettings {
  int64_t revision = 0;
  std::string url = "https://pvoutput.org";  // base; services live under /service/r2/
  std::string apikey;                        // SECRET. 40 hex digits, as written
  std::string systemid;                      // digits
  int status_interval_s = 300;               // 5, 10 or 15 minutes (PVOutput's status intervals)
  bool donation = false;
  int64_t begdate = 0;  // UTC: nothing before this is uploaded; 0: no floor
  bool reload = false;  // start at the look-back limit instead of the server's last status
  bool stop = false;
  std::vector<PvoutputOutput> outputs;  // each field at most once

  bool operator==(const PvoutputSettings&) const = default;
};

// Any JSON value is answered with settings or an error listing every problem, one line
// each, "pvoutput.<key>: <what is wrong>". Secrets never appear in errors.
Result<PvoutputSettings> parse_pvoutput_settings(const nlohmann::json& section);

// One line for /status and the message log, without secrets:
// "system=12345 interval=300s donation outputs=generation,consumption".
std::string describe_pvoutput(const PvoutputSettings& settings);

}  // namespace iw::config
