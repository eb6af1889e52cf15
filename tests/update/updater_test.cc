// One check of the update server end to end, as the daemon runs it: a real HTTPS server on
// loopback (throwaway CA) publishing signed manifests and bundles made with tar, each attack
// of issue 16 refused with its reason, and a good release installed into a slot on trial.
#include "update/updater.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/daemon_process.h"
#include "base/files.h"
#include "update/bundles.h"
#include "update/digest.h"
#include "update/launch.h"
#include "update/update_server.h"

namespace iw::update {
namespace {

namespace fs = std::filesystem;
using Outcome = CheckReport::Outcome;

ReleaseVersion v(const char* text) { return parse_version(text).value(); }

class Updater : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = iw::testing::temp_path("updater");
    fs::create_directories(dir_ + "/out");
    server_ = std::make_unique<iw::testing::UpdateServer>(dir_ + "/server");
    ASSERT_TRUE(server_->ok());
    settings_.update_class = UpdateClass::kMinor;
    settings_.server_url = server_->base_url() + "/";
    settings_.built_in_keys = {key_.public_hex()};
    settings_.installed = {v("1.4.0"), "amd64", {}, false};
    settings_.download.fetch.cafile = server_->cafile();
    settings_.root = dir_ + "/data/update";
  }
  // Publishes `version` in `cls`, signed by `signers` (default key_), expiring at `expires`.
  Manifest publish(const char* version, UpdateClass cls = UpdateClass::kMinor,
                   std::vector<const SigningKey*> signers = {}, int64_t expires = 0) {
    const std::string path = iw::testing::make_bundle(dir_ + "/out", version);
    const std::string bytes = read_file(path, 1 << 20).value();
    Manifest m;
    m.version = v(version);
    m.update_class = cls;
    m.published = now_ - 60;
    m.expires = expires != 0 ? expires : now_ + 86400;
    m.bundles = {{"amd64", "bundles/" + std::string(version) + "/" + fs::path(path).filename().string(), bytes.size(),
                  sha256_hex(bytes)}};
    m.keys = rotate_to_;
    server_->put(m.bundles[0].path, bytes);
    if (signers.empty()) signers = {&key_};
    server_->put("manifests/" + std::string(to_string(cls)) + ".json", sign_manifest(manifest_body(m), signers));
    return m;
  }
  CheckReport check(bool install = true) { return check_for_update(settings_, now_, install); }
  UpdateState state() { return load_update_state(settings_.root + "/state.json").state; }

  std::string dir_;
  std::unique_ptr<iw::testing::UpdateServer> server_;
  SigningKey key_ = SigningKey::Generate().value();
  UpdaterSettings settings_;
  std::vector<std::string> rotate_to_;
  int64_t now_ = std::time(nullptr);
};

TEST_F(Updater, AGoodReleaseIsInstalledOnTrialInEachClass) {
  for (UpdateClass cls : {UpdateClass::kMajor, UpdateClass::kMinor, UpdateClass::kBeta, UpdateClass::kAlpha}) {
    settings_.update_class = cls;
    settings_.root = dir_ + "/data-" + std::string(to_string(cls)) + "/update";
    settings_.health_deadline_s = 90;
    publish("1.5.0", cls);
    const CheckReport r = check();
    EXPECT_EQ(r.outcome, Outcome::kInstalled) << to_string(cls) << ": " << r.message;
    EXPECT_EQ(r.available, "1.5.0");
    SlotStore slots(settings_.root);
    EXPECT_EQ(slots.current(), v("1.5.0"));
    int rc = -1;
    EXPECT_EQ(iw::testing::run_command(slots.binary(v("1.5.0")), &rc), "1.5.0\n");
    const UpdateState s = state();
    ASSERT_TRUE(s.trial.has_value());
    EXPECT_EQ(s.trial->version, v("1.5.0"));
    EXPECT_EQ(s.trial->deadline_s, 90);  // the config's health_deadline, for the launcher too
    EXPECT_EQ(s.history.back().outcome, "installed");
    EXPECT_FALSE(fs::exists(settings_.root + "/downloads/iotawatt_1.5.0_amd64.tar.gz"));  // unpacked: deleted
  }
}

TEST_F(Updater, CheckingWithoutInstallingOnlyReports) {
  publish("1.5.0");
  const CheckReport r = check(false);
  EXPECT_EQ(r.outcome, Outcome::kAvailable) << r.message;
  EXPECT_EQ(r.message, "1.5.0 is available");
  EXPECT_EQ(SlotStore(settings_.root).current(), std::nullopt);
  publish("1.4.0");
  EXPECT_EQ(check().outcome, Outcome::kUpToDate);
}

TEST_F(Updater, EachAttackIsRefusedWithItsReasonAndNothingIsInstalled) {
  const SigningKey stranger = SigningKey::Generate().value();
  struct Attack {
    std::string name;
    std::function<void()> arrange;
    Outcome outcome;
    std::string message;
  };
  const std::vector<Attack> attacks = {
      {"unknown key", [&] { publish("1.5.0", UpdateClass::kMinor, {&stranger}); }, Outcome::kRefused,
       "which this device does not trust"},
      {"expired", [&] { publish("1.5.0", UpdateClass::kMinor, {}, now_ - 1); }, Outcome::kRefused, "expired at"},
      {"replayed older", [&] { publish("1.3.9"); }, Outcome::kRefused, "older than the installed 1.4.0"},
      {"class moved",
       [&] {
         publish("1.5.0", UpdateClass::kAlpha);
         server_->put("manifests/MINOR.json", read_file(server_->root() + "/manifests/ALPHA.json", 1 << 16).value());
       },
       Outcome::kRefused, "offers class ALPHA"},
      {"tampered bundle",
       [&] {
         const Manifest m = publish("1.5.0");
         std::string bytes = read_file(server_->root() + "/" + m.bundles[0].path, 1 << 20).value();
         bytes[bytes.size() / 2] ^= 0x55;
         server_->put(m.bundles[0].path, bytes);
       },
       Outcome::kFailed, "the server holds another file"},
      {"too large",
       [&] {
         publish("1.5.0");
         settings_.download.max_bytes = 100;
       },
       Outcome::kFailed, "this device downloads"},
  };
  for (const Attack& a : attacks) {
    settings_.download.max_bytes = kMaxBundleBytes;
    settings_.root = dir_ + "/data-" + std::to_string(&a - attacks.data()) + "/update";
    a.arrange();
    const CheckReport r = check();
    EXPECT_EQ(r.outcome, a.outcome) << a.name << ": " << r.message;
    EXPECT_NE(r.message.find(a.message), std::string::npos) << a.name << ": " << r.message;
    EXPECT_EQ(SlotStore(settings_.root).current(), std::nullopt) << a.name;
    EXPECT_FALSE(state().trial.has_value()) << a.name;
  }
}

TEST_F(Updater, AVersionRolledBackHereIsNotTriedAgain) {
  publish("1.5.0");
  ASSERT_EQ(check().outcome, Outcome::kInstalled);
  SlotStore slots(settings_.root);
  UpdateState s = state();
  roll_back(slots, s, now_, "it did not report healthy");
  ASSERT_TRUE(save_update_state(settings_.root + "/state.json", s).ok());
  const CheckReport again = check();
  EXPECT_EQ(again.outcome, Outcome::kRefused);
  EXPECT_NE(again.message.find("1.5.0 failed its health check on this device"), std::string::npos) << again.message;
  publish("1.5.1");
  EXPECT_EQ(check().outcome, Outcome::kInstalled);
}

TEST_F(Updater, KeyRotationMovesTrustToTheNewKey) {
  const SigningKey next = SigningKey::Generate().value();
  rotate_to_ = {next.public_hex()};
  publish("1.4.0", UpdateClass::kMinor, {&key_, &next});  // nothing to install, but the keys rotate
  ASSERT_EQ(check().outcome, Outcome::kUpToDate);
  EXPECT_EQ(state().keys, rotate_to_);
  EXPECT_EQ(state().history.back().outcome, "keys rotated");
  rotate_to_.clear();
  publish("1.5.0", UpdateClass::kMinor, {&key_});  // the old key alone is no longer enough
  const CheckReport old_key = check();
  EXPECT_EQ(old_key.outcome, Outcome::kRefused) << old_key.message;
  publish("1.5.0", UpdateClass::kMinor, {&next});
  EXPECT_EQ(check().outcome, Outcome::kInstalled);
}

TEST_F(Updater, NoClassNoServerOrNoKeyMeansNoChecks) {
  settings_.update_class = UpdateClass::kNone;
  EXPECT_EQ(check().outcome, Outcome::kDisabled);
  settings_.update_class = UpdateClass::kMinor;
  settings_.server_url.clear();
  EXPECT_EQ(check().message, "no update_server.url in the config: no checks");
  settings_.server_url = server_->base_url();
  settings_.built_in_keys.clear();
  EXPECT_NE(check().message.find("this build trusts no release key"), std::string::npos);
  settings_.extra_keys = {key_.public_hex()};  // a self-publisher's key from the config
  publish("1.5.0");
  EXPECT_EQ(check().outcome, Outcome::kInstalled);
  EXPECT_EQ(server_->requests() > 0, true);
}

TEST_F(Updater, AnUnreachableServerIsAFailureThatNamesIt) {
  settings_.server_url = "https://127.0.0.1:" + std::to_string(iw::testing::free_port());
  settings_.download.fetch.connect_timeout_ms = 1000;
  const CheckReport r = check();
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_NE(r.message.find("127.0.0.1"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace iw::update
