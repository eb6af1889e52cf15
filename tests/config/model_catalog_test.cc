#include "config/model_catalog.h"

#include <gtest/gtest.h>

namespace iw::config {
namespace {

const ModelCatalog& builtin() { return ModelCatalog::builtin(); }

TEST(ModelCatalog, BuiltinHasTheReferenceModelsWithTheirValues) {
  const ModelEntry* jameco = builtin().find_vt("Jameco/112336");
  ASSERT_NE(jameco, nullptr);
  EXPECT_DOUBLE_EQ(*jameco->cal, 11.43);
  EXPECT_DOUBLE_EQ(*jameco->phase, 0.6);
  EXPECT_EQ(jameco->p60, std::vector<double>{0.6});

  const ModelEntry* ideal = builtin().find_vt("Ideal 77DE-06-09(EU)");
  ASSERT_NE(ideal, nullptr);
  EXPECT_DOUBLE_EQ(*ideal->cal, 19.06);
  EXPECT_EQ(ideal->p50, std::vector<double>{1.46});
  EXPECT_EQ(ideal->p60, std::vector<double>{0.82});

  for (const char* vt : {"TDC DA-10-09-E6", "TDC DA-10-09", "generic120V", "generic240V"}) {
    EXPECT_NE(builtin().find_vt(vt), nullptr) << vt;
  }
  EXPECT_EQ(builtin().find_vt("generic240V")->type, ModelType::kGeneric);
  EXPECT_DOUBLE_EQ(*builtin().find_vt("generic240V")->cal, 20.0);

  const ModelEntry* sct = builtin().find_ct("SCT013-000");
  ASSERT_NE(sct, nullptr);
  EXPECT_EQ(sct->type, ModelType::kCurrent);
  EXPECT_DOUBLE_EQ(*sct->turns, 2000);
  EXPECT_EQ(sct->p60, (std::vector<double>{2.7, 4, 2.6, 8, 2.5, 12, 2.4, 18, 2.3, 30, 2.2, 44, 2.1}));
  ASSERT_FALSE(sct->p50.empty());
  EXPECT_DOUBLE_EQ(sct->p50.front(), 3.1);
  EXPECT_DOUBLE_EQ(sct->p50.back(), 2.5);
  EXPECT_DOUBLE_EQ(sct->p50[sct->p50.size() - 2], 38);

  const ModelEntry* ecs = builtin().find_ct("ECS24200");
  ASSERT_NE(ecs, nullptr);
  EXPECT_DOUBLE_EQ(*ecs->turns, 4000);
  EXPECT_EQ(ecs->p50, (std::vector<double>{0.8, 10, 0.7, 20, 0.6, 55, 0.55}));

  EXPECT_DOUBLE_EQ(*builtin().find_ct("ECS120-2000")->turns, 40000);
  EXPECT_DOUBLE_EQ(*builtin().find_ct("AcuCT-H040-50")->turns, 1000);
  EXPECT_EQ(builtin().find_ct("SCT013-050")->type, ModelType::kVoltage);
  EXPECT_DOUBLE_EQ(*builtin().find_ct("SCT013-050")->cal, 49.8);
  EXPECT_DOUBLE_EQ(*builtin().find_ct("SCT013-030")->cal, 30);
  EXPECT_EQ(builtin().find_ct("generic")->type, ModelType::kGeneric);
}

TEST(ModelCatalog, LookupIsExactNotSubstring) {
  // The original found "SCT013-00" inside "SCT013-000" (reference §14 item 12).
  EXPECT_EQ(builtin().find_ct("SCT013-00"), nullptr);
  EXPECT_EQ(builtin().find_ct("sct013-000"), nullptr);
  EXPECT_EQ(builtin().find_vt("TDC DA-10-09")->model, "TDC DA-10-09");
  EXPECT_EQ(builtin().find_vt("TDC DA-10-09-E6")->model, "TDC DA-10-09-E6");
  // VT and CT lists are separate.
  EXPECT_EQ(builtin().find_ct("Jameco/112336"), nullptr);
}

TEST(ModelCatalog, CloseMatches) {
  const auto close = builtin().close_matches("SCT013-00", true);
  ASSERT_FALSE(close.empty());
  EXPECT_EQ(close.front(), "SCT013-000");
  EXPECT_EQ(builtin().close_matches("ecs24200", true).front(), "ECS24200");
  EXPECT_EQ(builtin().close_matches("jameco", false).front(), "Jameco/112336");
  EXPECT_TRUE(builtin().close_matches("Fluke i400", true).empty());
}

TEST(ModelCatalog, ParsesUserTablesAndMergesThem) {
  auto user = ModelCatalog::parse(R"({"version":"9","VT":[],"CT":[
      {"model":"MyCT","mfg":"me","type":"C","turns":2500,"phase":1.1,"p60":[1.2,10,1.0]},
      {"model":"SCT013-000","type":"C","turns":1800,"phase":2.0}]})");
  ASSERT_TRUE(user.ok()) << user.error();
  const ModelCatalog merged = builtin().merged_with(user.value());
  EXPECT_EQ(merged.version(), "9");
  EXPECT_DOUBLE_EQ(*merged.find_ct("MyCT")->turns, 2500);
  EXPECT_DOUBLE_EQ(*merged.find_ct("SCT013-000")->turns, 1800);  // user entry wins
  EXPECT_EQ(merged.cts().size(), builtin().cts().size() + 1);
  EXPECT_NE(merged.find_vt("Jameco/112336"), nullptr);
}

TEST(ModelCatalog, RoundTripsThroughTablesJson) {
  auto again = ModelCatalog::from_json(builtin().to_json());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again.value().vts(), builtin().vts());
  EXPECT_EQ(again.value().cts(), builtin().cts());
  EXPECT_EQ(again.value().version(), builtin().version());
}

TEST(ModelCatalog, ReportsEveryProblemWithItsPath) {
  auto bad = ModelCatalog::parse(R"({"VT":[{"model":"V1"},{"model":"V2","cal":10,"type":"C"}],
    "CT":[{"model":"A","type":"C"},
          {"model":"B","type":"V","cal":10,"p60":[2.7,8,2.6,4,2.5]},
          {"model":"C","type":"X","turns":10},
          {"model":"D","type":"C","turns":"2000","p50":[1,2]},
          {"model":"D","type":"C","turns":100},
          {"type":"C","turns":100}]})");
  ASSERT_FALSE(bad.ok());
  const std::string& e = bad.error();
  EXPECT_NE(e.find("VT[0].cal: missing"), std::string::npos) << e;
  EXPECT_NE(e.find("VT[1].type: \"C\" is a CT type"), std::string::npos) << e;
  EXPECT_NE(e.find("CT[0].turns: missing"), std::string::npos) << e;
  EXPECT_NE(e.find("CT[1].p60: thresholds must increase: 4 (element 3) follows 8"), std::string::npos) << e;
  EXPECT_NE(e.find("CT[2].type: \"X\" is not \"C\", \"V\" or \"U\""), std::string::npos) << e;
  EXPECT_NE(e.find("CT[3].p50: has 2 elements"), std::string::npos) << e;
  EXPECT_NE(e.find("CT[4].model: \"D\" appears twice in CT"), std::string::npos) << e;
  EXPECT_NE(e.find("CT[5].model: missing"), std::string::npos) << e;
}

TEST(ModelCatalog, SyntaxErrorHasLineAndColumn) {
  auto bad = ModelCatalog::parse("{\"VT\": [\n  {\"model\": }\n]}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("tables: JSON syntax error at line 2"), std::string::npos) << bad.error();
}

}  // namespace
}  // namespace iw::config
