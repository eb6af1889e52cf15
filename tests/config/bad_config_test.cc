// A corpus of broken configs in data/bad/: each must fail, and the error must name the key
// path and the problem. Every file in the folder needs a row here, so the corpus cannot rot.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "config/config_parser.h"
#include "test_data.h"

namespace iw::config {
namespace {

// file -> a line the error must contain.
const std::map<std::string, std::string>& expectations() {
  static const std::map<std::string, std::string> m = {
      {"adc_missing_board.json", "adc.board: missing"},
      {"adc_relative_spidev.json", "adc.spidev[0]: \"spidev0.0\" is not an absolute path"},
      {"adc_unknown_key.json", "adc.spi_speed: unknown key (known: board, spidev, spi_hz)"},
      {"bad_name.json", "inputs[1].name: \"1st\" must start with a letter"},
      {"bad_type.json", "inputs[2].type: \"XT\" is not \"VT\" or \"CT\""},
      {"burden_negative.json", "device.burden[2]: -20 is less than 0 (ohms)"},
      {"channel_mismatch.json", "inputs[2].channel: 3 does not match the entry's position 2"},
      {"channels_not_a_number.json", "device.channels: \"fifteen\" is not a whole number"},
      {"channels_too_many.json", "device.channels: 20 is more than 15"},
      {"ct_cal_negative.json", "inputs[1].cal: -3 is not in (0, 1000000] amps per volt"},
      {"ct_turns_without_burden.json", "inputs[1].cal: missing; turns 2000 needs a burden resistor on channel 1"},
      {"device_name.json", "device.name: \"my iota!\" must be"},
      {"dstrule_missing_end.json", "dstrule.end: missing"},
      {"dstrule_month.json", "dstrule.begin.month: 13 is more than 12"},
      {"duplicate_name.json", "inputs[2].name: \"Main\" is already used by inputs[1]"},
      {"empty.json", "config: JSON syntax error at line 1, column 1"},
      {"influxdb_not_object.json", "influxdb: an array of 2 is not an object"},
      {"input_beyond_channels.json", "inputs[4]: channel 4 is beyond device.channels (4 channels: 0 to 3)"},
      {"many_problems.json", "inputs[3].name: \"Main2\" is already used by inputs[2]"},
      {"missing_name.json", "inputs[1].name: missing"},
      {"missing_type.json", "inputs[1].type: missing"},
      {"number_overflow.json", "config: JSON number out of range: number overflow parsing '2e308'"},
      {"outputs_not_array.json", "outputs: an object is not an array"},
      {"phase_too_large.json", "inputs[0].phase: 60 is more than 45 (degrees)"},
      {"root_not_object.json", "config: an array of 1 is not a JSON object"},
      {"sampling_mode.json", "sampling.mode: \"burst\" is not \"continuous\" or \"roundrobin\""},
      {"sim_negative_seed.json", "sim.seed: -1 is negative"},
      {"syntax_error.json", "config: JSON syntax error at line 4, column 24"},
      {"too_deep.json", "config: nesting deeper than 64 levels at byte 107 (line 3, column 75)"},
      {"timezone_range.json", "timezone: 15 is more than 14 (hours)"},
      {"truncated.json", "config: JSON syntax error at line 2, column 1"},
      {"unknown_model.json", "inputs[1].model: \"SCT013-00\" is not a known CT model; close matches: \"SCT013-000\""},
      {"update_class.json", "update: \"SOMETIMES\" is not one of"},
      {"vchan_inactive.json", "inputs[1].vchan: channel 3 is not active"},
      {"vchan_not_vt.json", "inputs[3].vchan: channel 5 is not a VT"},
      {"vchan_out_of_range.json", "inputs[1].vchan: 15 is not a channel (0 to 3)"},
      {"vmult_zero.json", "inputs[1].vmult: 0 is not in (0, 10]"},
      {"vt_cal_missing.json", "inputs[0].cal: missing"},
      {"vt_cal_range.json", "inputs[0].cal: 400 is more than 300 (a VT cal must be 5 to 300)"},
      {"vt_model_on_ct.json", "inputs[1].model: \"Jameco/112336\" is not a known CT model (it is a VT model)"},
  };
  return m;
}

TEST(BadConfigs, EachFailsNamingTheKeyPath) {
  for (const auto& [file, want] : expectations()) {
    const std::string text = testing::read_data("bad/" + file);
    Result<Config> r = parse_config(text, ModelCatalog::builtin());
    ASSERT_FALSE(r.ok()) << file << " was accepted";
    EXPECT_NE(r.error().find(want), std::string::npos) << file << ": got\n" << r.error();
  }
}

TEST(BadConfigs, EveryFileHasAnExpectation) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::data_path("bad"))) {
    ++files;
    EXPECT_TRUE(expectations().contains(entry.path().filename().string())) << entry.path();
  }
  EXPECT_EQ(files, expectations().size());
}

TEST(BadConfigs, ReportsAllProblemsNotJustTheFirst) {
  Result<Config> r = parse_config(testing::read_data("bad/many_problems.json"), ModelCatalog::builtin());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "timezone: unknown time zone \"abc\" (use an IANA name such as \"Europe/Berlin\", or hours such "
            "as -5)\n"
            "inputs[0].cal: 2 is less than 5 (a VT cal must be 5 to 300)\n"
            "inputs[1].type: \"XT\" is not \"VT\" or \"CT\"\n"
            "inputs[3].name: \"Main2\" is already used by inputs[2]");
}

}  // namespace
}  // namespace iw::config
