// The daemon's datalogs end to end: records every 5 s, counters that continue across a clean
// restart and across kill -9, and `iotawatt log check` reporting no damage afterwards.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "app/daemon_process.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;

json Datalogs(int port) {
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/status?datalogs");
  return res && res->status == 200 ? json::parse(res->body)["datalogs"] : json();
}

// Runs the daemon on `data` until its current log has `records` more records than before.
int64_t RunUntil(const std::string& data, int records, int sig, const std::string& log_name) {
  const int port = testing::free_port();
  DaemonProcess daemon({"run", "--http", "127.0.0.1:" + std::to_string(port), "--data", data, "--speed", "10"},
                       data + "-" + log_name);
  int64_t first = -1, last = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const json logs = Datalogs(port);
    if (logs.is_array() && !logs.empty() && logs[0]["lastkey"].get<int64_t>() > 0) {
      last = logs[0]["lastkey"].get<int64_t>();
      if (first < 0) first = last;
      if ((last - first) / 5 >= records) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const int rc = daemon.stop(sig);
  if (sig == SIGTERM) {
    EXPECT_EQ(rc, 0) << daemon.log();
  }
  return last;
}

double TotalWh(const datalog::Record& r) {
  double wh = 0;
  for (const auto& c : r.channels) wh += c.wh_import.value() + c.wh_export.value();
  return wh;
}

void ExpectMonotonicCounters(const std::string& data) {
  auto log = datalog::Log::OpenReadOnly(datalog::current_log_dir(data));
  ASSERT_TRUE(log.ok()) << log.error();
  int64_t previous_time = 0;
  double previous_wh = -1;
  int64_t previous_monitored = -1;
  int records = 0;
  ASSERT_TRUE(log.value()
                  ->scan(0, INT64_MAX,
                         [&](const datalog::Record& r) {
                           EXPECT_GT(r.time, previous_time);
                           EXPECT_GE(TotalWh(r), previous_wh) << "counters went backwards at " << r.time;
                           EXPECT_GE(r.monitored_us, previous_monitored) << r.time;
                           previous_time = r.time;
                           previous_wh = TotalWh(r);
                           previous_monitored = r.monitored_us;
                           ++records;
                           return true;
                         })
                  .ok());
  EXPECT_GT(records, 4);
}

TEST(DaemonDatalog, CountersContinueAcrossRestartAndKill) {
  const std::string data = testing::temp_path("restart");
  RunUntil(data, 3, SIGTERM, "run1.log");
  RunUntil(data, 3, SIGKILL, "run2.log");  // no clean shutdown
  RunUntil(data, 3, SIGTERM, "run3.log");
  ExpectMonotonicCounters(data);

  DaemonProcess check({"log", "check", "--data", data}, data + "-check.log");
  EXPECT_EQ(check.wait(std::chrono::seconds(30)), 0) << check.log();
  EXPECT_NE(check.log().find("damaged records: 0"), std::string::npos) << check.log();
  DaemonProcess info({"log", "info", "--data", data}, data + "-info.log");
  EXPECT_EQ(info.wait(std::chrono::seconds(30)), 0) << info.log();
  EXPECT_NE(info.log().find("records from"), std::string::npos) << info.log();
}

TEST(DaemonDatalog, LogCheckExitsNonZeroOnDamage) {
  const std::string data = testing::temp_path("damage");
  RunUntil(data, 3, SIGTERM, "run.log");
  // Flip a byte inside the last record of the current log's segment.
  std::filesystem::path segment;
  for (const auto& e : std::filesystem::directory_iterator(datalog::current_log_dir(data))) {
    if (e.path().extension() == ".iwl") segment = e.path();
  }
  ASSERT_FALSE(segment.empty());
  {
    std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(-20, std::ios::end);
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(-20, std::ios::end);
    f.write(&c, 1);
  }
  DaemonProcess check({"log", "check", "--data", data}, data + "-check.log");
  EXPECT_EQ(check.wait(std::chrono::seconds(30)), 1) << check.log();
  DaemonProcess repair({"log", "repair", "--data", data}, data + "-repair.log");
  EXPECT_EQ(repair.wait(std::chrono::seconds(30)), 0) << repair.log();
  DaemonProcess again({"log", "check", "--data", data}, data + "-again.log");
  EXPECT_EQ(again.wait(std::chrono::seconds(30)), 0) << again.log();
}

TEST(DaemonDatalog, LogToolsSayWhenTheDirectoryIsNotADataDirectory) {
  DaemonProcess check({"log", "check", "--data", testing::temp_path("nothing")},
                      testing::temp_path("nothing") + ".log");
  EXPECT_EQ(check.wait(std::chrono::seconds(30)), 2);
  EXPECT_NE(check.log().find("no datalogs in"), std::string::npos) << check.log();
}

TEST(DaemonDatalog, KeepsMeasuringWhenTheDiskIsFullAndResumesLogging) {
  const std::string data = testing::temp_path("full");
  const int port = testing::free_port();
  DaemonProcess daemon({"run", "--http", "127.0.0.1:" + std::to_string(port), "--data", data, "--speed", "10"},
                       data + "-run.log");
  auto last_key = [&]() -> int64_t {
    const json logs = Datalogs(port);
    return logs.is_array() && !logs.empty() ? logs[0]["lastkey"].get<int64_t>() : 0;
  };
  auto wait_for = [&](const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && !done()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
  };
  int64_t started = 0;
  ASSERT_TRUE(wait_for([&] { return (started = started ? started : last_key()) > 0; })) << daemon.log();
  ASSERT_TRUE(wait_for([&] { return last_key() >= started + 15; })) << daemon.log();

  // "Disk full": no file of the daemon may grow any more (its console output, redirected to a
  // file here, included).
  rlimit full{0, RLIM_INFINITY};
  ASSERT_EQ(prlimit(daemon.pid(), RLIMIT_FSIZE, &full, nullptr), 0);
  ASSERT_TRUE(wait_for([&] {
    const json logs = Datalogs(port);
    return logs.is_array() && logs[0].contains("error");
  })) << daemon.log();
  const int64_t stuck = last_key();
  // Still measuring and serving.
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/status?inputs");
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_TRUE(json::parse(res->body)["inputs"][0].contains("Vrms"));

  // Space returns: logging resumes by itself.
  rlimit room{RLIM_INFINITY, RLIM_INFINITY};
  ASSERT_EQ(prlimit(daemon.pid(), RLIMIT_FSIZE, &room, nullptr), 0);
  ASSERT_TRUE(wait_for([&] { return last_key() >= stuck + 30; })) << daemon.log();
  EXPECT_FALSE(Datalogs(port)[0].contains("error"));
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("writes again"), std::string::npos) << daemon.log();
  ExpectMonotonicCounters(data);
}

TEST(Seed, WritesDaysOfRecordsThatTheDaemonContinues) {
  const std::string data = testing::temp_path("seed");
  DaemonProcess seed({"seed", "--scenario", "household-230v-50hz", "--days", "2", "--data", data}, data + "-seed.log");
  ASSERT_EQ(seed.wait(std::chrono::seconds(120)), 0) << seed.log();
  {
    auto log = datalog::Log::OpenReadOnly(datalog::current_log_dir(data));
    ASSERT_TRUE(log.ok()) << log.error();
    const auto info = log.value()->info();
    ASSERT_TRUE(info.first_time && info.last_time);
    EXPECT_EQ((*info.last_time - *info.first_time) / 5 + 1, 2 * 17280);
  }
  DaemonProcess again({"seed", "--days", "1", "--data", data}, data + "-again.log");
  EXPECT_EQ(again.wait(std::chrono::seconds(60)), 2);
  EXPECT_NE(again.log().find("already has records"), std::string::npos) << again.log();

  RunUntil(data, 3, SIGTERM, "run.log");
  ExpectMonotonicCounters(data);
}

}  // namespace
}  // namespace iw
