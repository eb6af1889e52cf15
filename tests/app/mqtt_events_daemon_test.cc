// Step events over MQTT, on the running daemon and a real mosquitto broker on 127.0.0.1: every
// event the event log stores is published once on "<base>/input/<name>/event" with the fields
// GET /events gives it, not retained; each CT with events has a Home Assistant event entity,
// and a CT without them has its entity removed; the events stored while the broker was down
// are published when it comes back. The simulator plays appliance-events-230v-50hz 10x faster
// than the wall clock (tests/app/daemon_events_test.cc), so steps come every few seconds.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/assembly.h"
#include "app/daemon_process.h"
#include "config/config_writer.h"
#include "upload/mqtt_broker.h"

namespace iw {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::DaemonProcess;
using testing::MosquittoBroker;
using testing::MqttRecorder;
using Message = MqttRecorder::Message;
using EventKey = std::pair<double, int>;  // time, channel: one event

const std::string kBase = "iotawatt/Events";  // the scenario's device name
const std::string kConfigs = "homeassistant/event/iotawatt_Events/";
// Spare_8 draws nothing; its events are turned off (step_watts 0) in the test's config.
constexpr int kNoEventsChannel = 8;

bool is_event_topic(const std::string& topic) {
  return topic.rfind(kBase + "/input/", 0) == 0 && topic.ends_with("/event");
}

// The event messages a recorder holds, by event.
std::map<EventKey, std::vector<json>> events_of(const std::vector<Message>& messages) {
  std::map<EventKey, std::vector<json>> out;
  for (const Message& m : messages) {
    if (!is_event_topic(m.topic)) continue;
    const json e = json::parse(m.payload);
    out[{e["time"].get<double>(), e["channel"].get<int>()}].push_back(e);
  }
  return out;
}

// The non-empty event entity configs a recorder holds, by object id.
std::map<std::string, json> event_configs(const std::vector<Message>& messages) {
  std::map<std::string, json> out;
  for (const Message& m : messages) {
    if (m.topic.rfind(kConfigs, 0) != 0 || m.payload.empty()) continue;
    out[m.topic.substr(kConfigs.size(), m.topic.size() - kConfigs.size() - std::string("/config").size())] =
        json::parse(m.payload);
  }
  return out;
}

class MqttEvents : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(broker_.start()) << broker_.log(); }

  // The scenario's own config with an "mqtt" section, and Spare_8's events off.
  std::string write_config() {
    auto config = app::scenario_config("appliance-events-230v-50hz");
    EXPECT_TRUE(config.ok()) << config.error();
    json cfg = config::serialize(config.value());
    cfg["mqtt"] = {{"host", "127.0.0.1"}, {"port", broker_.port()}, {"live_interval", 5}, {"reconnect_max", 2}};
    cfg["inputs"][kNoEventsChannel]["step_watts"] = 0;
    const std::string path = testing::temp_path("mqtt-events.json");
    std::ofstream(path) << cfg.dump(2);
    return path;
  }
  void start_daemon() {
    http_port_ = testing::free_port();
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--config", write_config(), "--data", testing::temp_path("mqtt-events-data"),
                                 "--http", "127.0.0.1:" + std::to_string(http_port_), "--sim",
                                 "appliance-events-230v-50hz", "--speed", "10"},
        testing::temp_path("mqtt-events.log"));
  }
  // Every event /events holds, by event (the daemon's clock runs ahead of the wall clock: the
  // range is given in UNIX seconds, 2001 to 2100).
  std::map<EventKey, json> stored() {
    httplib::Client client("127.0.0.1", http_port_);
    std::map<EventKey, json> out;
    for (int i = 0; i < 100; ++i) {
      auto res = client.Get("/events?begin=1000000000&end=4102444800&limit=10000");
      if (res && res->status == 200) {
        const json answer = json::parse(res->body);  // alive through the loop (a temporary would not be)
        for (const json& e : answer["events"]) out[{e["time"].get<double>(), e["channel"].get<int>()}] = e;
        return out;
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "GET /events never answered\n" << daemon_->log();
    return out;
  }
  // Waits up to `timeout` until /events holds `n` events not in `known`; returns those it holds.
  std::set<EventKey> new_events(const std::map<EventKey, json>& known, size_t n, std::chrono::seconds timeout) {
    std::set<EventKey> found;
    for (auto deadline = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < deadline;) {
      found.clear();
      for (const auto& [key, e] : stored()) {
        if (!known.contains(key)) found.insert(key);
      }
      if (found.size() >= n) break;
      std::this_thread::sleep_for(250ms);
    }
    return found;
  }

  MosquittoBroker broker_;
  int http_port_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(MqttEvents, EachStoredEventIsPublishedOnceWithTheFieldsOfGetEvents) {
  MqttRecorder rec(broker_.port(), {kBase + "/input/+/event"});
  start_daemon();
  ASSERT_TRUE(rec.wait_until([](const std::vector<Message>& all) { return events_of(all).size() >= 3; }, 60s))
      << daemon_->log();
  const std::map<EventKey, std::vector<json>> published = events_of(rec.messages());
  const std::map<EventKey, json> kept = stored();
  for (const Message& m : rec.messages()) {
    const json e = json::parse(m.payload);
    EXPECT_EQ(m.topic, kBase + "/input/" + e["name"].get<std::string>() + "/event") << m.payload;
    EXPECT_FALSE(m.retained) << m.topic;
  }
  for (const auto& [key, messages] : published) {
    EXPECT_EQ(messages.size(), 1u) << messages.front();  // once
    json e = messages.front();
    ASSERT_TRUE(kept.contains(key)) << "published but not stored: " << e;  // the log is the source
    EXPECT_EQ(e["event_type"], e["kind"]) << e;
    EXPECT_TRUE(e["event_type"] == "on" || e["event_type"] == "off" || e["event_type"] == "change") << e;
    e.erase("event_type");
    EXPECT_EQ(e, kept.at(key));  // field for field what /events gives
  }

  // Nothing is retained: a subscriber that comes now gets no old event from the broker.
  MqttRecorder late(broker_.port(), {kBase + "/input/+/event"});
  EXPECT_FALSE(late.wait_until(
      [](const std::vector<Message>& all) {
        return std::any_of(all.begin(), all.end(), [](const Message& m) { return m.retained; });
      },
      2s));
}

TEST_F(MqttEvents, EachCtWithEventsHasAHomeAssistantEventEntityAndOneWithoutHasItsEntityRemoved) {
  // An entity left from an earlier configuration in which Spare_8 had events.
  const std::string stale = kConfigs + "input" + std::to_string(kNoEventsChannel) + "_event/config";
  ASSERT_TRUE(testing::run_command("mosquitto_pub -h 127.0.0.1 -p " + std::to_string(broker_.port()) + " -r -t " +
                                   stale + " -m '{\"name\":\"Spare_8 event\"}'"));
  MqttRecorder rec(broker_.port(), {"homeassistant/#"});
  ASSERT_FALSE(rec.wait_for_topic(stale, 5s).topic.empty());
  start_daemon();
  const Message removed = rec.wait_for([&](const Message& m) { return m.topic == stale && m.payload.empty(); }, 30s);
  EXPECT_EQ(removed.topic, stale) << daemon_->log();

  // Channels 1-10 are CTs, all with events but Spare_8; channel 0 is the VT.
  ASSERT_TRUE(rec.wait_until([](const std::vector<Message>& all) { return event_configs(all).size() >= 9; }, 10s));
  // A subscriber that comes later (Home Assistant starting) gets them from the broker.
  MqttRecorder late(broker_.port(), {"homeassistant/#"});
  late.wait_until([](const std::vector<Message>& all) { return event_configs(all).size() >= 9; }, 10s);
  const std::map<std::string, json> configs = event_configs(late.messages());
  for (const Message& m : late.messages()) {
    if (m.topic.rfind(kConfigs, 0) == 0) {
      EXPECT_TRUE(m.retained) << m.topic;
    }
  }
  const std::string kettle = "input1_event";
  EXPECT_EQ(configs.size(), 9u);
  EXPECT_FALSE(configs.contains("input0_event"));
  EXPECT_FALSE(configs.contains("input8_event"));
  ASSERT_TRUE(configs.contains(kettle));
  const json& c = configs.at(kettle);
  EXPECT_EQ(c["name"], "Kettle event");
  EXPECT_EQ(c["unique_id"], "iotawatt_Events_input1_event");
  EXPECT_EQ(c["state_topic"], kBase + "/input/Kettle/event");
  EXPECT_EQ(c["event_types"], json::parse(R"(["on","off","change"])"));
  EXPECT_EQ(c["availability_topic"], kBase + "/status");
  EXPECT_FALSE(c.contains("value_template"));  // the payload's own "event_type" is read
  // The same device as the circuit's sensors.
  const Message power = late.wait_for_topic("homeassistant/sensor/iotawatt_Events/input1_power/config", 5s);
  ASSERT_FALSE(power.topic.empty());
  EXPECT_EQ(c["device"], json::parse(power.payload)["device"]);
}

TEST_F(MqttEvents, EventsStoredWhileTheBrokerWasDownArePublishedWhenItIsBack) {
  start_daemon();
  {
    MqttRecorder rec(broker_.port(), {kBase + "/input/+/event"});
    ASSERT_FALSE(rec.wait_for([](const Message& m) { return is_event_topic(m.topic); }, 60s).topic.empty())
        << daemon_->log();
  }
  // The daemon may come back before a subscriber does: it then publishes to no one. Its
  // "online" tells which came first (retained: before the subscriber), and the outage is
  // repeated, rarely more than once.
  for (int attempt = 0; attempt < 3; ++attempt) {
    broker_.stop();
    const std::map<EventKey, json> before = stored();
    const std::set<EventKey> meanwhile = new_events(before, 2, 60s);
    ASSERT_GE(meanwhile.size(), 2u) << daemon_->log();
    ASSERT_TRUE(broker_.start()) << broker_.log();
    MqttRecorder rec(broker_.port(), {kBase + "/#"});
    const Message online = rec.wait_for([](const Message& m) { return m.topic == kBase + "/status"; }, 20s);
    ASSERT_EQ(online.payload, "online") << daemon_->log();
    if (online.retained) continue;
    ASSERT_TRUE(rec.wait_until(
        [&](const std::vector<Message>& all) {
          const auto got = events_of(all);
          return std::all_of(meanwhile.begin(), meanwhile.end(), [&](const EventKey& k) { return got.contains(k); });
        },
        20s))
        << daemon_->log();
    const auto got = events_of(rec.messages());
    const std::map<EventKey, json> kept = stored();
    for (const EventKey& key : meanwhile) {
      ASSERT_EQ(got.at(key).size(), 1u) << got.at(key).front();  // once, though sent after a reconnect
      json e = got.at(key).front();
      e.erase("event_type");
      EXPECT_EQ(e, kept.at(key));
    }
    EXPECT_NE(daemon_->log().find("mqtt: lost the connection to 127.0.0.1"), std::string::npos);
    return;
  }
  FAIL() << "the daemon reconnected before the subscriber three times";
}

// An input name with a character that is not allowed in a topic level ('/', '+', '#') never
// reaches a topic: the config that holds it is refused, naming the key, as for live values.
TEST_F(MqttEvents, AnInputNameThatCannotBeATopicLevelIsRefused) {
  MqttRecorder rec(broker_.port(), {kBase + "/#"});
  start_daemon();
  httplib::Client client("127.0.0.1", http_port_);
  auto read = client.Get("/config");
  for (int i = 0; i < 200 && !read; ++i) {
    std::this_thread::sleep_for(50ms);
    read = client.Get("/config");
  }
  ASSERT_TRUE(read && read->status == 200) << daemon_->log();
  json cfg = json::parse(read->body);
  for (const char* bad : {"Kettle/1", "Kettle+", "Kettle#"}) {
    cfg["inputs"][1]["name"] = bad;
    auto write = client.Post("/config", {{"X-configSHA256", read->get_header_value("X-configSHA256")}}, cfg.dump(),
                             "application/json");
    ASSERT_TRUE(write);
    EXPECT_NE(write->status, 200) << bad;
    EXPECT_NE(write->body.find("inputs[1].name"), std::string::npos) << write->body;
  }
  // The daemon goes on publishing under the names it has.
  ASSERT_FALSE(rec.wait_for([](const Message& m) { return is_event_topic(m.topic); }, 60s).topic.empty());
  for (const Message& m : rec.messages()) {
    for (const char* bad : {"Kettle/1", "Kettle+", "Kettle#"})
      EXPECT_EQ(m.topic.find(bad), std::string::npos) << m.topic;
  }
  EXPECT_EQ(json::parse(client.Get("/config")->body)["inputs"][1]["name"], "Kettle");
}

}  // namespace
}  // namespace iw
