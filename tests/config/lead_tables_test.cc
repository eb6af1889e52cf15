// Issue 13: an input's own p50/p60 lead tables (a generic or calibrated sensor) are read,
// win over its model's, and survive the writer; a catalog sensor's entry stays short.
#include <gtest/gtest.h>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {
namespace {

using nlohmann::json;

const ModelCatalog& catalog() { return ModelCatalog::builtin(); }

const std::vector<double> kGenericP50 = {2.1, 5, 1.6, 20, 1.2};
const std::vector<double> kGenericP60 = {1.9, 5, 1.4};
const std::vector<double> kSct013P50 = {3.1, 4, 3.0, 8, 2.9, 12, 2.8, 18, 2.7, 26, 2.6, 38, 2.5};
const std::vector<double> kSct013P60 = {2.7, 4, 2.6, 8, 2.5, 12, 2.4, 18, 2.3, 30, 2.2, 44, 2.1};

// A VT on channel 0 and `ct` on channel 1 (burden 20 ohms).
json config_with(json ct) {
  ct["channel"] = 1;
  ct["name"] = "Load";
  ct["type"] = "CT";
  ct["vchan"] = 0;
  json vt = {{"channel", 0}, {"name", "Voltage"}, {"type", "VT"}, {"model", "generic"}, {"cal", 19.06}};
  return {{"device", {{"channels", 2}, {"burden", {0, 20}}}}, {"inputs", {vt, ct}}};
}

Config parse_ok(const json& doc, std::vector<std::string>* notes = nullptr) {
  Result<Config> r = parse_config(doc, catalog(), notes);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? std::move(r).value() : Config{};
}

std::string parse_error(const json& doc) {
  Result<Config> r = parse_config(doc, catalog());
  EXPECT_FALSE(r.ok()) << doc.dump();
  return r.ok() ? std::string() : r.error();
}

TEST(LeadTables, GenericCtCarriesItsOwnTables) {
  std::vector<std::string> notes;
  const Config c = parse_ok(
      config_with({{"model", "generic"}, {"cal", 100}, {"phase", 1.5}, {"p50", kGenericP50}, {"p60", kGenericP60}}),
      &notes);
  const Input& in = *c.input(1);
  EXPECT_EQ(in.p50, kGenericP50);
  EXPECT_EQ(in.p60, kGenericP60);
  EXPECT_TRUE(in.extra.empty()) << in.extra.dump();
  for (const std::string& n : notes) EXPECT_EQ(n.find("p50"), std::string::npos) << n;
  // The engine's curve follows the tables, not the static phase.
  EXPECT_DOUBLE_EQ(in.phase_table().lead_deg(10, 50), 1.6);
  EXPECT_DOUBLE_EQ(in.phase_table().lead_deg(10, 60), 1.4);
}

TEST(LeadTables, InputTableWinsOverItsModelsOnePerTable) {
  const Config c = parse_ok(config_with({{"model", "SCT013-000"}, {"p50", kGenericP50}}));
  const Input& in = *c.input(1);
  EXPECT_EQ(in.p50, kGenericP50);  // the entry's own
  EXPECT_EQ(in.p60, kSct013P60);   // the model's: the entry gives none
  EXPECT_DOUBLE_EQ(in.phase, 2.3);
}

TEST(LeadTables, EmptyTableTurnsTheModelsOff) {
  const Config c = parse_ok(config_with({{"model", "SCT013-000"}, {"p50", json::array()}, {"p60", json::array()}}));
  const Input& in = *c.input(1);
  EXPECT_TRUE(in.p50.empty());
  EXPECT_TRUE(in.p60.empty());
  EXPECT_TRUE(in.phase_table().is_constant());
}

TEST(LeadTables, BadTablesAreErrorsNamingThePath) {
  EXPECT_NE(parse_error(config_with({{"model", "generic"}, {"cal", 100}, {"p50", {2.1, 5}}}))
                .find("inputs[1].p50: has 2 elements"),
            std::string::npos);
  EXPECT_NE(parse_error(config_with({{"model", "generic"}, {"cal", 100}, {"p60", {2.1, 8, 2.0, 4, 1.9}}}))
                .find("inputs[1].p60: thresholds must increase"),
            std::string::npos);
  EXPECT_NE(parse_error(config_with({{"model", "generic"}, {"cal", 100}, {"p50", "2.1"}}))
                .find("inputs[1].p50: \"2.1\" is not an array of numbers"),
            std::string::npos);
  EXPECT_NE(
      parse_error(config_with({{"model", "generic"}, {"cal", 100}, {"p50", {2.1, "x", 1.9}}})).find("inputs[1].p50[1]"),
      std::string::npos);
}

TEST(LeadTables, WriterKeepsOwnTablesAndLeavesCatalogOnesOut) {
  const Config generic =
      parse_ok(config_with({{"model", "generic"}, {"cal", 100}, {"p50", kGenericP50}, {"p60", kGenericP60}}));
  const json g = serialize(generic).at("inputs").at(1);
  EXPECT_EQ(g.at("p50"), json(kGenericP50));
  EXPECT_EQ(g.at("p60"), json(kGenericP60));

  const Config sct = parse_ok(config_with({{"model", "SCT013-000"}}));
  const json s = serialize(sct).at("inputs").at(1);
  EXPECT_FALSE(s.contains("p50")) << s.dump();  // as short as the UI writes it
  EXPECT_FALSE(s.contains("p60")) << s.dump();

  const Config calibrated = parse_ok(config_with({{"model", "SCT013-000"}, {"p50", kGenericP50}}));
  const json k = serialize(calibrated).at("inputs").at(1);
  EXPECT_EQ(k.at("p50"), json(kGenericP50));
  EXPECT_FALSE(k.contains("p60")) << k.dump();

  const Config off = parse_ok(config_with({{"model", "SCT013-000"}, {"p50", json::array()}}));
  EXPECT_EQ(serialize(off).at("inputs").at(1).at("p50"), json::array());
}

TEST(LeadTables, RoundTripIsExact) {
  for (const json& ct :
       {json{{"model", "generic"}, {"cal", 100}, {"p50", kGenericP50}, {"p60", kGenericP60}},
        json{{"model", "SCT013-000"}}, json{{"model", "SCT013-000"}, {"p60", kGenericP60}, {"phase", 1}},
        json{{"model", "ECS24200"}, {"p50", json::array()}}, json{{"model", "SCT013-000"}, {"p50", kSct013P50}}}) {
    const Config c = parse_ok(config_with(ct));
    Result<Config> again = parse_config(serialize_text(c), catalog());
    ASSERT_TRUE(again.ok()) << again.error();
    EXPECT_TRUE(again.value() == c) << ct.dump() << "\n" << serialize_text(c);
  }
}

TEST(LeadTables, VtTablesToo) {
  const Config c = parse_ok(config_with({{"model", "generic"}, {"cal", 100}}));
  json doc = serialize(c);
  doc["inputs"][0]["p50"] = {1.2, 200, 1.0};
  const Config v = parse_ok(doc);
  EXPECT_EQ(v.input(0)->p50, (std::vector<double>{1.2, 200, 1.0}));
  EXPECT_EQ(serialize(v).at("inputs").at(0).at("p50"), doc["inputs"][0]["p50"]);
}

}  // namespace
}  // namespace iw::config
