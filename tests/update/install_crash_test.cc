// kill -9 of `iotawatt update install` at points spread over its whole run (download, unpack,
// switch, state): after each, the device has a working version (the package, or a whole slot
// that runs), its state file reads, and the next install finishes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "app/daemon_process.h"
#include "base/files.h"
#include "update/digest.h"
#include "update/manifest.h"
#include "update/slots.h"
#include "update/update_server.h"
#include "update/update_state.h"

namespace iw::update {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class InstallCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("IOTAWATT_EMULATOR") != nullptr) GTEST_SKIP() << "timing-bound: not under qemu-user";
    dir_ = iw::testing::temp_path("install-crash");
    fs::create_directories(dir_ + "/tree/usr/bin");
    server_ = std::make_unique<iw::testing::UpdateServer>(dir_ + "/server");
    ASSERT_TRUE(server_->ok());
    // 4 MB that do not compress: the download and the unpacking take long enough to be hit.
    std::mt19937 random(7);
    std::string noise(4 << 20, '\0');
    for (char& c : noise) c = static_cast<char>(random());
    std::ofstream(dir_ + "/tree/usr/share.bin", std::ios::binary) << noise;
    std::ofstream(dir_ + "/tree/usr/bin/iotawatt") << "#!/bin/sh\necho 1.5.0\n";
    fs::permissions(dir_ + "/tree/usr/bin/iotawatt", fs::perms::owner_all);
    const std::string bundle = dir_ + "/iotawatt_1.5.0_amd64.tar.gz";
    ASSERT_EQ(std::system(("tar -czf " + bundle + " -C " + dir_ + "/tree usr").c_str()), 0);
    const std::string bytes = read_file(bundle, 8 << 20).value();
    Manifest m;
    m.version = parse_version("1.5.0").value();
    m.published = std::time(nullptr) - 60;
    m.expires = m.published + 86400;
    m.bundles = {{"amd64", "bundles/1.5.0/iotawatt_1.5.0_amd64.tar.gz", bytes.size(), sha256_hex(bytes)}};
    server_->put(m.bundles[0].path, bytes);
    server_->put("manifests/MINOR.json", sign_manifest(manifest_body(m), {&key_}));
    std::ifstream in(std::string(IOTAWATT_SOURCE_DIR) + "/examples/simulator-custom.json");
    nlohmann::json cfg = nlohmann::json::parse(in, nullptr, true, true);
    cfg["update"] = "MINOR";
    cfg["update_server"] = {
        {"url", server_->base_url()}, {"ca_file", server_->cafile()}, {"keys", {key_.public_hex()}}};
    std::ofstream(dir_ + "/config.json") << cfg.dump();
  }
  // Starts `iotawatt update install`; returns its pid.
  pid_t start_install(const std::string& data) {
    std::vector<std::string> words = iw::testing::iotawatt_argv();
    for (const char* w : {"update", "install", "--data"}) words.emplace_back(w);
    words.push_back(data);
    words.emplace_back("--config");
    words.push_back(dir_ + "/config.json");
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }
  int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string dir_;
  std::unique_ptr<iw::testing::UpdateServer> server_;
  SigningKey key_ = SigningKey::Generate().value();
};

TEST_F(InstallCrash, AKillAtAnyPointLeavesAWorkingVersion) {
  // One whole install, to know how long one takes.
  const auto t0 = Clock::now();
  ASSERT_EQ(wait_exit(start_install(dir_ + "/timing")), 0);
  const auto whole = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
  ASSERT_EQ(SlotStore(dir_ + "/timing/update").current(), parse_version("1.5.0").value());

  constexpr int kKills = 12;
  int killed_midway = 0;
  for (int k = 0; k < kKills; ++k) {
    const std::string data = dir_ + "/data-" + std::to_string(k);
    const pid_t pid = start_install(data);
    std::this_thread::sleep_for(whole * (k + 1) / (kKills + 1));
    ::kill(pid, SIGKILL);
    killed_midway += wait_exit(pid) == -1 ? 1 : 0;  // not an exit: the kill came first

    SlotStore slots(data + "/update");
    if (auto current = slots.current()) {  // switched: the slot is whole and runs
      int rc = -1;
      EXPECT_EQ(iw::testing::run_command(slots.binary(*current), &rc), "1.5.0\n") << "kill " << k;
      EXPECT_EQ(read_file(slots.slot_dir(*current) + "/usr/share.bin", 8 << 20).value().size(), 4u << 20);
    }
    const LoadedState state = load_update_state(data + "/update/state.json");
    EXPECT_TRUE(state.problem.ok()) << "kill " << k << ": " << state.problem.message();
    if (slots.current()) {
      EXPECT_TRUE(state.state.trial.has_value()) << "kill " << k << ": switched without a trial";
    }
    EXPECT_EQ(wait_exit(start_install(data)), 0) << "kill " << k;  // resumes or finds it done
    EXPECT_EQ(slots.current(), parse_version("1.5.0").value()) << "kill " << k;
  }
  EXPECT_GT(killed_midway, kKills / 2) << "a whole install took " << whole.count() << " us";
}

}  // namespace
}  // namespace iw::update
