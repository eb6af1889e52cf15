// End to end: the daemon over a day of seeded history uploading to the test Emoncms server
// (plain and encrypted) and the test PVOutput server (tests/upload/*_server.*) on loopback.
// The invariant: the server holds every interval of the upload range exactly once, with the
// values a local /query of the same intervals gives, across server outages (HTTP 500, and
// connections refused) and a daemon restart; one Emoncms input reads a logged integrator, so its uploaded values are
// those of the integrator's own log (not 0). /status?uploaders shows state, last post, backlog.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/daemon_client.h"
#include "app/daemon_process.h"
#include "calc/units.h"
#include "query/time_zone.h"
#include "upload/emoncms_server.h"
#include "upload/pvoutput_server.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;
using testing::iotawatt_command;

constexpr const char* kWriteKey = "0123456789abcdef0123456789abcdef";
constexpr const char* kReadKey = "fedcba9876543210fedcba9876543210";
constexpr const char* kPvApiKey = "0123456789abcdef0123456789abcdef01234567";
constexpr int64_t kInterval = 10;  // Emoncms postInterval

int64_t unix_now() { return static_cast<int64_t>(std::time(nullptr)); }

// A day of history for the household simulator, with a logged integrator and the outputs the
// uploaders' scripts mirror (so /query can name them).
class DaemonEmoncmsPvoutput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    seeded_ = new std::string(testing::temp_path("emon-pvo-seed"));
    int rc = 0;
    const std::string out = testing::run_command(
        iotawatt_command() + " seed --scenario household-230v-50hz --days 1 --data " + *seeded_ + " 2>&1", &rc);
    ASSERT_EQ(rc, 0) << out;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*seeded_);
    delete seeded_;
  }

  void SetUp() override {
    data_ = testing::temp_path("emon-pvo-data");
    std::filesystem::copy(*seeded_, data_, std::filesystem::copy_options::recursive);
    config_ = json::parse(std::ifstream(data_ + "/config.txt"));
    config_["timezone"] = "Europe/Berlin";
    config_["integrators"] = json::parse(R"([{"name": "circuits", "units": "Wh", "script": "@2+@3+@4"}])");
    config_["outputs"] = json::parse(R"([{"name": "up_power", "units": "Watts", "script": "@1"},
                                          {"name": "pv_gen", "units": "Watts", "script": "@3"},
                                          {"name": "pv_use", "units": "Watts", "script": "@4"}])");
  }
  void TearDown() override {
    daemon_.reset();
    std::filesystem::remove_all(data_);
  }

  void start_daemon() {
    std::ofstream(data_ + "/config.txt") << config_.dump(2);
    port_ = testing::free_port();
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_},
        testing::temp_path("emon-pvo.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60);
    if (!testing::wait_until_serving(*client_)) FAIL() << daemon_->log();
  }
  void stop_daemon() {
    ASSERT_EQ(daemon_->stop(), 0) << daemon_->log();
    daemon_.reset();
  }

  json get_json(const std::string& path) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : httplib::to_string(res.error()));
    return res && res->status == 200 ? json::parse(res->body) : json();
  }
  // The uploader's /status entry once `until` holds (30 s at most).
  json uploader(const std::function<bool(const json&)>& until) {
    json u;
    for (int i = 0; i < 300; ++i) {
      const json j = get_json("/status?uploaders");
      if (j.is_object() && !j["uploaders"].empty()) u = j["uploaders"][0];
      if (!u.is_null() && until(u)) return u;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "uploader status: " << u << "\n" << daemon_->log();
    return u;
  }
  static bool caught_up(const json& u) { return u["state"] == "live" && u["backlog_intervals"] == 0; }

  json emoncms_section(const std::string& url, const std::string& userid, int64_t begdate) const {
    return {{"type", "emoncms"},
            {"revision", 1},
            {"url", url},
            {"node", "iota"},
            {"apikey", kWriteKey},
            {"userid", userid},
            {"postInterval", kInterval},
            {"bulksend", 1},
            {"begdate", begdate},
            {"outputs",
             {{{"name", "1"}, {"units", "Watts"}, {"script", "@1"}},
              {{"name", "2"}, {"units", "Wh"}, {"script", "!circuits"}}}}};
  }

  enum class Disruption { kDaemonRestart, kConnectionRefused };

  // Runs the Emoncms scenario: start-up through HTTP 500s, catch up, then a daemon restart or
  // a server that refuses connections for a while, then live again.
  void emoncms_end_to_end(const std::string& userid, Disruption disruption) {
    upload::testing::EmoncmsTestServer server("17", kWriteKey, kReadKey);
    const int64_t begdate = (unix_now() - 2 * 3600) / kInterval * kInterval;
    config_["emoncms"] = emoncms_section(server.url(), userid, begdate);
    server.fail_next(upload::testing::EmoncmsFailure::kServerError, 2);  // an outage at start-up
    start_daemon();
    const json first = uploader(caught_up);
    EXPECT_GT(first["lastpost"].get<int64_t>(), begdate) << first;
    EXPECT_EQ(first["last_error"], "") << first;

    if (disruption == Disruption::kDaemonRestart) {
      // The saved position and the server's input/get agree; nothing is sent twice.
      stop_daemon();
      server.fail_next(upload::testing::EmoncmsFailure::kServerError, 1);
      start_daemon();
    } else {
      server.go_down();
      const json down = uploader([](const json& u) { return u["state"] == "retrying"; });
      EXPECT_NE(down["last_error"].get<std::string>().find("127.0.0.1"), std::string::npos) << down;
      EXPECT_GT(down["backlog_intervals"].get<int64_t>() + down["backlog_s"].get<int64_t>(), 0) << down;
      server.come_back();
    }
    const int64_t before = first["lastpost"].get<int64_t>();
    const json after = uploader([&](const json& u) { return caught_up(u) && u["lastpost"] > before; });
    expect_each_interval_once_and_equal_to_query(server, begdate, after["lastpost"].get<int64_t>());
  }

  void expect_each_interval_once_and_equal_to_query(const upload::testing::EmoncmsTestServer& server, int64_t from,
                                                    int64_t last) {
    std::map<std::string, std::map<int64_t, std::pair<int, double>>> by_input;  // input -> time -> (count, value)
    for (const auto& p : server.points()) {
      if (p.time > last) continue;  // posted after the status the test read
      auto& slot = by_input[p.input][p.time];
      slot.first += 1;
      slot.second = p.value;
    }
    const json rows =
        get_json("/query?select=[time.utc.unix,up_power.watts.d6,circuits.net.wh.d6]&begin=" + std::to_string(from) +
                 "&end=" + std::to_string(last + kInterval) + "&group=" + std::to_string(kInterval) +
                 "s&format=json&limit=none");
    ASSERT_TRUE(rows.is_array());
    const double tolerance[] = {0.5 * std::pow(10, -calc::script_precision(calc::Unit::kWatts)) + 1e-9,
                                0.5 * std::pow(10, -calc::script_precision(calc::Unit::kWh)) + 1e-9};
    size_t compared = 0;
    double integrator_sum = 0;
    for (const json& row : rows) {
      if (row[1].is_null()) continue;  // no monitored time: not uploaded either
      const int64_t t = row[0].get<int64_t>();
      for (int k = 0; k < 2; ++k) {
        const auto& points = by_input[std::to_string(k + 1)];
        const auto it = points.find(t);
        ASSERT_NE(it, points.end()) << "input " << k + 1 << " has no point at " << t;
        EXPECT_EQ(it->second.first, 1) << "input " << k + 1 << " at " << t << " stored more than once";
        EXPECT_NEAR(it->second.second, row[k + 1].get<double>(), tolerance[k]) << "input " << k + 1 << " at " << t;
      }
      integrator_sum += std::abs(row[2].get<double>());
      ++compared;
    }
    // All but the intervals the restart left without monitored time (a few seconds' worth).
    EXPECT_GE(compared + 3, static_cast<size_t>((last - from) / kInterval)) << "intervals the query has values for";
    EXPECT_EQ(by_input["1"].size(), compared) << "the server holds intervals the query has no value for";
    EXPECT_GT(integrator_sum, 0.1) << "the logged integrator read 0 in the upload and the query";
  }

  static std::string* seeded_;
  std::string data_;
  json config_;
  int port_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};
std::string* DaemonEmoncmsPvoutput::seeded_ = nullptr;

TEST_F(DaemonEmoncmsPvoutput, EmoncmsPlainEveryIntervalOnceAcrossHttp500sAndARestart) {
  emoncms_end_to_end("", Disruption::kDaemonRestart);
}

TEST_F(DaemonEmoncmsPvoutput, EmoncmsEncryptedEveryIntervalOnceAcrossHttp500sAndConnectionsRefused) {
  emoncms_end_to_end("17", Disruption::kConnectionRefused);
}

TEST_F(DaemonEmoncmsPvoutput, EmoncmsTestConnectionAsksInputGet) {
  upload::testing::EmoncmsTestServer server("17", kWriteKey, kReadKey);
  start_daemon();
  auto res = client_->Post("/upload/test", emoncms_section(server.url(), "", 0).dump(), "application/json");
  ASSERT_TRUE(res && res->status == 200);
  const json answer = json::parse(res->body);
  EXPECT_EQ(answer["ok"], true) << answer;
  EXPECT_TRUE(answer["last_point"].is_null()) << answer;  // "Node does not exist"
  EXPECT_EQ(server.requests(), 1);
  json bad = emoncms_section(server.url(), "", 0);
  bad["apikey"] = "short";
  res = client_->Post("/upload/test", bad.dump(), "application/json");
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_NE(res->body.find("emoncms.apikey"), std::string::npos) << res->body;
}

// PVOutput: energy today and average power of generation and consumption (two loads here:
// their scripts are linear, so energy today is the sum of the day's 5-minute energies),
// 5-minute statuses
// in local time, from the start of the log (younger than the look-back limit), in batches
// the server accepts, through an outage and a restart.
TEST_F(DaemonEmoncmsPvoutput, PvoutputEveryStatusWithEnergyTodayAndPowerEqualToQuery) {
  std::shared_ptr<const query::TimeZone> berlin = std::move(query::load_iana_zone("Europe/Berlin")).value();
  upload::testing::PvoutputTestServer server(kPvApiKey, "4242", berlin, 5, false);
  server.set_now(unix_now() + 600);
  config_["pvoutput"] = {{"type", "pvoutput"},
                         {"revision", 1},
                         {"url", server.url()},
                         {"apikey", kPvApiKey},
                         {"systemid", "4242"},
                         {"interval", 300},
                         {"outputs",
                          {{{"name", "generation"}, {"units", "Watts"}, {"script", "@3"}},
                           {{"name", "consumption"}, {"units", "Watts"}, {"script", "@4"}}}}};
  server.fail_next(upload::testing::PvoutputFailure::kServerError, 2);
  start_daemon();
  const json u = uploader(caught_up);
  EXPECT_EQ(u["type"], "pvoutput");
  const int requests = server.requests();
  stop_daemon();
  start_daemon();
  uploader(caught_up);
  // After the restart only getstatus.jsp (and a post if a status interval completed meanwhile).
  EXPECT_LE(server.requests(), requests + 2);

  const auto statuses = server.statuses();
  ASSERT_GT(statuses.size(), 200u);  // a day of 5-minute statuses, less the partial first one
  const auto to_utc = [&](const upload::testing::PvoutputStatus& s) {
    return berlin->to_utc(cctz::civil_second(std::stoi(s.date.substr(0, 4)), std::stoi(s.date.substr(4, 2)),
                                             std::stoi(s.date.substr(6, 2)), std::stoi(s.time.substr(0, 2)),
                                             std::stoi(s.time.substr(3, 2)), 0));
  };
  const int64_t first = to_utc(statuses.begin()->second);
  const int64_t last = to_utc(statuses.rbegin()->second);
  EXPECT_EQ((last - first) / 300 + 1, static_cast<int64_t>(statuses.size())) << "a status is missing";
  // Energy today: the 5-minute energies summed from local midnight (the counters are
  // cumulative, so the sum is the energy between the two records).
  const int64_t midnight = berlin->to_utc(cctz::civil_second(cctz::civil_day(berlin->to_local(first))));
  const json rows = get_json(
      "/query?select=[time.utc.unix,pv_gen.wh.d6,pv_gen.watts.d6,pv_use.wh.d6,pv_use.watts.d6]"
      "&begin=" +
      std::to_string(midnight) + "&end=" + std::to_string(last + 300) + "&group=5m&format=json&limit=none");
  ASSERT_TRUE(rows.is_array());
  std::map<int64_t, json> by_time;
  for (const json& row : rows) by_time[row[0].get<int64_t>()] = row;
  double gen_today = 0, use_today = 0;
  cctz::civil_day day = cctz::civil_day(berlin->to_local(midnight));
  size_t checked = 0;
  for (int64_t t = midnight; t <= last; t += 300) {
    if (cctz::civil_day(berlin->to_local(t)) != day) {
      day = cctz::civil_day(berlin->to_local(t));
      gen_today = use_today = 0;
    }
    const json& row = by_time[t];
    if (!row.is_array() || row[1].is_null()) continue;
    gen_today += row[1].get<double>();
    use_today += row[3].get<double>();
    if (t < first) continue;
    const cctz::civil_second local = berlin->to_local(t);
    char key[32];
    std::snprintf(key, sizeof key, "%04d%02d%02d %02d:%02d", static_cast<int>(local.year()), local.month(), local.day(),
                  local.hour(), local.minute());
    const auto it = statuses.find(key);
    ASSERT_NE(it, statuses.end()) << key;
    const auto& v = it->second.values;
    ASSERT_GE(v.size(), 4u) << key;
    // A pair is blank only when its energy or power is negative (PVOutput takes no negatives).
    const auto expect_pair = [&](size_t at, double today, double power, const char* what) {
      if (v[at].empty() || v[at + 1].empty()) {
        EXPECT_TRUE(today < 0 || power < 0) << key << " " << what << " blank, query " << today << " " << power;
        return;
      }
      EXPECT_NEAR(std::stod(v[at]), today, 0.5 + 1e-6) << key << " " << what << " today";
      EXPECT_NEAR(std::stod(v[at + 1]), power, 0.5 + 1e-6) << key << " " << what << " power";
    };
    expect_pair(0, gen_today, row[2].get<double>(), "generation");
    expect_pair(2, use_today, row[4].get<double>(), "consumption");
    ++checked;
  }
  EXPECT_EQ(checked, statuses.size());
}

// A PVOutput section with a bad system id shows as invalid naming the key; /upload/test asks
// getstatus.jsp of a good one.
TEST_F(DaemonEmoncmsPvoutput, PvoutputBadConfigNamesTheKeyAndTestConnectionAsksGetstatus) {
  std::shared_ptr<const query::TimeZone> berlin = std::move(query::load_iana_zone("Europe/Berlin")).value();
  upload::testing::PvoutputTestServer server(kPvApiKey, "4242", berlin, 5, false);
  json section = {{"type", "pvoutput"},
                  {"revision", 1},
                  {"url", server.url()},
                  {"apikey", kPvApiKey},
                  {"systemid", "42x"},
                  {"interval", 300},
                  {"outputs", {{{"name", "generation"}, {"units", "Watts"}, {"script", "@3"}}}}};
  config_["pvoutput"] = section;
  start_daemon();
  const json u = uploader([](const json& j) { return j["state"] == "invalid"; });
  EXPECT_NE(u["last_error"].get<std::string>().find("pvoutput.systemid"), std::string::npos) << u;
  EXPECT_EQ(server.requests(), 0);
  section["systemid"] = "4242";
  auto res = client_->Post("/upload/test", section.dump(), "application/json");
  ASSERT_TRUE(res && res->status == 200);
  const json answer = json::parse(res->body);
  EXPECT_EQ(answer["ok"], true) << answer;
  EXPECT_TRUE(answer["last_point"].is_null()) << answer;  // "No status found"
  EXPECT_EQ(server.requests(), 1);
}

}  // namespace
}  // namespace iw
