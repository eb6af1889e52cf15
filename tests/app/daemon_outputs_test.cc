// End to end: outputs and integrators in the daemon over seeded history with solar export:
// integrator exactness per day, /status outputs, show=series, feeds, the script preview, a bad
// script refused by POST /config, and the offline query of outputs.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/daemon_client.h"
#include "app/daemon_process.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;
using testing::iotawatt_command;
using testing::run_command;

// Solar (negative while producing) plus the oven and the kettle: a net that crosses zero many
// times a day, so its import and export cannot be told from it afterwards.
constexpr const char* kCircuits = "@2+@3+@4";

json outputs_and_integrators() {
  return json::parse(std::string(R"({
    "outputs": [
      {"name": "circuits_net", "units": "Wh", "script": ")") +
                     kCircuits + R"("},
      {"name": "circuits_import", "units": "Wh", "expr": "circuits.pos"},
      {"name": "circuits_export", "units": "Wh", "expr": "circuits.neg"},
      {"name": "grid_import", "units": "Wh", "expr": "grid.pos"},
      {"name": "grid_export", "units": "Wh", "expr": "grid.neg"},
      {"name": "house", "units": "Watts", "expr": "Mains - Solar"},
      {"name": "house_kwh", "units": "kWh", "expr": "house"},
      {"name": "Mains_V", "units": "Volts", "script": "@0"}
    ],
    "integrators": [
      {"name": "circuits", "units": "Wh", "script": ")" +
                     kCircuits + R"("},
      {"name": "grid", "units": "Wh", "expr": "-Solar"}
    ]})");
}

class DaemonOutputs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(testing::temp_path("outputs-data"));
    int rc = 0;
    const std::string out = run_command(
        iotawatt_command() + " seed --scenario household-230v-50hz --days 3 --data " + *data_ + " 2>/dev/null", &rc);
    ASSERT_EQ(rc, 0) << out;
    const std::string path = *data_ + "/config.txt";
    json cfg = json::parse(std::ifstream(path));
    cfg.update(outputs_and_integrators());
    std::ofstream(path) << cfg.dump(2);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*data_);
    delete data_;
  }
  void SetUp() override { start(); }
  void start() {
    port_ = testing::free_port();
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", *data_},
        testing::temp_path("outputs.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60);
    if (!testing::wait_until_serving(*client_)) FAIL() << daemon_->log();
  }
  std::string get(const std::string& path, int expect = 200) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return "";
    EXPECT_EQ(res->status, expect) << path << " " << res->body;
    return res->body;
  }
  json status_of(const std::string& sections) { return json::parse(get("/status?" + sections)); }

  static std::string* data_;
  int port_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};
std::string* DaemonOutputs::data_ = nullptr;

// The issue's exactness test: for every day, import + export (<= 0) equals the net energy of
// the same script, for the logged integrator (evaluated per 5 s interval while catching up with
// the seeded log) and for the exact one (the engine's per-cycle import/export split).
TEST_F(DaemonOutputs, IntegratorImportMinusExportEqualsNetEveryDay) {
  const json rows = json::parse(
      get("/query?select=[time.iso,circuits_net,circuits_import,circuits_export,Solar.wh.d4,grid_import,grid_export,"
          "circuits.pos,grid.neg.kwh.d7]&begin=d-2d&end=d&group=d"));
  ASSERT_EQ(rows.size(), 2u) << rows.dump();
  for (const json& row : rows) {
    ASSERT_EQ(row.size(), 9u);
    for (size_t k = 1; k < row.size(); ++k) ASSERT_TRUE(row[k].is_number()) << row.dump();
    const double net = row[1], pos = row[2], neg = row[3];
    EXPECT_GE(pos, 0) << row.dump();
    EXPECT_LE(neg, 0) << row.dump();
    EXPECT_NEAR(pos + neg, net, 0.002) << "logged integrator, " << row.dump();
    EXPECT_GT(pos, 100) << "the oven and the kettle run every day: " << row.dump();
    EXPECT_LT(neg, -100) << "the sun shines every day: " << row.dump();
    // grid = -Solar: production is its import, the inverter's night draw its export.
    const double solar = row[4], grid_pos = row[5], grid_neg = row[6];
    EXPECT_NEAR(grid_pos + grid_neg, -solar, 0.002) << "exact integrator, " << row.dump();
    EXPECT_GT(grid_pos, 100) << row.dump();
    EXPECT_LE(grid_neg, 0);
    // The integrators' own series read the same totals.
    EXPECT_EQ(row[7].get<double>(), pos) << row.dump();
    EXPECT_NEAR(row[8].get<double>() * 1000, grid_neg, 1e-3) << row.dump();
  }
}

TEST_F(DaemonOutputs, OutputsInSeriesStatusFeedsAndDatalogs) {
  const json series = json::parse(get("/query?show=series"))["series"];
  ASSERT_EQ(series.size(), 15u + 8u + 6u) << series.dump();
  EXPECT_EQ(series[15], json::parse(R"({"name":"circuits_net","unit":"Wh"})"));
  EXPECT_EQ(series[20], json::parse(R"({"name":"house","unit":"Watts"})"));
  EXPECT_EQ(series[23], json::parse(R"({"name":"circuits.pos","unit":"Wh"})"));
  EXPECT_EQ(series[28], json::parse(R"({"name":"grid.net","unit":"Wh"})"));

  // Live values: house = Mains - Solar, evaluated on the same live values as the inputs.
  json status;
  for (int i = 0; i < 100; ++i) {
    status = status_of("inputs&outputs&datalogs");
    if (status["outputs"].size() == 8 && status["outputs"][5]["value"].get<double>() != 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(status["outputs"].size(), 8u) << status.dump();
  EXPECT_EQ(status["outputs"][5]["name"], "house");
  EXPECT_EQ(status["outputs"][5]["units"], "Watts");
  EXPECT_GT(status["outputs"][5]["value"].get<double>(), 0) << status.dump();
  EXPECT_NEAR(status["outputs"][7]["value"].get<double>(), 230, 12) << status.dump();
  // Logged integrators are datalogs of their own (the exact one needs none).
  const json logs = status["datalogs"];
  ASSERT_EQ(logs.size(), 3u) << logs.dump();
  EXPECT_EQ(logs[2]["id"], "circuits");
  EXPECT_EQ(logs[2]["interval"], 5);
  EXPECT_EQ(logs[2]["lastkey"], logs[0]["lastkey"]) << "caught up with the current log: " << logs.dump();

  const json feeds = json::parse(get("/feed/list.json"));
  std::vector<std::string> ids;
  for (const json& f : feeds) ids.push_back(f["id"]);
  for (const char* want : {"OOcircuits_net", "OPhouse", "OEhouse", "OOhouse_kwh", "OVMains_V"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), want), ids.end()) << want << " in " << feeds.dump();
  }
  const int64_t end = std::time(nullptr) / 3600 * 3600 - 3600;
  const json data = json::parse(get("/feed/data.json?id=[OPhouse,OVMains_V]&start=" + std::to_string(end - 3600) +
                                    "&end=" + std::to_string(end) + "&interval=600"));
  ASSERT_EQ(data.size(), 7u);
  EXPECT_GT(data[3][0].get<double>(), 0);
  EXPECT_NEAR(data[3][1].get<double>(), 230, 12);
}

TEST_F(DaemonOutputs, PreviewEvaluatesAScriptLive) {
  json answer;
  for (int i = 0; i < 100; ++i) {  // live values need two one-second checkpoints
    auto ok =
        client_->Post("/calc/preview", R"({"expr": "house_kwh * 0 + Voltage", "units": "Volts"})", "application/json");
    ASSERT_TRUE(ok);
    ASSERT_EQ(ok->status, 200) << ok->body;
    answer = json::parse(ok->body);
    if (answer["value"].get<double>() != 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(answer["units"], "Volts");
  EXPECT_NEAR(answer["value"].get<double>(), 230, 12);
  auto bad = client_->Post("/calc/preview", R"({"expr": "house +"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"], "position 8: an operand is missing at the end");
  auto garbage = client_->Post("/calc/preview", "not json", "application/json");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
}

TEST_F(DaemonOutputs, BadScriptIsRefusedWithItsKeyPathAndTheRunningConfigStays) {
  auto read = client_->Get("/config");
  ASSERT_TRUE(read);
  json cfg = json::parse(read->body);
  cfg["outputs"].push_back(json::parse(R"({"name": "broken", "units": "Watts", "expr": "Mains + nosuch"})"));
  cfg["outputs"].push_back(json::parse(R"({"name": "loop1", "units": "Watts", "expr": "loop2"})"));
  cfg["outputs"].push_back(json::parse(R"({"name": "loop2", "units": "Watts", "expr": "loop1"})"));
  httplib::Headers headers = {{"X-configSHA256", read->get_header_value("X-configSHA256")}};
  auto write = client_->Post("/config", headers, cfg.dump(), "application/json");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 400);
  EXPECT_NE(write->body.find("outputs[8].expr: position 9: unknown name \"nosuch\""), std::string::npos) << write->body;
  EXPECT_NE(write->body.find("outputs[10].expr: position 1: output \"loop1\" uses itself"), std::string::npos)
      << write->body;
  EXPECT_EQ(status_of("outputs")["outputs"].size(), 8u) << "the running config stays";
}

// Integrator totals continue across a restart: the log resumes, nothing is counted twice.
TEST_F(DaemonOutputs, IntegratorContinuesAcrossARestartAndOfflineQueryAgrees) {
  auto logs = [&] { return status_of("datalogs")["datalogs"]; };
  int64_t first_last = 0;
  for (int i = 0; i < 100 && first_last == 0; ++i) {
    const json l = logs();
    if (l.size() == 3 && l[2]["lastkey"] == l[0]["lastkey"]) first_last = l[2]["lastkey"];
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(first_last, 0);
  ASSERT_EQ(daemon_->stop(), 0) << daemon_->log();
  start();
  int64_t second_last = 0;
  for (int i = 0; i < 200 && second_last <= first_last + 5; ++i) {
    const json l = logs();
    if (l.size() == 3 && l[2]["lastkey"] == l[0]["lastkey"]) second_last = l[2]["lastkey"];
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(second_last, first_last) << daemon_->log();
  const std::string query =
      "select=[time.iso,circuits_net,circuits_import,circuits_export]&begin=" + std::to_string(first_last - 600) +
      "&end=" + std::to_string(second_last) + "&group=all";
  const json row = json::parse(get("/query?" + query));
  ASSERT_EQ(row.size(), 1u);
  EXPECT_NEAR(row[0][2].get<double>() + row[0][3].get<double>(), row[0][1].get<double>(), 0.002) << row.dump();
  int rc = 0;
  const std::string cli = run_command(iotawatt_command() + " query --data " + *data_ + " '" + query + "'", &rc);
  EXPECT_EQ(rc, 0) << cli;
  EXPECT_EQ(cli, get("/query?" + query) + "\n");
}

}  // namespace
}  // namespace iw
