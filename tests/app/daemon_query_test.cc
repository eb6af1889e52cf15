// End to end: /query and /feed on the running daemon over seeded history, and `iotawatt query`
// answering the same bytes offline.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/daemon_process.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;
using testing::iotawatt_command;
using testing::run_command;

class DaemonQuery : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new std::string(testing::temp_path("query-data"));
    int rc = 0;
    const std::string out = run_command(
        iotawatt_command() + " seed --scenario household-230v-50hz --days 2 --data " + *data_ + " 2>/dev/null", &rc);
    ASSERT_EQ(rc, 0) << out;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*data_);
    delete data_;
  }
  void SetUp() override {
    port_ = testing::free_port();
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", *data_},
        testing::temp_path("query.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    for (int i = 0; i < 200; ++i) {
      if (auto res = client_->Get("/nullreq"); res && res->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << daemon_->log();
  }
  std::string get(const std::string& path, int expect = 200) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return "";
    EXPECT_EQ(res->status, expect) << path << " " << res->body;
    return res->body;
  }
  static int64_t now() { return std::time(nullptr); }

  static std::string* data_;
  int port_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};
std::string* DaemonQuery::data_ = nullptr;

TEST_F(DaemonQuery, OfflineQueryPrintsWhatTheApiAnswers) {
  const int64_t end = now() / 3600 * 3600 - 3600;
  const std::string query =
      "select=[time.iso,time.utc.unix,Mains.watts,Voltage.volts,Solar.kwh.d3]&begin=" + std::to_string(end - 86400) +
      "&end=" + std::to_string(end) + "&group=1h&header=yes";
  const std::string http = get("/query?" + query);
  const json parsed = json::parse(http);
  EXPECT_EQ(parsed["data"].size(), 24u);
  EXPECT_EQ(parsed["labels"], json::parse(R"(["Time","Time","Mains","Voltage","Solar"])"));
  int rc = 0;
  const std::string cli = run_command(iotawatt_command() + " query --data " + *data_ + " '" + query + "'", &rc);
  EXPECT_EQ(rc, 0) << cli;
  EXPECT_EQ(cli, http + "\n");
  for (const std::string format : {"csv", "json"}) {
    const std::string q = "select=[time.iso,Mains.wh]&begin=" + std::to_string(end - 7200) +
                          "&end=" + std::to_string(end) + "&group=5m&format=" + format;
    EXPECT_EQ(run_command(iotawatt_command() + " query --data " + *data_ + " '" + q + "'", &rc),
              get("/query?" + q) + "\n");
  }
  const std::string bad =
      run_command(iotawatt_command() + " query --data " + *data_ + " 'select=[Nope]&begin=d&end=s' 2>&1", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(bad, get("/query?select=[Nope]&begin=d&end=s", 400) + "\n");
}

TEST_F(DaemonQuery, SeriesHistoryAndTheLegacyFeedApi) {
  const json series = json::parse(get("/query?show=series"))["series"];
  ASSERT_EQ(series.size(), 15u);
  EXPECT_EQ(series[0], json::parse(R"({"name":"Voltage","unit":"Volts"})"));
  // A day of 5-minute rows of voltage, all present, near 230 V.
  const json rows = json::parse(get("/query?select=[Voltage.volts]&begin=d-1d&end=d&group=5m&limit=none"));
  EXPECT_EQ(rows.size(), 288u);  // the scenario zone (UTC+1) has no DST
  for (const json& row : rows) EXPECT_NEAR(row[0].get<double>(), 230, 12) << row.dump();
  // CSV download of a long range from the history log, as a file.
  auto csv = client_->Get("/query?select=[time.iso,Mains.kwh]&begin=d-2d&end=d&group=d&format=csv&download=yes");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "application/octet-stream");
  // The first graph page's feeds: ids, then one row per step and no timestamps.
  const json feeds = json::parse(get("/feed/list.json"));
  EXPECT_EQ(feeds[0], json::parse(R"({"id":"IVVoltage","tag":"Voltage","name":"Voltage"})"));
  EXPECT_EQ(feeds[1]["id"], "IPMains");
  EXPECT_EQ(feeds[2]["id"], "IEMains");
  const int64_t end = now() / 3600 * 3600 - 3600;
  const json data = json::parse(get("/feed/data.json?id=[IVVoltage,IPMains]&start=" + std::to_string(end - 3600) +
                                    "&end=" + std::to_string(end) + "&interval=600"));
  ASSERT_EQ(data.size(), 7u);
  EXPECT_NEAR(data[3][0].get<double>(), 230, 12);
  EXPECT_EQ(get("/feed/data.json?id=IPMains&start=1&end=2&interval=0", 400), "Invalid request");
}

TEST_F(DaemonQuery, CountersContinueAcrossAConfigurationChange) {
  // Waits until the current log's newest record is at least `t`; returns it (0: timed out).
  auto last_record_at_least = [&](int64_t t) -> int64_t {
    for (int i = 0; i < 600; ++i) {
      const json logs = json::parse(get("/status?datalogs"))["datalogs"];
      const int64_t last = logs[0]["lastkey"].get<int64_t>();
      if (last >= t) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  };
  const int64_t before = last_record_at_least(0);
  auto read = client_->Get("/config");
  ASSERT_TRUE(read);
  json cfg = json::parse(read->body);
  cfg["device"]["name"] = "Renamed";
  auto write = client_->Post("/config", cfg.dump(), "application/json");
  ASSERT_TRUE(write);
  ASSERT_EQ(write->status, 200) << write->body;
  const int64_t after = last_record_at_least(before + 10);
  ASSERT_GT(after, 0) << "no new records after the change\n" << daemon_->log();
  // The change restarts measuring; the log's counters carry on, so the mean over the change is
  // an ordinary household power, not the whole history at once.
  const json row = json::parse(get("/query?select=[Mains.watts,Voltage.volts]&begin=" + std::to_string(before) +
                                   "&end=" + std::to_string(after) + "&group=all"));
  ASSERT_EQ(row.size(), 1u);
  ASSERT_FALSE(row[0][0].is_null()) << row.dump();
  EXPECT_LT(std::abs(row[0][0].get<double>()), 25000) << row.dump();
  EXPECT_NEAR(row[0][1].get<double>(), 230, 12) << row.dump();
}

}  // namespace
}  // namespace iw
