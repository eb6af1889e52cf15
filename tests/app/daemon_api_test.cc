// End to end: the configuration API and the other non-query endpoints of the running daemon.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/daemon_process.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;

class DaemonApi : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::free_port();
    data_ = testing::temp_path("api-data");
    start();
  }
  void start() {
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_},
        testing::temp_path("api.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    for (int i = 0; i < 200; ++i) {
      if (auto res = client_->Get("/nullreq"); res && res->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << daemon_->log();
  }
  json device() {
    auto res = client_->Get("/status?device");
    return res ? json::parse(res->body)["device"] : json();
  }

  int port_ = 0;
  std::string data_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DaemonApi, ConfigIsReadChangedWithTheConflictCheckAndKeptAcrossRestarts) {
  auto read = client_->Get("/config");
  ASSERT_TRUE(read && read->status == 200) << daemon_->log();
  const std::string hash = read->get_header_value("X-configSHA256");
  ASSERT_EQ(hash.size(), 44u);
  json cfg = json::parse(read->body);
  EXPECT_EQ(device()["name"], cfg["device"]["name"]);

  cfg["device"]["name"] = "Garage";
  auto write = client_->Post("/config", {{"X-configSHA256", hash}}, cfg.dump(), "application/json");
  ASSERT_TRUE(write) << daemon_->log();
  EXPECT_EQ(write->status, 200) << write->body;
  EXPECT_EQ(device()["name"], "Garage");
  EXPECT_NE(write->get_header_value("X-configSHA256"), hash);

  // A second writer with the old hash is refused.
  cfg["device"]["name"] = "Shed";
  auto stale = client_->Post("/config", {{"X-configSHA256", hash}}, cfg.dump(), "application/json");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409);
  EXPECT_EQ(device()["name"], "Garage");

  // Saved in the data directory: a restarted daemon comes back with it.
  EXPECT_TRUE(std::filesystem::exists(data_ + "/config.txt"));
  EXPECT_EQ(daemon_->stop(), 0) << daemon_->log();
  start();
  EXPECT_EQ(device()["name"], "Garage") << daemon_->log();
}

TEST_F(DaemonApi, ABadConfigIsRefusedNamingTheKeyAndMeasuringGoesOn) {
  auto read = client_->Get("/config");
  ASSERT_TRUE(read);
  json cfg = json::parse(read->body);
  cfg["inputs"][1]["model"] = "no-such-ct";
  auto write = client_->Post("/config", cfg.dump(), "application/json");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 400);
  EXPECT_NE(write->body.find("inputs[1].model"), std::string::npos) << write->body;
  auto garbage = client_->Post("/config", "{not json", "application/json");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  EXPECT_EQ(client_->Get("/config")->body, read->body);
  EXPECT_FALSE(std::filesystem::exists(data_ + "/config.txt"));
  auto status = client_->Get("/status?inputs");
  ASSERT_TRUE(status && status->status == 200);
  EXPECT_EQ(json::parse(status->body)["inputs"].size(),
            cfg["inputs"].size() - std::count(cfg["inputs"].begin(), cfg["inputs"].end(), json(nullptr)));
}

TEST_F(DaemonApi, CommandsMessageLogAndFiles) {
  // Restart changes state: POST only (with JSON or X-Requested-With, as every write).
  auto get_restart = client_->Get("/command?restart");
  ASSERT_TRUE(get_restart);
  EXPECT_EQ(get_restart->status, 405);
  EXPECT_EQ(get_restart->get_header_value("Allow"), "POST");
  EXPECT_NE(get_restart->body.find("POST /command?restart"), std::string::npos) << get_restart->body;
  auto restart = client_->Post("/command?restart", {{"X-Requested-With", "test"}}, "", "text/plain");
  ASSERT_TRUE(restart);
  EXPECT_EQ(restart->status, 200);
  EXPECT_EQ(restart->body, "ok");
  EXPECT_EQ(client_->Get("/command?nonsense")->status, 400);
  auto sample = client_->Get("/command?sample=1&format=json");
  ASSERT_TRUE(sample);
  ASSERT_EQ(sample->status, 200) << sample->body;
  const json wave = json::parse(sample->body);
  EXPECT_NEAR(wave["hz"].get<double>(), 50, 0.5);
  EXPECT_GT(wave["samples"].get<int>(), 100);
  EXPECT_EQ(wave["amps"].size(), wave["volts"].size());
  EXPECT_EQ(client_->Get("/command?sample=99")->status, 400);
  auto log = client_->Get("/iotawatt/iotamsgs.txt?textpos=-10000");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->status, 200);
  EXPECT_NE(log->body.find("Restart command received."), std::string::npos) << log->body;
  auto list = client_->Get("/list?dir=/");
  ASSERT_TRUE(list);
  EXPECT_NE(list->body.find(R"("name":"iotawatt")"), std::string::npos) << list->body;
  auto index = client_->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html");
  auto missing = client_->Get("/nope.html");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(client_->Get("/%2e%2e/%2e%2e/etc/passwd")->status / 100, 4);
}

}  // namespace
}  // namespace iw
