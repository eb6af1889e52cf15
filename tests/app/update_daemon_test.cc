// Signed updates through the daemon, end to end: an HTTPS update server on loopback (throwaway
// CA) publishes releases whose bundle runs this build as another version (IOTAWATT_TEST_VERSION).
// The daemon checks when its class is set, installs, restarts into the new version by itself,
// which reports healthy; a release that crashes at every start is rolled back after three starts
// (the restarts systemd would make) and not tried again.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/daemon_process.h"
#include "base/files.h"
#include "update/digest.h"
#include "update/manifest.h"
#include "update/update_server.h"

namespace iw {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::DaemonProcess;

class UpdateDaemon : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("IOTAWATT_EMULATOR") != nullptr) {
      GTEST_SKIP() << "the launcher execs a slot's binary, which qemu-user cannot follow without binfmt_misc";
    }
    dir_ = testing::temp_path("update-daemon");
    data_ = dir_ + "/data";
    fs::create_directories(dir_ + "/out");
    server_ = std::make_unique<testing::UpdateServer>(dir_ + "/server");
    ASSERT_TRUE(server_->ok());
    port_ = testing::free_port();
    config_ = dir_ + "/config.json";
    std::ifstream in(std::string(IOTAWATT_SOURCE_DIR) + "/examples/simulator-custom.json");
    std::ofstream(config_) << json::parse(in, nullptr, true, true).dump(2);
  }
  // A bundle whose usr/bin/iotawatt is `script_body` (a shell script), published for `cls`,
  // signed by `signer` (default key_) and expiring at `expires` (default in a day).
  update::Manifest publish(const std::string& version, const std::string& script_body,
                           update::UpdateClass cls = update::UpdateClass::kMinor,
                           const update::SigningKey* signer = nullptr, int64_t expires = 0) {
    const std::string tree = dir_ + "/tree-" + version;
    fs::create_directories(tree + "/usr/bin");
    std::ofstream(tree + "/usr/bin/iotawatt") << "#!/bin/sh\n" << script_body << "\n";
    if (padding_mb_ > 0) {  // incompressible: the bundle is padding_mb_ MiB and more
      const std::string pad = "head -c " + std::to_string(padding_mb_ << 20) + " /dev/urandom > " + tree + "/usr/pad";
      EXPECT_EQ(std::system(pad.c_str()), 0);
    }
    fs::permissions(tree + "/usr/bin/iotawatt", fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    const std::string name = "iotawatt_" + version + "_amd64.tar.gz";
    EXPECT_EQ(std::system(("tar -czf " + dir_ + "/out/" + name + " -C " + tree + " usr").c_str()), 0);
    const std::string bytes = read_file(dir_ + "/out/" + name, 8 << 20).value();
    update::Manifest m;
    m.version = update::parse_version(version).value();
    m.update_class = cls;
    m.published = std::time(nullptr) - 60;
    m.expires = expires != 0 ? expires : m.published + 86400;
    m.bundles = {{"amd64", "bundles/" + version + "/" + name, bytes.size(), update::sha256_hex(bytes)}};
    server_->put(m.bundles[0].path, bytes);
    server_->put("manifests/" + std::string(update::to_string(cls)) + ".json",
                 update::sign_manifest(update::manifest_body(m), {signer != nullptr ? signer : &key_}));
    return m;
  }
  // This build, reporting `version`.
  static std::string runs_as(const std::string& version) {
    return "IOTAWATT_TEST_VERSION=" + version + " exec " + std::string(IOTAWATT_BINARY) + " \"$@\"";
  }
  void start() {
    daemon_ =
        std::make_unique<DaemonProcess>(std::vector<std::string>{"run", "--config", config_, "--data", data_, "--http",
                                                                 "127.0.0.1:" + std::to_string(port_), "--speed", "4"},
                                        dir_ + "/daemon-" + std::to_string(++starts_) + ".log");
  }
  json update_status() {
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Get("/status?update");
    return res && res->status == 200 ? json::parse(res->body)["update"] : json();
  }
  // Polls /status?update until `done` holds (true) or `timeout` passes (false).
  bool wait_for(const std::function<bool(const json&)>& done, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (const json u = update_status(); u.is_object() && done(u)) return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }
  std::string logs() const {
    std::string all;
    for (int i = 1; i <= starts_; ++i) {
      auto log = read_file(dir_ + "/daemon-" + std::to_string(i) + ".log", 1 << 20);
      all += "--- start " + std::to_string(i) + "\n" + (log.ok() ? log.value() : log.error()) + "\n";
    }
    return all;
  }
  json config_with_updates(const std::string& update_class = "MINOR") {
    json cfg = json::parse(read_file(config_, 1 << 20).value());
    cfg["update"] = update_class;
    cfg["update_server"] = {
        {"url", server_->base_url()}, {"ca_file", server_->cafile()}, {"keys", {key_.public_hex()}}};
    return cfg;
  }

  std::string dir_, data_, config_;
  std::unique_ptr<testing::UpdateServer> server_;
  update::SigningKey key_ = update::SigningKey::Generate().value();
  int port_ = 0;
  int starts_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
  int padding_mb_ = 0;
};

TEST_F(UpdateDaemon, ANewReleaseIsInstalledByItselfAndABrokenOneIsRolledBack) {
  publish("1.5.0", runs_as("1.5.0"));
  start();
  ASSERT_TRUE(wait_for([](const json& u) { return u["state"] == "disabled"; }, 30s)) << logs();
  EXPECT_EQ(update_status()["version"], "0.1.0");

  // Choosing a class (as the web app's setup does) checks within seconds; the daemon installs
  // 1.5.0, restarts into it (same process, exec), and 1.5.0 reports healthy.
  httplib::Client client("127.0.0.1", port_);
  auto saved = client.Post("/config", config_with_updates().dump(), "application/json");
  ASSERT_TRUE(saved && saved->status == 200) << (saved ? saved->body : "no answer") << logs();
  ASSERT_TRUE(wait_for(
      [](const json& u) {
        return u["version"] == "1.5.0" && u["trial"] == "" && !u["history"].empty() &&
               u["history"].back()["outcome"] == "healthy";
      },
      90s))
      << update_status() << logs();
  const json healthy = update_status();
  EXPECT_EQ(healthy["history"][healthy["history"].size() - 2]["outcome"], "installed");
  EXPECT_EQ(healthy["class"], "MINOR");

  // 1.6.0 crashes at every start. Installed by hand, then started the way systemd restarts a
  // failing unit: three starts on trial, and the fourth runs 1.5.0 again.
  publish("1.6.0", "echo 'simulated crash of 1.6.0' >&2; exit 3");
  int rc = -1;
  const std::string install = testing::run_command(
      testing::iotawatt_command() + " update install --data " + data_ + " --config " + config_ + " 2>&1", &rc);
  ASSERT_EQ(rc, 0) << install;
  EXPECT_NE(install.find("installed: update: 1.6.0 installed"), std::string::npos) << install;
  ASSERT_EQ(daemon_->stop(), 0) << logs();
  for (int crash = 1; crash <= 3; ++crash) {
    start();
    EXPECT_EQ(daemon_->wait(30s), 3) << "start " << crash << "\n" << logs();
  }
  start();
  ASSERT_TRUE(wait_for([](const json& u) { return u["version"] == "1.5.0"; }, 60s)) << logs();
  const json back = update_status();
  ASSERT_FALSE(back["history"].empty());
  EXPECT_EQ(back["history"].back()["outcome"], "rolled back") << back;
  EXPECT_EQ(back["history"].back()["from"], "1.6.0");
  EXPECT_NE(back["history"].back()["reason"].get<std::string>().find("did not report healthy in 3 starts"),
            std::string::npos);
  EXPECT_NE(logs().find("1.6.0 rolled back to 1.5.0"), std::string::npos);

  const std::string check = testing::run_command(
      testing::iotawatt_command() + " update check --data " + data_ + " --config " + config_ + " 2>&1", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(check.find("1.6.0 failed its health check on this device and was rolled back"), std::string::npos) << check;
  EXPECT_EQ(daemon_->stop(), 0) << logs();
}

// Every attack the updater refuses (a bundle over max_download_mb included), seen where a user looks: /status?update
// (the web app's Setup > Updates) and the message log (the web app's Messages). Each class change makes the daemon
// check within seconds; nothing is installed and the daemon keeps its version.
TEST_F(UpdateDaemon, EachAttackIsRefusedInStatusAndTheMessageLog) {
  using update::UpdateClass;
  const update::SigningKey stranger = update::SigningKey::Generate().value();
  const std::string good = runs_as("1.5.0");
  struct Attack {
    std::string name, update_class;
    std::function<void()> arrange;
    std::string state, message;
  };
  const std::vector<Attack> attacks = {
      {"signed by an unknown key", "MINOR", [&] { publish("1.5.0", good, UpdateClass::kMinor, &stranger); }, "refused",
       "which this device does not trust"},
      {"expired", "MAJOR", [&] { publish("1.5.0", good, UpdateClass::kMajor, nullptr, std::time(nullptr) - 1); },
       "refused", "expired at"},
      {"replayed older", "BETA", [&] { publish("0.0.9", good, UpdateClass::kBeta); }, "refused",
       "older than the installed 0.1.0"},
      {"tampered bundle", "ALPHA",
       [&] {
         const update::Manifest m = publish("1.5.0", good, UpdateClass::kAlpha);
         std::string bytes = read_file(server_->root() + "/" + m.bundles[0].path, 1 << 20).value();
         bytes[bytes.size() / 2] ^= 0x55;
         server_->put(m.bundles[0].path, bytes);
       },
       "failed", "the server holds another file"},
      {"another class's manifest", "MINOR",
       [&] {
         publish("1.5.0", good, UpdateClass::kAlpha);
         server_->put("manifests/MINOR.json", read_file(server_->root() + "/manifests/ALPHA.json", 1 << 16).value());
       },
       "refused", "offers class ALPHA"},
      {"too large", "BETA",
       [&] {
         padding_mb_ = 2;  // the config below allows 1 MiB
         publish("1.5.0", good, UpdateClass::kBeta);
         padding_mb_ = 0;
       },
       "failed", "this device downloads"},
  };
  start();
  ASSERT_TRUE(wait_for([](const json& u) { return u["state"] == "disabled"; }, 30s)) << logs();
  httplib::Client client("127.0.0.1", port_);
  std::string previous_class = "NONE";
  for (const Attack& a : attacks) {
    a.arrange();
    // The same class twice in a row would not check again: step through NONE.
    if (a.update_class == previous_class) {
      ASSERT_TRUE(client.Post("/config", config_with_updates("NONE").dump(), "application/json"));
    }
    previous_class = a.update_class;
    json cfg = config_with_updates(a.update_class);
    cfg["update_server"]["max_download_mb"] = 1;
    auto saved = client.Post("/config", cfg.dump(), "application/json");
    ASSERT_TRUE(saved && saved->status == 200) << a.name << ": " << (saved ? saved->body : "no answer");
    const bool seen = wait_for(
        [&](const json& u) {
          return u["state"] == a.state && u["message"].get<std::string>().find(a.message) != std::string::npos;
        },
        30s);
    ASSERT_TRUE(seen) << a.name << ": " << update_status() << logs();
    const json u = update_status();
    EXPECT_EQ(u["version"], "0.1.0") << a.name;
    EXPECT_EQ(u["trial"], "") << a.name;
    auto log = client.Get("/iotawatt/iotamsgs.txt?textpos=-20000");
    ASSERT_TRUE(log && log->status == 200) << a.name;
    EXPECT_NE(log->body.find(u["message"].get<std::string>()), std::string::npos)
        << a.name << ": not in the message log:\n"
        << log->body;
  }
  EXPECT_FALSE(fs::exists(data_ + "/update/current")) << "something was installed";
  EXPECT_EQ(daemon_->stop(), 0) << logs();
}

}  // namespace
}  // namespace iw
