// End to end: the iotawatt binary on the simulator, queried over HTTP like a client would.
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

// Polls /status until every input has a value, or gives up after `seconds`.
json WaitForStatus(int port, double seconds) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
  json last;
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = client.Get("/status?inputs&stats&device&wifi");
    if (res && res->status == 200) {
      last = json::parse(res->body);
      if (last["stats"]["chanrate"].get<double>() > 0) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return last;
}

TEST(Daemon, ServesPlausibleLiveValuesForEveryChannelAndStopsOnSigterm) {
  const int port = testing::free_port();
  DaemonProcess daemon({"run", "--http", "127.0.0.1:" + std::to_string(port), "--sim", "household-230v-50hz", "--speed",
                        "4", "--data", testing::temp_path("data")},
                       testing::temp_path("daemon.log"));
  const json status = WaitForStatus(port, 30);
  ASSERT_TRUE(status.contains("inputs")) << daemon.log();
  const json& inputs = status["inputs"];
  ASSERT_EQ(inputs.size(), 15u) << status.dump();
  EXPECT_EQ(inputs[0]["channel"], 0);
  EXPECT_NEAR(inputs[0]["Vrms"].get<double>(), 230, 15);
  EXPECT_NEAR(inputs[0]["Hz"].get<double>(), 50, 0.5);
  int busy = 0;
  for (size_t i = 1; i < inputs.size(); ++i) {
    ASSERT_TRUE(inputs[i]["Watts"].is_string()) << inputs[i].dump();
    const double watts = std::stod(inputs[i]["Watts"].get<std::string>());
    EXPECT_LT(std::abs(watts), 25000) << inputs[i].dump();
    EXPECT_LE(std::abs(inputs[i]["Pf"].get<double>()), 1.0001) << inputs[i].dump();
    busy += std::abs(watts) > 2 ? 1 : 0;
  }
  EXPECT_GE(busy, 5) << status.dump();  // most household circuits draw something
  EXPECT_EQ(status["wifi"]["mac"].get<std::string>().size(), 17u);
  EXPECT_GT(status["stats"]["chanrate"].get<double>(), 100);  // 15 channels x 50 cycles/s
  EXPECT_EQ(status["stats"]["sampling"]["mode"], "continuous");
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("stopped cleanly"), std::string::npos) << daemon.log();
}

TEST(Daemon, RoundRobinModeMeasuresEveryChannelToo) {
  const int port = testing::free_port();
  DaemonProcess daemon({"run", "--http", "127.0.0.1:" + std::to_string(port), "--mode", "roundrobin", "--speed", "4",
                        "--data", testing::temp_path("rr-data")},
                       testing::temp_path("rr.log"));
  const json status = WaitForStatus(port, 30);
  ASSERT_TRUE(status.contains("inputs")) << daemon.log();
  EXPECT_EQ(status["stats"]["sampling"]["mode"], "roundrobin");
  EXPECT_NEAR(status["inputs"][0]["Vrms"].get<double>(), 230, 15);
  EXPECT_EQ(daemon.stop(SIGINT), 0) << daemon.log();
}

TEST(Daemon, RefusesABadConfigNamingTheKey) {
  const std::string path = testing::temp_path("bad-config.txt");
  std::ofstream(path) << R"({"device":{"name":"Bad","channels":2},
    "inputs":[{"channel":0,"name":"Volts","type":"VT","model":"generic","cal":20},
              {"channel":1,"name":"Load","type":"XT","model":"generic","cal":100}]})";
  DaemonProcess daemon({"run", "--config", path, "--data", testing::temp_path("bad-data"), "--http",
                        "127.0.0.1:" + std::to_string(testing::free_port())},
                       testing::temp_path("bad.log"));
  EXPECT_EQ(daemon.wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("inputs[1].type"), std::string::npos) << daemon.log();
}

TEST(Daemon, RefusesAnUnknownScenarioListingTheKnownOnes) {
  DaemonProcess daemon({"run", "--sim", "mars-base", "--data", testing::temp_path("mars-data"), "--http",
                        "127.0.0.1:" + std::to_string(testing::free_port())},
                       testing::temp_path("scenario.log"));
  EXPECT_EQ(daemon.wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(daemon.log().find("household-230v-50hz"), std::string::npos) << daemon.log();
}

TEST(Daemon, ReplaysARecordedSampleFile) {
  const std::string file = testing::temp_path("household.iwr");
  DaemonProcess recorder({"record", "--sim", "household-230v-50hz", "--seconds", "3", "--out", file},
                         testing::temp_path("record.log"));
  ASSERT_EQ(recorder.wait(std::chrono::seconds(60)), 0) << recorder.log();
  const int port = testing::free_port();
  DaemonProcess daemon({"run", "--replay", file, "--sim", "household-230v-50hz", "--speed", "1", "--data",
                        testing::temp_path("replay-data"), "--http", "127.0.0.1:" + std::to_string(port)},
                       testing::temp_path("replay.log"));
  const json status = WaitForStatus(port, 20);
  ASSERT_TRUE(status.contains("inputs")) << daemon.log();
  EXPECT_NEAR(status["inputs"][0]["Vrms"].get<double>(), 230, 15);
  EXPECT_NE(status["stats"]["sampling"]["source"].get<std::string>().find("replay"), std::string::npos)
      << status.dump();
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
}

}  // namespace
}  // namespace iw
