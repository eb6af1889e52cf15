// End to end: a daemon whose ADC cannot be opened (issue 15) serves, says why in /status,
// /metrics and its message log, tries again with a bounded backoff, and measures once a
// corrected config is posted, without a restart.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/daemon_client.h"
#include "app/daemon_process.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class DaemonSourceRetry : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::free_port();
    data_ = testing::temp_path("retry-data");
    spidev_ = testing::temp_path("spidev0.0");  // does not exist
    config_ = testing::temp_path("retry-config.json");
    std::ifstream in(std::string(IOTAWATT_SOURCE_DIR) + "/examples/pi-mcp3008-1vt6ct.json");
    json cfg = json::parse(in);
    cfg["adc"]["spidev"] = json::array({spidev_});
    std::ofstream(config_) << cfg.dump(2);
  }
  void TearDown() override {
    std::filesystem::remove_all(data_);
    std::filesystem::remove(spidev_);
    std::filesystem::remove(config_);
  }
  void start(const std::string& retry_max_s) {
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--config", config_, "--http", "127.0.0.1:" + std::to_string(port_), "--data",
                                 data_, "--realtime", "off", "--adc-retry-max", retry_max_s},
        testing::temp_path("retry.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    ASSERT_TRUE(testing::wait_until_serving(*client_)) << daemon_->log();
  }
  json sampling() {
    auto res = client_->Get("/status?stats");
    return res && res->status == 200 ? json::parse(res->body)["stats"]["sampling"] : json();
  }

  int port_ = 0;
  std::string data_, spidev_, config_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DaemonSourceRetry, ServesAndSaysWhyWhenTheDeviceIsMissing) {
  start("60");
  const json s = sampling();
  const std::string error = s.value("error", "");
  EXPECT_NE(error.find("cannot open " + spidev_ + ": No such file or directory"), std::string::npos) << s;
  EXPECT_NE(error.find("dtparam=spi=on"), std::string::npos) << s;
  EXPECT_EQ(s["conversions_per_second"], 0);
  EXPECT_GT(s["retry_in_s"].get<double>(), 0) << s;

  // What the owner needs to fix it: the config, the web app, the message log.
  auto config = client_->Get("/config");
  ASSERT_TRUE(config && config->status == 200);
  EXPECT_EQ(json::parse(config->body)["adc"]["board"], "pi-mcp3008-1vt6ct");
  auto web = client_->Get("/");
  ASSERT_TRUE(web);
  EXPECT_EQ(web->status, 200);
  auto messages = client_->Get("/iotawatt/iotamsgs.txt");
  ASSERT_TRUE(messages && messages->status == 200);
  EXPECT_NE(messages->body.find("No such file or directory"), std::string::npos) << messages->body;
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics && metrics->status == 200);
  EXPECT_NE(metrics->body.find("\niotawatt_sampling_source_up 0\n"), std::string::npos) << metrics->body;

  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(waitpid(daemon_->pid(), nullptr, WNOHANG), 0) << "the daemon exited:\n" << daemon_->log();
  EXPECT_EQ(daemon_->stop(), 0) << daemon_->log();
}

TEST_F(DaemonSourceRetry, RetriesAreBoundedAndLoggedOncePerError) {
  start("0.2");  // 0.2 s, then every 0.2 s
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const json s = sampling();
  const auto attempts = s.value("open_attempts", 0);
  // About 3 / 0.2 = 15 in 3 s; never a busy loop, and not stuck either.
  EXPECT_GE(attempts, 5) << s;
  EXPECT_LE(attempts, 17) << s;
  EXPECT_EQ(count_of(daemon_->log(), "No such file or directory"), 1) << daemon_->log();

  // The path starts existing, but is no spidev device: the next attempt finds the new error,
  // which is logged once more.
  std::ofstream(spidev_) << "";
  std::string error;
  for (int i = 0; i < 40 && error.find("cannot set SPI mode 0") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    error = sampling().value("error", "");
  }
  EXPECT_NE(error.find("cannot set SPI mode 0 on " + spidev_), std::string::npos) << error;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(count_of(daemon_->log(), "cannot set SPI mode 0"), 1) << daemon_->log();
  EXPECT_EQ(daemon_->stop(), 0) << daemon_->log();
}

TEST_F(DaemonSourceRetry, ACorrectedConfigMeasuresWithoutARestart) {
  start("60");
  auto read = client_->Get("/config");
  ASSERT_TRUE(read && read->status == 200);
  json cfg = json::parse(read->body);
  cfg.erase("adc");  // the owner has no board yet: the simulator
  auto write = client_->Post("/config?confirm=source", cfg.dump(), "application/json");
  ASSERT_TRUE(write) << daemon_->log();
  ASSERT_EQ(write->status, 200) << write->body;
  json s;
  for (int i = 0; i < 60; ++i) {
    s = sampling();
    if (s.value("conversions_per_second", 0) > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GT(s.value("conversions_per_second", 0), 0) << s << daemon_->log();
  EXPECT_EQ(s.value("error", "?"), "") << s;
  EXPECT_EQ(daemon_->stop(), 0) << daemon_->log();
}

// A data directory that only a waiting daemon saw is not marked as an ADC board's: nothing was
// logged from it, so the simulator may follow without --confirm-source.
TEST_F(DaemonSourceRetry, AWaitingDaemonLeavesTheDatalogUnmarked) {
  start("60");
  EXPECT_EQ(daemon_->stop(), 0) << daemon_->log();
  DaemonProcess sim({"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_, "--realtime", "off"},
                    testing::temp_path("retry-sim.log"));
  EXPECT_TRUE(testing::wait_until_serving(*client_)) << sim.log();
  EXPECT_EQ(sim.stop(), 0) << sim.log();
}

}  // namespace
}  // namespace iw
