// config.txt -> Config, with validation.
//
// Accepts the original IoTaWatt schema as written by its web UI, with ArduinoJson's
// leniency (numbers and booleans given as strings, comments, null entries), plus our
// sections "adc", "sampling" and "sim" (see README.md).
//
// All problems are collected; the error message holds one line per problem, each naming the
// key path and what is wrong, e.g.
//   device.channels: 20 is more than 15
//   inputs[2].type: "XT" is not "VT" or "CT"
//   inputs[3].vchan: channel 5 is not a VT
#pragma once

#include <cctz/time_zone.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "config/model_catalog.h"

namespace iw::config {

// `notes`, when given, receives one line per thing accepted but worth logging: a legacy
// model name renamed, a `cal` replaced by turns/burden, an unknown key kept verbatim...
Result<Config> parse_config(std::string_view json_text, const ModelCatalog& catalog,
                            std::vector<std::string>* notes = nullptr);
Result<Config> parse_config(const nlohmann::json& doc, const ModelCatalog& catalog,
                            std::vector<std::string>* notes = nullptr);
// Text overloads, so a std::string or a literal does not also match the json overload.
Result<Config> parse_config(const std::string& json_text, const ModelCatalog& catalog,
                            std::vector<std::string>* notes = nullptr);
Result<Config> parse_config(const char* json_text, const ModelCatalog& catalog,
                            std::vector<std::string>* notes = nullptr);

// Whether the tz database has a zone named `name` ("Europe/Berlin", "UTC"). Only IANA-shaped
// names are looked up (letters, digits, '/', '_', '-', '+'; no "..", no leading '/'), so a
// config value can never make us read a file outside the tz database.
bool known_time_zone(const std::string& name);
// The zone `name`, loaded once, when known_time_zone(name); nullopt otherwise.
std::optional<cctz::time_zone> load_known_time_zone(const std::string& name);

}  // namespace iw::config
