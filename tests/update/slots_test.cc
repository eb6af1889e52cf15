// A/B slots, the updater's state file and the launch decision, on real bundles made with tar
// and dpkg-deb in a temp directory.
#include "update/slots.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "app/daemon_process.h"
#include "base/files.h"
#include "update/bundles.h"
#include "update/launch.h"
#include "update/update_state.h"

namespace iw::update {
namespace {

namespace fs = std::filesystem;

ReleaseVersion v(const char* text) { return parse_version(text).value(); }

class Slots : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = iw::testing::temp_path("slots");
    fs::create_directories(dir_);
  }
  std::string bundle(const std::string& version, const std::string& kind = "tar.gz") {
    using iw::testing::BundleKind;
    return iw::testing::make_bundle(dir_, version,
                                    kind == "deb"         ? BundleKind::kDeb
                                    : kind == "no-binary" ? BundleKind::kNoBinary
                                                          : BundleKind::kTarGz);
  }
  std::string state_path() const { return dir_ + "/update/state.json"; }

  std::string dir_;
  SlotStore slots_{iw::testing::temp_path("slots") + "/update"};
};

TEST_F(Slots, UnpackSwitchAndRollBackMoveOnlyTheLinks) {
  EXPECT_EQ(slots_.current(), std::nullopt);
  ASSERT_TRUE(slots_.unpack(bundle("1.5.0"), v("1.5.0")).ok());
  ASSERT_TRUE(slots_.unpack(bundle("1.6.0", "deb"), v("1.6.0")).ok());
  EXPECT_EQ(slots_.current(), std::nullopt);  // unpacked is not running
  ASSERT_TRUE(slots_.switch_to(v("1.5.0")).ok());
  EXPECT_EQ(slots_.current(), v("1.5.0"));
  EXPECT_EQ(slots_.previous(), std::nullopt);  // the package ran before
  ASSERT_TRUE(slots_.switch_to(v("1.6.0")).ok());
  EXPECT_EQ(slots_.current(), v("1.6.0"));
  EXPECT_EQ(slots_.previous(), v("1.5.0"));
  EXPECT_EQ(read_file(slots_.slot_dir(v("1.6.0")) + "/usr/share/iotawatt/web/index.html", 100).value(), "<html>1.6.0");
  int rc = -1;
  EXPECT_EQ(iw::testing::run_command(slots_.binary(v("1.6.0")), &rc), "1.6.0\n");

  EXPECT_FALSE(slots_.unpack(bundle("1.6.0"), v("1.6.0")).ok());  // the running slot is never written
  ASSERT_TRUE(slots_.roll_back().ok());
  EXPECT_EQ(slots_.current(), v("1.5.0"));
  EXPECT_EQ(slots_.previous(), std::nullopt);
  ASSERT_TRUE(slots_.roll_back().ok());
  EXPECT_EQ(slots_.current(), std::nullopt);  // back to the package
}

TEST_F(Slots, ABadBundleLeavesNoSlot) {
  auto st = slots_.unpack(bundle("1.5.0", "no-binary"), v("1.5.0"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("has no executable usr/bin/iotawatt"), std::string::npos) << st.message();
  std::ofstream(dir_ + "/garbage.tar.gz") << "not a tarball";
  st = slots_.unpack(dir_ + "/garbage.tar.gz", v("1.5.1"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("unpacking 1.5.1: tar failed"), std::string::npos) << st.message();
  EXPECT_FALSE(fs::exists(slots_.slot_dir(v("1.5.0"))));
  EXPECT_FALSE(fs::exists(slots_.slot_dir(v("1.5.1"))));
  EXPECT_FALSE(fs::exists(slots_.slot_dir(v("1.5.1")) + ".unpacking"));
  EXPECT_TRUE(slots_.switch_to(v("1.5.0")).is_not_found());
}

TEST_F(Slots, PruneKeepsTheCurrentAndThePrevious) {
  for (const char* ver : {"1.4.0", "1.5.0", "1.6.0"}) ASSERT_TRUE(slots_.unpack(bundle(ver), v(ver)).ok());
  ASSERT_TRUE(slots_.switch_to(v("1.5.0")).ok());
  ASSERT_TRUE(slots_.switch_to(v("1.6.0")).ok());
  slots_.prune();
  EXPECT_FALSE(fs::exists(slots_.slot_dir(v("1.4.0"))));
  EXPECT_TRUE(fs::exists(slots_.binary(v("1.5.0"))));
  EXPECT_TRUE(fs::exists(slots_.binary(v("1.6.0"))));
}

TEST_F(Slots, TheStateFileRoundTripsAndADamagedOneIsSetAside) {
  UpdateState s;
  s.trial = Trial{v("1.6.0"), 1796600000, 2, 120};
  s.bad = {v("1.5.1")};
  s.keys = {std::string(64, 'a')};
  for (int i = 0; i < 60; ++i) s.record({1796600000 + i, "1.5.0", "1.6.0", "installed", ""});
  EXPECT_EQ(s.history.size(), kMaxHistory);
  EXPECT_EQ(s.history.front().time, 1796600010);
  fs::create_directories(dir_ + "/update");
  ASSERT_TRUE(save_update_state(state_path(), s).ok());
  LoadedState back = load_update_state(state_path());
  ASSERT_TRUE(back.problem.ok()) << back.problem.message();
  ASSERT_TRUE(back.state.trial.has_value());
  EXPECT_EQ(back.state.trial->version, v("1.6.0"));
  EXPECT_EQ(back.state.trial->launches, 2);
  EXPECT_EQ(back.state.trial->deadline_s, 120);
  EXPECT_EQ(back.state.bad, s.bad);
  EXPECT_EQ(back.state.keys, s.keys);
  EXPECT_EQ(back.state.history.size(), kMaxHistory);

  EXPECT_TRUE(load_update_state(dir_ + "/none.json").problem.ok());
  std::ofstream(state_path()) << R"({"trial": {"version": 3}})";
  back = load_update_state(state_path());
  ASSERT_FALSE(back.problem.ok());
  EXPECT_NE(back.problem.message().find("is damaged"), std::string::npos) << back.problem.message();
  EXPECT_NE(back.problem.message().find("set aside as " + state_path() + ".bad-"), std::string::npos);
  EXPECT_FALSE(back.state.trial.has_value());
  EXPECT_FALSE(fs::exists(state_path()));
}

TEST_F(Slots, TheLauncherRunsTheNewestAndRollsBackATrialThatNeverGetsHealthy) {
  UpdateState state;
  const ReleaseVersion package = v("1.4.0");
  EXPECT_EQ(plan_launch(slots_, state, package, 1000).slot, std::nullopt);  // nothing installed yet

  ASSERT_TRUE(slots_.unpack(bundle("1.5.0"), v("1.5.0")).ok());
  ASSERT_TRUE(slots_.switch_to(v("1.5.0")).ok());
  state.trial = Trial{v("1.5.0"), 1000, 0};
  for (int launch = 1; launch <= 3; ++launch) {
    const LaunchPlan plan = plan_launch(slots_, state, package, 1000 + launch);
    EXPECT_EQ(plan.slot, v("1.5.0"));
    EXPECT_TRUE(plan.trial);
    EXPECT_TRUE(plan.rolled_back.empty());
  }
  const LaunchPlan fourth = plan_launch(slots_, state, package, 1010);
  EXPECT_EQ(fourth.slot, std::nullopt);
  EXPECT_EQ(fourth.rolled_back, "update: 1.5.0 rolled back to the package: it did not report healthy in 3 starts");
  EXPECT_EQ(state.bad, std::vector<ReleaseVersion>{v("1.5.0")});
  ASSERT_FALSE(state.history.empty());
  EXPECT_EQ(state.history.back().outcome, "rolled back");
  EXPECT_FALSE(state.trial.has_value());
  EXPECT_EQ(slots_.current(), std::nullopt);
}

TEST_F(Slots, ATrialPastItsDeadlineIsRolledBackToThePreviousSlot) {
  UpdateState state;
  for (const char* ver : {"1.5.0", "1.6.0"}) ASSERT_TRUE(slots_.unpack(bundle(ver), v(ver)).ok());
  ASSERT_TRUE(slots_.switch_to(v("1.5.0")).ok());
  ASSERT_TRUE(slots_.switch_to(v("1.6.0")).ok());
  state.trial = Trial{v("1.6.0"), 1000, 0};
  state.trial = Trial{v("1.6.0"), 1000, 0, 120};  // the config's health_deadline at the switch
  EXPECT_EQ(plan_launch(slots_, state, v("1.4.0"), 1000 + 120).slot, v("1.6.0"));
  const LaunchPlan plan = plan_launch(slots_, state, v("1.4.0"), 1000 + 121);
  EXPECT_EQ(plan.slot, v("1.5.0"));
  EXPECT_FALSE(plan.trial);
  EXPECT_NE(plan.rolled_back.find("1.6.0 rolled back to 1.5.0: it did not report healthy within 120 s"),
            std::string::npos)
      << plan.rolled_back;
}

TEST_F(Slots, AStateFileFromBeforeTrialDeadlinesGetsTheDefaultAndABadDeadlineIsDamage) {
  auto old = parse_update_state(R"({"trial": {"version": "1.6.0", "started": 1000, "launches": 1},
                                    "bad": [], "history": [], "keys": []})");
  ASSERT_TRUE(old.ok()) << old.error();
  EXPECT_EQ(old.value().trial->deadline_s, kDefaultHealthDeadlineS);
  for (const char* deadline : {"0", "-5", "86401", "\"600\""}) {
    auto bad = parse_update_state(std::string(R"({"trial": {"version": "1.6.0", "started": 1000, "launches": 1, )") +
                                  R"("deadline": )" + deadline + R"(}, "bad": [], "history": [], "keys": []})");
    EXPECT_FALSE(bad.ok()) << deadline;
  }
}

TEST_F(Slots, AHealthyTrialEndsAndAnUpgradedPackageWins) {
  UpdateState state;
  for (const char* ver : {"1.5.0", "1.6.0"}) ASSERT_TRUE(slots_.unpack(bundle(ver), v(ver)).ok());
  ASSERT_TRUE(slots_.switch_to(v("1.6.0")).ok());
  state.trial = Trial{v("1.6.0"), 1000, 0};
  EXPECT_TRUE(plan_launch(slots_, state, v("1.4.0"), 1001).trial);
  confirm_healthy(slots_, state, 1002);
  EXPECT_FALSE(state.trial.has_value());
  EXPECT_EQ(state.history.back().outcome, "healthy");
  EXPECT_FALSE(fs::exists(slots_.slot_dir(v("1.5.0"))));  // neither current nor previous
  const LaunchPlan plan = plan_launch(slots_, state, v("1.4.0"), 1003);
  EXPECT_EQ(plan.slot, v("1.6.0"));
  EXPECT_FALSE(plan.trial);
  EXPECT_EQ(plan_launch(slots_, state, v("1.7.0"), 1004).slot, std::nullopt);  // apt upgraded past it
}

}  // namespace
}  // namespace iw::update

namespace iw::update {
namespace {

TEST(UpdateStateText, HostileTextsAreRefusedNamingWhy) {
  EXPECT_NE(parse_update_state(std::string(kMaxStateBytes + 1, ' ')).error().find("larger than"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "[";
  EXPECT_NE(parse_update_state(deep).error().find("nesting deeper than"), std::string::npos);
  EXPECT_EQ(parse_update_state("[]").error(), "not a JSON object");
  EXPECT_FALSE(parse_update_state(R"({"bad": [], "history": [], "keys": ["x"]})").ok());
  EXPECT_FALSE(parse_update_state(R"({"bad": ["1.2"], "history": [], "keys": []})").ok());
  EXPECT_FALSE(parse_update_state(R"({"bad": [], "history": [{"time": "now"}], "keys": []})").ok());
  // Numbers beyond an int64 parse as floats, and a float out of range cannot be cast (the
  // fuzzer found "started": 1796614251444444444444444 under UBSan); fractions, negatives and
  // values past their limits are refused by name.
  const auto trial = [](const std::string& fields) {
    return parse_update_state(R"({"bad": [], "history": [], "keys": [], "trial": {"version": "1.5.0", )" + fields +
                              "}}");
  };
  EXPECT_EQ(trial(R"("started": 1796614251444444444444444, "launches": 1)").error(),
            "trial.started: not a whole number from 0 to 1099511627776");
  EXPECT_EQ(trial(R"("started": 1796614251, "launches": 1e30)").error(),
            "trial.launches: not a whole number from 0 to 2147483647");
  EXPECT_EQ(trial(R"("started": 1796614251, "launches": -1)").error(),
            "trial.launches: not a whole number from 0 to 2147483647");
  EXPECT_EQ(trial(R"("started": 1796614251, "launches": 1, "deadline": 600.5)").error(),
            "trial.deadline: not a whole number from 1 to 86400");
  EXPECT_EQ(trial(R"("started": 1796614251, "launches": 1, "deadline": 18446744073709551615)").error(),
            "trial.deadline: not a whole number from 1 to 86400");
  EXPECT_TRUE(trial(R"("started": 1796614251, "launches": 1, "deadline": 86400)").ok());
  EXPECT_EQ(
      parse_update_state(
          R"({"bad": [], "history": [{"time": 1e300, "from": "", "to": "", "outcome": "", "reason": ""}], "keys": []})")
          .error(),
      "history.time: not a whole number from 0 to 1099511627776");
  auto ok = parse_update_state(R"({"bad": [], "history": [], "keys": []})");
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(update_state_text(ok.value()), update_state_text(UpdateState{}));
}

}  // namespace
}  // namespace iw::update
