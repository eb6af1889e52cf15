// GET /events on the running daemon: the step events the engine confirms are kept
// in <data>/events, survive a kill -9, and are answered by time range and channel; a bad
// parameter is a 400 that names it. The simulator plays the scripted appliances of
// appliance-events-230v-50hz 10x faster than the wall clock (its LED lights switch on 30 s
// after the start, the washer's drum from 130 s on every 15 s), so the steps come whatever the
// time of day; the household scenario's switch at the hours of a day's routine.
#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <set>

#include "app/daemon_process.h"

namespace iw {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::DaemonProcess;

class DaemonEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::free_port();
    data_ = testing::temp_path("events-data");
    start("events.log");
  }
  void start(const std::string& log) {
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_, "--sim",
                                 "appliance-events-230v-50hz", "--speed", "10"},
        testing::temp_path(log));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }
  // The answer to GET `target`, once the daemon answers (null when it never did).
  json get(const std::string& target, int* status = nullptr) {
    for (int i = 0; i < 300; ++i) {
      auto res = client_->Get(target);
      if (res) {
        if (status) *status = res->status;
        if (res->status == 200) return json::parse(res->body);
        return json(res->body);
      }
      std::this_thread::sleep_for(50ms);
    }
    return nullptr;
  }
  // Waits until /events holds at least `n` events of the last hour.
  json events_at_least(size_t n) {
    json answer;
    for (int i = 0; i < 240; ++i) {
      answer = get("/events?begin=s-1h");
      if (answer.is_object() && answer["events"].size() >= n) return answer;
      std::this_thread::sleep_for(250ms);
    }
    ADD_FAILURE() << "fewer than " << n << " events in 60 s: " << answer.dump() << "\n" << daemon_->log();
    return answer;
  }

  int port_ = 0;
  std::string data_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DaemonEvents, StepsAreKeptNamedAndInTimeOrder) {
  const json config = get("/config");
  ASSERT_TRUE(config.is_object());
  std::map<int, std::string> names;
  for (const json& in : config["inputs"]) {
    if (in.is_object()) names[in["channel"].get<int>()] = in["name"];
  }
  const json answer = events_at_least(2);
  ASSERT_GE(answer["events"].size(), 2u);
  // Simulated time runs ahead of the wall clock: the answer's own range is the daemon's now.
  const double begin = answer["begin"].get<double>();
  const double end = answer["end"].get<double>();
  double previous = 0;
  for (const json& e : answer["events"]) {
    const int ch = e["channel"];
    EXPECT_EQ(e["name"], names[ch]) << e;
    EXPECT_TRUE(e["kind"] == "on" || e["kind"] == "off" || e["kind"] == "change") << e;
    EXPECT_GE(std::abs(e["delta_watts"].get<double>()), 25.0) << e;
    EXPECT_NEAR(e["delta_watts"].get<double>(), e["watts_after"].get<double>() - e["watts_before"].get<double>(), 0.11)
        << e;
    EXPECT_GE(e["time"].get<double>(), previous) << e;
    EXPECT_GE(e["time"].get<double>(), begin) << e;
    EXPECT_LT(e["time"].get<double>(), end) << e;
    previous = e["time"];
  }
  EXPECT_FALSE(answer["more"].get<bool>());

  const int ch = answer["events"][0]["channel"];
  const json one = get("/events?begin=s-1h&channel=" + names[ch]);
  ASSERT_TRUE(one.is_object());
  ASSERT_FALSE(one["events"].empty());
  for (const json& e : one["events"]) EXPECT_EQ(e["channel"], ch) << e;
  const json by_number = get("/events?begin=s-1h&channel=" + std::to_string(ch) + "&limit=1");
  ASSERT_EQ(by_number["events"].size(), 1u);
  EXPECT_EQ(by_number["events"][0], one["events"][0]);
  EXPECT_EQ(by_number["more"].get<bool>(), one["events"].size() > 1);
}

TEST_F(DaemonEvents, EventsSurviveAKillAndAreServedAfterTheRestart) {
  const json before = events_at_least(1);
  ASSERT_FALSE(before["events"].empty());
  // kill -9 after the answer: every event /events showed was acknowledged (synced) already.
  ASSERT_EQ(daemon_->stop(SIGKILL), -1);
  start("events-restarted.log");
  // The same range in UNIX seconds (to 2100): the killed run's simulated time ran ahead of the
  // wall clock, and the new run's "now" may not have reached its events yet.
  const json after = get("/events?begin=" + std::to_string(before["begin"].get<int64_t>()) + "&end=4102444800");
  ASSERT_TRUE(after.is_object()) << daemon_->log();
  std::set<std::pair<double, int>> kept;
  for (const json& e : after["events"]) kept.insert({e["time"].get<double>(), e["channel"].get<int>()});
  for (const json& e : before["events"]) {
    EXPECT_TRUE(kept.contains({e["time"].get<double>(), e["channel"].get<int>()})) << "lost: " << e;
  }
}

TEST_F(DaemonEvents, ABadParameterIsA400NamingIt) {
  for (const auto& [target, named] :
       std::vector<std::pair<std::string, std::string>>{{"/events?channel=NoSuchInput", "channel=NoSuchInput"},
                                                        {"/events?channel=99", "channel=99"},
                                                        {"/events?limit=0", "limit=0"},
                                                        {"/events?limit=10001", "limit=10001"},
                                                        {"/events?limit=12abc", "limit=12abc"},
                                                        {"/events?begin=yesterday", "begin"},
                                                        {"/events?end=2020-13-01", "end"},
                                                        {"/events?begin=s&end=s-1h", "end is before begin"}}) {
    int status = 0;
    const json body = get(target, &status);
    EXPECT_EQ(status, 400) << target;
    EXPECT_NE(body.get<std::string>().find(named), std::string::npos) << target << ": " << body;
  }
}

}  // namespace
}  // namespace iw
