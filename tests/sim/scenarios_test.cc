#include "sim/scenarios.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/simulator.h"
#include "sim_testing.h"

namespace iw::sim {
namespace {

using testing::kNoonNs;
using testing::kSecondNs;

TEST(Scenarios, NamesAndUnknownName) {
  const auto names = scenario_names();
  ASSERT_EQ(names.size(), 5u);
  for (const auto& name : names) {
    auto p = make_scenario(name);
    ASSERT_TRUE(p.ok()) << name;
    EXPECT_TRUE(p.value().validate().ok()) << name << ": " << p.value().validate().message();
    EXPECT_EQ(p.value().scenario, name);
  }
  auto bad = make_scenario("castle-11kv");
  ASSERT_FALSE(bad.ok());
  for (const auto& name : names) EXPECT_NE(bad.error().find(name), std::string::npos) << bad.error();
}

TEST(Scenarios, HouseholdConfigHasAllChannels) {
  const Panel p = make_scenario("household-230v-50hz").value();
  const nlohmann::json cfg = p.iotawatt_config();
  EXPECT_EQ(cfg["sim"]["scenario"], "household-230v-50hz");
  EXPECT_EQ(cfg["device"]["channels"], 15);
  EXPECT_FALSE(cfg["device"].contains("refvolts"));  // a reference diode's voltage; the simulator has none
  const auto& inputs = cfg["inputs"];
  ASSERT_EQ(inputs.size(), 15u);
  for (size_t i = 0; i < 15; ++i) {
    ASSERT_TRUE(inputs[i].is_object()) << i;
    EXPECT_EQ(inputs[i]["channel"], i);
  }
  EXPECT_EQ(inputs[0]["type"], "VT");
  EXPECT_EQ(inputs[0]["model"], "Ideal 77DE-06-09(EU)");
  EXPECT_DOUBLE_EQ(inputs[0]["cal"].get<double>(), 19.06);
  EXPECT_EQ(inputs[1]["name"], "Mains");
  EXPECT_EQ(inputs[1]["type"], "CT");
  EXPECT_EQ(inputs[1]["model"], "SCT013-000");
  EXPECT_DOUBLE_EQ(inputs[1]["cal"].get<double>(), 100);  // 2000 turns / 20 ohm
  EXPECT_EQ(inputs[1]["signed"], true);
  EXPECT_EQ(inputs[1]["vchan"], 0);
  EXPECT_EQ(inputs[2]["name"], "Solar");
  EXPECT_EQ(inputs[2]["signed"], true);
  EXPECT_EQ(inputs[3]["signed"], false);
  EXPECT_DOUBLE_EQ(inputs[5]["cal"].get<double>(), 30);  // voltage-output CT
  EXPECT_EQ(inputs[12]["name"], "Hob");
}

TEST(Scenarios, SplitPhaseAndThreePhaseConfigs) {
  const nlohmann::json split = make_scenario("split-phase-120v-60hz").value().iotawatt_config();
  EXPECT_EQ(split["inputs"][3]["name"], "Dryer");
  EXPECT_EQ(split["inputs"][3]["double"], true);
  EXPECT_DOUBLE_EQ(split["inputs"][0]["cal"].get<double>(), 11.43);
  EXPECT_TRUE(split["inputs"][14].is_null());
  const nlohmann::json three = make_scenario("three-phase-400v").value().iotawatt_config();
  EXPECT_EQ(three["inputs"][2]["vphase"], 120);
  EXPECT_EQ(three["inputs"][3]["vphase"], 240);
  EXPECT_EQ(three["inputs"][4]["vphase"], -30);
  EXPECT_NEAR(three["inputs"][4]["vmult"].get<double>(), 1.732, 1e-3);
}

// Each mains CT sees the sum of its branch circuits, so truth must add up exactly.
void ExpectMainsBalance(const std::string& scenario, const std::vector<std::string>& mains) {
  const Panel p = make_scenario(scenario).value();
  auto sim = Simulator::create(p, plan_for(p), kNoonNs, 9);
  ASSERT_TRUE(sim.ok());
  const Truth t = sim.value()->truth_until(kNoonNs + 30 * kSecondNs).value();
  double total_mains = 0, total_branches = 0;
  for (const ChannelTruth& c : t.channels) {
    if (c.is_vt) continue;
    const bool is_mains = std::find(mains.begin(), mains.end(), c.name) != mains.end();
    (is_mains ? total_mains : total_branches) += c.energy_j;
  }
  EXPECT_GT(std::fabs(total_branches), 1000);
  EXPECT_NEAR(total_mains, total_branches, std::fabs(total_branches) * 1e-9) << scenario;
}

TEST(Scenarios, MainsTruthIsTheSumOfBranches) {
  ExpectMainsBalance("household-230v-50hz", {"Mains"});
  ExpectMainsBalance("split-phase-120v-60hz", {"Mains_L1", "Mains_L2"});
  ExpectMainsBalance("three-phase-400v", {"Mains_A", "Mains_B", "Mains_C"});
}

TEST(Scenarios, SolarExportsAtNoonInTheHousehold) {
  const Panel p = make_scenario("household-230v-50hz").value();
  auto sim = Simulator::create(p, plan_for(p), kNoonNs, 1);
  ASSERT_TRUE(sim.ok());
  const Truth t = sim.value()->truth_until(kNoonNs + 10 * kSecondNs).value();
  EXPECT_LT(t.find("Solar")->watts(), -4000);
  EXPECT_GT(t.find("Oven")->energy_j, -1e-9);
}

TEST(Scenarios, TestPointBuildsOneVtOneCt) {
  TestPoint tp;
  tp.hz = 60;
  tp.hz_offset = 1;
  tp.volts = 120;
  tp.amps = 5;
  tp.pf = 0.5;
  tp.adc.mode = AdcMode::kReal;
  auto p = make_test_point(tp);
  ASSERT_TRUE(p.ok()) << p.error();
  ASSERT_EQ(p.value().channels.size(), 2u);
  EXPECT_EQ(p.value().channels[0].type, ChannelType::kVT);
  EXPECT_EQ(p.value().channels[1].m.vchan, 0);
  tp.ct = "bogus";
  EXPECT_FALSE(make_test_point(tp).ok());
}

}  // namespace
}  // namespace iw::sim
