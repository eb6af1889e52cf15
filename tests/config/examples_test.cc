// The example configs in data/: what they mean, their golden serialized form, round trips.
//
// Golden files live in data/golden/. After an intended change of the serialized form, run
// the test with IOTAWATT_UPDATE_GOLDEN=1 to rewrite them, and review the diff.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "config/config_file.h"
#include "config/config_parser.h"
#include "config/config_writer.h"
#include "test_data.h"

namespace iw::config {
namespace {

using testing::data_path;
using testing::read_data;

const ModelCatalog& catalog() { return ModelCatalog::builtin(); }

Config load(const std::string& name) {
  Result<Config> r = load_config_file(data_path(name), catalog());
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? std::move(r).value() : Config{};
}

TEST(Examples, Us120VoltSinglePhase) {
  const Config c = load("us_120v.json");
  EXPECT_DOUBLE_EQ(c.timezone, -5);
  EXPECT_EQ(c.update, "MINOR");
  ASSERT_TRUE(c.dst.has_value());
  EXPECT_EQ(c.dst->begin, (DstPoint{3, 1, 2, 120}));
  const Input& v = *c.input(0);
  EXPECT_TRUE(v.is_vt());
  EXPECT_DOUBLE_EQ(v.cal, 11.43);
  EXPECT_DOUBLE_EQ(v.phase_table().lead_deg(121, 60), 0.6);
  const Input& main_a = *c.input(1);
  EXPECT_DOUBLE_EQ(main_a.cal, 200);
  EXPECT_TRUE(main_a.is_signed);
  EXPECT_DOUBLE_EQ(main_a.phase_table().lead_deg(30, 60), 0.45);
  const Input& dryer = *c.input(3);
  EXPECT_DOUBLE_EQ(dryer.vmult, 2);
  EXPECT_DOUBLE_EQ(dryer.cal, 100);
  EXPECT_FALSE(c.input(5));
  EXPECT_TRUE(c.input(6)->reverse);
  EXPECT_EQ(c.section("influxdb")->at("revision"), 3);
  EXPECT_FALSE(c.adc.has_value());  // no ADC: the simulator runs
}

TEST(Examples, Eu230VoltWithStringsAndOurSections) {
  std::vector<std::string> notes;
  Result<Config> r = load_config_file(data_path("eu_230v.json"), catalog(), &notes);
  ASSERT_TRUE(r.ok()) << r.error();
  const Config& c = r.value();
  EXPECT_DOUBLE_EQ(c.timezone, 1);
  EXPECT_EQ(c.device.name, "Haus1");
  EXPECT_TRUE(c.dst->utc);
  EXPECT_EQ(c.dst->end, (DstPoint{10, 1, -1, 60}));
  EXPECT_DOUBLE_EQ(c.input(0)->cal, 19.3);
  EXPECT_DOUBLE_EQ(c.input(0)->phase_table().lead_deg(230, 50), 1.46);
  EXPECT_DOUBLE_EQ(c.input(1)->cal, 100);  // "turns":"2000" on 20 ohm overrides "cal":80
  EXPECT_DOUBLE_EQ(c.input(2)->cal, 100);  // turns from the catalog
  EXPECT_FALSE(c.input(3));                // "off": inactive
  EXPECT_DOUBLE_EQ(c.input(5)->cal, 150);  // generic, 3000 turns on 20 ohm
  EXPECT_DOUBLE_EQ(c.input(12)->cal, 30);  // voltage-output CT, no burden
  EXPECT_TRUE(c.input(12)->reverse);
  EXPECT_DOUBLE_EQ(c.input(13)->cal, 50);
  ASSERT_TRUE(c.adc.has_value());
  EXPECT_EQ(c.adc->spidev.size(), 2u);
  EXPECT_EQ(c.sampling.mode, SamplingMode::kRoundRobin);
  EXPECT_EQ(notes.size(), 2u);
}

TEST(Examples, DerivedThreePhase) {
  const Config c = load("derived_3ph.json");
  EXPECT_EQ(c.derive3ph, true);
  EXPECT_EQ(c.inputs.size(), 8u);
  struct Want {
    int channel;
    double vphase;
    double vmult;
  };
  for (const Want& w : {Want{1, 0, 1}, Want{2, 120, 1}, Want{3, 240, 1}, Want{4, -30, 1.732}, Want{5, 90, 1.732},
                        Want{6, -150, 1.732}}) {
    const Input* in = c.input(w.channel);
    ASSERT_NE(in, nullptr) << w.channel;
    EXPECT_EQ(in->vchan, 0);
    EXPECT_DOUBLE_EQ(in->vphase, w.vphase) << w.channel;
    EXPECT_DOUBLE_EQ(in->vmult, w.vmult) << w.channel;
  }
  EXPECT_EQ(c.sim->scenario, "three-phase-shop");
  EXPECT_EQ(c.sim->seed, 42u);
}

class ExampleFiles : public ::testing::TestWithParam<std::string> {};

TEST_P(ExampleFiles, MatchesGoldenSerialization) {
  const Config c = load(GetParam());
  const nlohmann::json got = serialize(c);
  const std::string golden = "golden/" + GetParam();
  if (std::getenv("IOTAWATT_UPDATE_GOLDEN")) {
    std::FILE* f = std::fopen(data_path(golden).c_str(), "w");
    ASSERT_NE(f, nullptr);
    const std::string text = serialize_text(c);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  const std::string want = read_data(golden);
  ASSERT_FALSE(want.empty()) << "missing " << golden;
  EXPECT_EQ(got, nlohmann::json::parse(want)) << got.dump(2);
}

TEST_P(ExampleFiles, RoundTripsExactly) {
  const Config c = load(GetParam());
  Result<Config> again = parse_config(serialize_text(c), catalog());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(again.value() == c);
  // And the serialized form is a fixed point.
  EXPECT_EQ(serialize(again.value()), serialize(c));
}

TEST_P(ExampleFiles, KeepsOwnedLaterSectionsVerbatim) {
  const nlohmann::json original = nlohmann::json::parse(read_data(GetParam()), nullptr, true, true);
  const nlohmann::json written = serialize(load(GetParam()));
  for (const char* key : {"outputs", "integrators", "influxdb", "emoncms", "pvoutput"}) {
    if (original.contains(key)) {
      EXPECT_EQ(written.at(key), original.at(key)) << key;
    }
  }
}

std::string example_name(const ::testing::TestParamInfo<std::string>& param_info) {
  return param_info.param.substr(0, param_info.param.find('.'));
}

INSTANTIATE_TEST_SUITE_P(Config, ExampleFiles, ::testing::Values("us_120v.json", "eu_230v.json", "derived_3ph.json"),
                         example_name);

TEST(ConfigFile, SaveThenLoad) {
  const Config c = load("us_120v.json");
  const std::string path = ::testing::TempDir() + "/config_file_test.json";
  ASSERT_TRUE(save_config_file(path, c).ok());
  Result<Config> back = load_config_file(path, catalog());
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_TRUE(back.value() == c);
  std::remove(path.c_str());
}

TEST(ConfigFile, ErrorsNameTheFile) {
  Result<Config> r = load_config_file("/nonexistent/config.txt", catalog());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("/nonexistent/config.txt: cannot open"), std::string::npos) << r.error();
  Result<ModelCatalog> t = load_catalog_file("/nonexistent/tables.txt");
  ASSERT_FALSE(t.ok());
}

}  // namespace
}  // namespace iw::config
