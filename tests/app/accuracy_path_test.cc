// The accuracy suite measures the way the daemon measures: a point recorded by the suite and
// replayed through `iotawatt run --replay` with the config the suite used gives, per channel
// and per 5 s datalog interval, the energy the suite counted.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "app/daemon_process.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;

json read_json_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

// The suite's JSON for one recorded run of `point` (12-bit ADC, continuous, seed 1).
json record_point(const std::string& point, const std::string& sensors, const std::string& calibration,
                  const std::string& dir) {
  const std::string out = testing::temp_path("accuracy.json");
  DaemonProcess suite({"accuracy", "--point", point, "--adc", "12bit", "--mode", "continuous", "--sensors", sensors,
                       "--calibration", calibration, "--seeds", "1", "--seconds", "21", "--record", dir, "--json"},
                      out);
  const int exit_code = suite.wait(std::chrono::seconds(120));  // 1: a point missed its target
  EXPECT_TRUE(exit_code == 0 || exit_code == 1) << suite.log();
  return read_json_file(out);
}

// Rows of `select` per 5 s group over [begin, end), once the datalog holds every one of them.
json query_when_logged(int port, const std::string& select, int64_t begin, int64_t end) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  const std::string target =
      "/query?select=[" + select + "]&begin=" + std::to_string(begin) + "&end=" + std::to_string(end) + "&group=5s";
  json rows;
  for (int attempt = 0; attempt < 600; ++attempt) {
    auto res = client.Get(target);
    if (res && res->status == 200) {
      rows = json::parse(res->body, nullptr, false);
      bool complete = rows.is_array() && static_cast<int64_t>(rows.size()) == (end - begin) / 5;
      for (const json& row : rows) {
        for (const json& v : row) complete = complete && v.is_number();
      }
      if (complete) return rows;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return rows;
}

void expect_replay_matches_suite(const std::string& point, const std::string& sensors = "catalog",
                                 const std::string& calibration = "none") {
  const std::string dir = testing::temp_path("recorded");
  const json suite = record_point(point, sensors, calibration, dir);
  ASSERT_TRUE(suite.contains("points")) << suite.dump();
  const json& seed = suite["points"][0]["seeds"][0];
  const int64_t begin = seed["begin"], end = seed["end"];
  ASSERT_EQ(begin % 5, 0);
  ASSERT_GE(end - begin, 15);

  const json config = read_json_file(dir + "/config.txt");
  std::string select;
  std::vector<int> inputs;
  for (const json& ch : seed["channels"]) {
    const int input = ch["input"];
    inputs.push_back(input);
    select += (select.empty() ? "" : ",") + config["inputs"][input]["name"].get<std::string>() + ".wh.d6";
  }
  ASSERT_EQ(inputs.size(), 14u);

  const int port = testing::free_port();
  DaemonProcess daemon({"run", "--replay", dir + "/samples.replay", "--config", dir + "/config.txt", "--speed", "0",
                        "--data", testing::temp_path("replay-data"), "--http", "127.0.0.1:" + std::to_string(port)},
                       testing::temp_path("replay.log"));
  const json rows = query_when_logged(port, select, begin, end);
  ASSERT_EQ(static_cast<int64_t>(rows.size()), (end - begin) / 5) << rows.dump() << daemon.log();
  EXPECT_EQ(daemon.log().find("unknown key"), std::string::npos) << daemon.log();
  for (size_t k = 0; k < inputs.size(); ++k) {
    double replayed = 0;
    for (const json& row : rows) replayed += row[k].get<double>();
    const double suite_wh = seed["channels"][k]["measured_uwh"].get<double>() * 1e-6;
    ASSERT_GT(suite_wh, 0);
    EXPECT_NEAR(replayed, suite_wh, suite_wh * 1e-9) << point << ", input " << inputs[k];
  }
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
}

TEST(AccuracyPath, ReplayThroughTheDaemonGivesTheSuitesEnergyAtPf05Inductive) {
  expect_replay_matches_suite("I 10% PF0.5i");
}

TEST(AccuracyPath, ReplayThroughTheDaemonGivesTheSuitesEnergyWithHarmonics) {
  expect_replay_matches_suite("V+I harmonics");
}

// The calibrated config carries per-input p50/p60 tables shifted by the kettle's angle, and
// the sensors differ from their catalog entries: the daemon must honour all of it.
TEST(AccuracyPath, ReplayThroughTheDaemonGivesTheSuitesEnergyWithCalibratedSensors) {
  expect_replay_matches_suite("I 100% PF0.5i", "real", "user");
}

}  // namespace
}  // namespace iw
