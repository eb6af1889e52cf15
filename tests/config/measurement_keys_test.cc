// Issue 13: a key that would change measurement is never kept and silently ignored. Variants
// of settings, measurement-like names and settings in the wrong place are errors that name
// the key and say what to write; other unknown keys (the web app's) are still kept.
#include <gtest/gtest.h>

#include "config/config_parser.h"

namespace iw::config {
namespace {

using nlohmann::json;

json base_config() {
  json vt = {{"channel", 0}, {"name", "Voltage"}, {"type", "VT"}, {"model", "generic"}, {"cal", 19.06}};
  json ct = {{"channel", 1}, {"name", "Load"}, {"type", "CT"}, {"model", "generic"}, {"cal", 100}, {"vchan", 0}};
  return {{"device", {{"channels", 2}}}, {"inputs", {vt, ct}}};
}

std::string error_of(const json& doc) {
  Result<Config> r = parse_config(doc, ModelCatalog::builtin());
  EXPECT_FALSE(r.ok()) << doc.dump();
  return r.ok() ? std::string() : r.error();
}

std::string input_error(const std::string& key, const json& value = 1) {
  json doc = base_config();
  doc["inputs"][1][key] = value;
  return error_of(doc);
}

TEST(MeasurementKeys, VariantsOfInputKeysAreErrorsSayingWhatToWrite) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"P50", "p50"},        {"P60", "p60"},         {"p_50", "p50"},        {"Phase", "phase"},
      {"CAL", "cal"},        {"phase_deg", "phase"}, {"Turns", "turns"},     {"vChan", "vchan"},
      {"V-Phase", "vphase"}, {"vmult_x", "vmult"},   {"Reverse", "reverse"}, {"reversed", "reverse"},
      {"Signed", "signed"},  {"DOUBLE", "double"},   {"Model", "model"},     {"cal_factor", "cal"},
  };
  for (const auto& [key, meant] : cases) {
    const std::string e = input_error(key, meant == "p50" || meant == "p60" ? json{1.0} : json(1));
    EXPECT_NE(
        e.find("inputs[1]." + key + ": looks like a measurement setting but is not read; write \"" + meant + "\""),
        std::string::npos)
        << key << ": " << e;
  }
}

TEST(MeasurementKeys, MeasurementLikeNamesAreErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"lead", "write \"phase\""},     {"lead_deg", "write \"phase\""}, {"ratio", "write \"turns\""},
      {"ct_ratio", "write \"turns\""}, {"gain", "write \"cal\""},       {"calibration", "write \"cal\""},
      {"ct_phase", "write \"phase\""}, {"offset", "delete the key"},    {"dc_offset", "delete the key"},
  };
  for (const auto& [key, advice] : cases) {
    const std::string e = input_error(key);
    EXPECT_NE(e.find("inputs[1]." + key + ": looks like a measurement setting"), std::string::npos) << key << ": " << e;
    EXPECT_NE(e.find(advice), std::string::npos) << key << ": " << e;
  }
  EXPECT_NE(input_error("lead").find("\"p50\"/\"p60\""), std::string::npos);
  EXPECT_NE(input_error("burden").find("write \"burden\" (burden resistor of each channel, ohms: [r0, r1, ...]) in "
                                       "\"device\""),
            std::string::npos)
      << input_error("burden");
  EXPECT_NE(input_error("burden_ohms").find("in \"device\""), std::string::npos);
}

TEST(MeasurementKeys, SettingsInTheWrongPlaceAreErrorsNamingWhereTheyBelong) {
  for (const char* key : {"p50", "phase", "cal", "turns", "vchan", "P60"}) {
    json top = base_config();
    top[key] = 1;
    const std::string e = error_of(top);
    EXPECT_NE(e.find(std::string(key) + ": looks like a measurement setting but is not read here; write"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("in the entry of its channel in \"inputs\""), std::string::npos) << e;

    json device = base_config();
    device["device"][key] = 1;
    const std::string d = error_of(device);
    EXPECT_NE(d.find(std::string("device.") + key + ": looks like a measurement setting but is not read here"),
              std::string::npos)
        << d;
  }
  json top = base_config();
  top["burden"] = {0, 20};
  EXPECT_NE(error_of(top).find("burden: looks like a measurement setting but is not read here; write \"burden\""),
            std::string::npos);
  json device = base_config();
  device["device"]["Burden"] = {0, 20};
  EXPECT_NE(error_of(device).find("device.Burden: looks like a measurement setting but is not read; write \"burden\""),
            std::string::npos);
  device = base_config();
  device["device"]["refVolts"] = 1.5;
  EXPECT_NE(error_of(device).find("device.refVolts: looks like a measurement setting but is not read; write "
                                  "\"refvolts\""),
            std::string::npos);
}

TEST(MeasurementKeys, OtherUnknownKeysAreStillKept) {
  json doc = base_config();
  doc["inputs"][1]["vref"] = 0;
  doc["inputs"][1]["label"] = "kitchen";
  doc["inputs"][1]["color"] = "#ff0000";
  doc["device"]["color"] = "red";
  doc["futurething"] = {{"a", 1}};
  doc["name"] = "not a measurement setting";
  std::vector<std::string> notes;
  Result<Config> r = parse_config(doc, ModelCatalog::builtin(), &notes);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value().input(1)->extra, json({{"vref", 0}, {"label", "kitchen"}, {"color", "#ff0000"}}));
  EXPECT_EQ(r.value().device.extra, json({{"color", "red"}}));
  EXPECT_NE(r.value().section("futurething"), nullptr);
  EXPECT_NE(r.value().section("name"), nullptr);
}

}  // namespace
}  // namespace iw::config
