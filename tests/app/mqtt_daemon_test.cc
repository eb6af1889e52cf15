// The daemon publishing to a real mosquitto broker on 127.0.0.1 (simulator, --speed 4):
// Home Assistant discovery, availability and the last will after kill -9, live values equal
// to /status, energy counters equal to the datalog records, reconnecting after the broker
// restarts, and username/password with TLS.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/daemon_process.h"
#include "app/mqtt_service.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"
#include "upload/mqtt_broker.h"

namespace iw {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::DaemonProcess;
using testing::MosquittoBroker;
using testing::MqttRecorder;
using Message = MqttRecorder::Message;

const std::string kBase = "iotawatt/SimHouse";

// examples/simulator-custom.json (SimHouse: Voltage, Mains and Solar signed, Oven) with `mqtt`
// and `outputs` (none unless given).
std::string write_config(const std::string& path, const json& mqtt, const json& outputs = json::array()) {
  std::ifstream in(std::string(IOTAWATT_SOURCE_DIR) + "/examples/simulator-custom.json");
  json cfg = json::parse(in, nullptr, true, true);
  cfg["mqtt"] = mqtt;
  if (!outputs.empty()) cfg["outputs"] = outputs;
  std::ofstream(path) << cfg.dump(2);
  return path;
}

json mqtt_section(int port) {
  return {{"host", "127.0.0.1"}, {"port", port}, {"live_interval", 1}, {"reconnect_max", 2}};
}

class MqttDaemon : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = testing::temp_path("mqtt-data");
    ASSERT_TRUE(broker_.start()) << broker_.log();
  }
  // --speed 4 (simulated time) unless given: four records per 5 s.
  void start_daemon(const json& mqtt, const std::string& speed = "4", const json& outputs = json::array()) {
    http_port_ = testing::free_port();
    const std::string config = write_config(testing::temp_path("mqtt-config.json"), mqtt, outputs);
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--config", config, "--data", data_, "--http",
                                 "127.0.0.1:" + std::to_string(http_port_), "--speed", speed},
        testing::temp_path("mqtt-daemon.log"));
    httplib::Client client("127.0.0.1", http_port_);
    for (int i = 0; i < 200; ++i) {
      if (auto res = client.Get("/nullreq"); res && res->status == 200) return;
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << daemon_->log();
  }
  json get_json(const std::string& path) {
    httplib::Client client("127.0.0.1", http_port_);
    auto res = client.Get(path);
    return res && res->status == 200 ? json::parse(res->body) : json();
  }
  std::string get_text(const std::string& path) {
    httplib::Client client("127.0.0.1", http_port_);
    auto res = client.Get(path);
    return res ? res->body : "";
  }
  // /status?<section> read before and after fresh live messages of `channels` ("input/Mains").
  struct Bracketed {
    json before;
    std::vector<Message> live;  // in the order of `channels`; an empty topic: none came
    json after;
  };
  // A live message is computed when it is published, not when it arrives: the first one to
  // arrive after `before` may have been computed before it (in flight while /status answered).
  // The second one of each topic was computed a live interval (1 s) later, so it lies between
  // the reads unless the broker took longer than that to deliver it.
  Bracketed bracket(const std::string& section, MqttRecorder& rec, const std::vector<std::string>& channels) {
    Bracketed b;
    b.before = get_json("/status?" + section)[section];
    rec.clear();
    for (const std::string& ch : channels) b.live.push_back(second_message(rec, kBase + "/" + ch + "/live"));
    b.after = get_json("/status?" + section)[section];
    return b;
  }
  static Message second_message(MqttRecorder& rec, const std::string& topic) {
    std::vector<Message> seen;
    rec.wait_until(
        [&](const std::vector<Message>& all) {
          seen.clear();
          for (const Message& m : all) {
            if (m.topic == topic) seen.push_back(m);
          }
          return seen.size() >= 2;
        },
        8s);
    return seen.size() >= 2 ? seen[1] : Message{};
  }
  static bool is(const Message& m, const std::string& topic, const std::string& payload) {
    return m.topic == topic && m.payload == payload;
  }

  MosquittoBroker broker_;
  std::string data_;
  int http_port_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
};

// The non-empty discovery configs a recorder holds, by object id.
std::map<std::string, json> discovery_configs(const std::vector<Message>& messages) {
  std::map<std::string, json> out;
  const std::string prefix = "homeassistant/sensor/iotawatt_SimHouse/";
  for (const Message& m : messages) {
    if (m.topic.rfind(prefix, 0) != 0 || m.payload.empty()) continue;
    const std::string object =
        m.topic.substr(prefix.size(), m.topic.size() - prefix.size() - std::string("/config").size());
    out[object] = json::parse(m.payload);
  }
  return out;
}

// A live power `w` taken between two /status reads `w1` and `w2` lies between them (the
// simulated loads move), within /status's rounding.
void expect_watts_between(double w, double w1, double w2, const std::string& payload) {
  const double tol = 2 + 0.01 * std::max(std::abs(w1), std::abs(w2));
  EXPECT_GE(w, std::min(w1, w2) - tol) << payload << " between " << w1 << " and " << w2;
  EXPECT_LE(w, std::max(w1, w2) + tol) << payload << " between " << w1 << " and " << w2;
}

// Every config of SimHouse: 2 (VT) + 6 + 6 (signed CTs) + 5 (Oven).
bool has_all_configs(const std::vector<Message>& all) { return discovery_configs(all).size() >= 19; }

TEST_F(MqttDaemon, DiscoveryIsRetainedAndTheLastWillSaysOfflineAfterKill9) {
  MqttRecorder rec(broker_.port(), {"homeassistant/#", kBase + "/#"});
  start_daemon(mqtt_section(broker_.port()));
  ASSERT_FALSE(rec.wait_for([](const Message& m) { return is(m, kBase + "/status", "online"); }, 15s).topic.empty())
      << daemon_->log();
  ASSERT_TRUE(rec.wait_until(has_all_configs, 10s));

  // A subscriber that comes later (Home Assistant restarting) gets all of it from the broker.
  MqttRecorder late(broker_.port(), {"homeassistant/#", kBase + "/status"});
  late.wait_until(has_all_configs, 10s);
  const auto configs = discovery_configs(late.messages());
  ASSERT_EQ(configs.size(), 19u);
  for (const Message& m : late.messages()) EXPECT_TRUE(m.retained) << m.topic;
  EXPECT_EQ(late.wait_for_topic(kBase + "/status", 5s).payload, "online");

  const json& power = configs.at("input1_power");
  EXPECT_EQ(power["unique_id"], "iotawatt_SimHouse_input1_power");
  EXPECT_EQ(power["state_topic"], kBase + "/input/Mains/live");
  EXPECT_EQ(power["unit_of_measurement"], "W");
  EXPECT_EQ(power["device_class"], "power");
  EXPECT_EQ(power["availability_topic"], kBase + "/status");
  EXPECT_EQ(power["device"]["name"], "SimHouse");
  EXPECT_EQ(power["device"]["identifiers"][0], "iotawatt_SimHouse");
  const json& energy = configs.at("input2_energy_export");
  EXPECT_EQ(energy["state_class"], "total_increasing");
  EXPECT_EQ(energy["state_topic"], kBase + "/input/Solar/energy");
  EXPECT_EQ(configs.at("input0_voltage")["unit_of_measurement"], "V");
  EXPECT_EQ(configs.count("input3_energy_export"), 0u);  // Oven is not signed

  // Every state topic a config names gets messages.
  for (const auto& [object, c] : configs) {
    const std::string topic = c["state_topic"];
    EXPECT_FALSE(rec.wait_for_topic(topic, 10s).topic.empty()) << object << " " << topic;
  }

  rec.clear();
  daemon_->stop(SIGKILL);
  const Message will = rec.wait_for([](const Message& m) { return m.topic == kBase + "/status"; }, 15s);
  EXPECT_EQ(will.payload, "offline");
}

TEST_F(MqttDaemon, LiveValuesEqualStatusAndEnergyEqualsTheDatalog) {
  MqttRecorder rec(broker_.port(), {kBase + "/#"});
  start_daemon(mqtt_section(broker_.port()));
  ASSERT_FALSE(rec.wait_for_topic(kBase + "/input/Mains/live", 15s).topic.empty()) << daemon_->log();

  // /status before and after a fresh live message: the message lies between the two (the
  // values move with the simulated loads), within /status's rounding.
  int compared = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const Bracketed b = bracket("inputs", rec, {"input/Mains", "input/Voltage"});
    const json &before = b.before, &after = b.after;
    const Message &mains = b.live[0], &volts = b.live[1];
    ASSERT_FALSE(mains.topic.empty());
    ASSERT_FALSE(volts.topic.empty());
    const double w1 = std::stod(before[1]["Watts"].get<std::string>());
    const double w2 = std::stod(after[1]["Watts"].get<std::string>());
    expect_watts_between(json::parse(mains.payload)["watts"], w1, w2, mains.payload);
    const double v = json::parse(volts.payload)["volts"];
    const double v1 = before[0]["Vrms"], v2 = after[0]["Vrms"];
    EXPECT_GE(v, std::min(v1, v2) - 0.5);
    EXPECT_LE(v, std::max(v1, v2) + 0.5);
    EXPECT_GT(v, 200);  // a 230 V panel
    ++compared;
  }
  EXPECT_EQ(compared, 3);

  // Energy: one retained message per record (every 5 simulated s), never going backwards.
  rec.clear();
  rec.wait_until(
      [](const std::vector<Message>& all) {
        int n = 0;
        for (const Message& m : all) n += m.topic == kBase + "/input/Solar/energy";
        return n >= 4;
      },
      20s);
  EXPECT_EQ(daemon_->stop(), 0) << daemon_->log();
  EXPECT_FALSE(rec.wait_for([](const Message& m) { return is(m, kBase + "/status", "offline"); }, 5s).topic.empty());

  auto log = datalog::Log::OpenReadOnly(datalog::current_log_dir(data_));
  ASSERT_TRUE(log.ok()) << log.error();
  const std::map<std::string, int> channels = {{"Mains", 1}, {"Solar", 2}, {"Oven", 3}};
  int checked = 0;
  double moved_wh = 0;  // energy between the first and last message: the counters do count
  for (const auto& [name, channel] : channels) {
    double first_total = -1;
    int64_t last_time = 0;
    double last_import = -1, last_export = -1;
    for (const Message& m : rec.messages()) {
      if (m.topic != kBase + "/input/" + name + "/energy") continue;
      const json e = json::parse(m.payload);
      const int64_t t = e["time"];
      EXPECT_GT(t, last_time) << name;
      EXPECT_GE(e["import_wh"].get<double>(), last_import) << name;
      EXPECT_GE(e["export_wh"].get<double>(), last_export) << name;
      last_time = t;
      last_import = e["import_wh"];
      last_export = e["export_wh"];
      if (first_total < 0) first_total = last_import + last_export;
      moved_wh = std::max(moved_wh, last_import + last_export - first_total);
      auto record = log.value()->read(t);
      ASSERT_TRUE(record.ok() && record.value()) << name << " at " << t;
      const auto& c = record.value()->channels[static_cast<size_t>(channel)];
      EXPECT_NEAR(e["import_wh"].get<double>(), c.wh_import.value(), 1e-6) << name << " at " << t;
      EXPECT_NEAR(e["export_wh"].get<double>(), c.wh_export.value(), 1e-6) << name << " at " << t;
      ++checked;
    }
  }
  EXPECT_GE(checked, 3 * 4);
  EXPECT_GT(moved_wh, 0);
}

// Outputs: their scripts over the same live snapshot as /status?outputs, with one discovery
// config each; `mqtt.outputs` selects which. The publisher is listed among /status uploaders.
TEST_F(MqttDaemon, OutputsArePublishedLiveWithDiscoveryAndTheStatusListsThePublisher) {
  const json outputs = {{{"name", "House"}, {"units", "Watts"}, {"expr", "Mains - Solar"}},
                        {{"name", "Line_V"}, {"units", "Volts"}, {"script", "@0"}},
                        {{"name", "Hidden"}, {"units", "Watts"}, {"script", "@3"}}};
  json mqtt = mqtt_section(broker_.port());
  mqtt["outputs"] = {"House", "Line_V"};
  MqttRecorder rec(broker_.port(), {"homeassistant/#", kBase + "/#"});
  start_daemon(mqtt, "4", outputs);
  ASSERT_FALSE(rec.wait_for_topic(kBase + "/output/House/live", 15s).topic.empty()) << daemon_->log();

  const auto configs = [&] {
    rec.wait_until([](const std::vector<Message>& all) { return discovery_configs(all).size() >= 21; }, 10s);
    return discovery_configs(rec.messages());
  }();
  ASSERT_EQ(configs.count("output_House_power"), 1u);
  EXPECT_EQ(configs.at("output_House_power")["state_topic"], kBase + "/output/House/live");
  EXPECT_EQ(configs.at("output_House_power")["value_template"], "{{ value_json.value }}");
  EXPECT_EQ(configs.at("output_House_power")["unit_of_measurement"], "W");
  EXPECT_EQ(configs.at("output_Line_V_voltage")["unit_of_measurement"], "V");
  EXPECT_EQ(configs.count("output_Hidden_power"), 0u);

  // Each message lies between /status?outputs just before and just after it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const Bracketed b = bracket("outputs", rec, {"output/House", "output/Line_V"});
    const json &before = b.before, &after = b.after;
    const Message &house = b.live[0], &volts = b.live[1];
    ASSERT_FALSE(house.topic.empty() || volts.topic.empty());
    ASSERT_EQ(before[0]["name"], "House");
    expect_watts_between(json::parse(house.payload)["value"], before[0]["value"], after[0]["value"], house.payload);
    const double v = json::parse(volts.payload)["value"];
    EXPECT_GT(v, 200) << volts.payload;
    EXPECT_NEAR(v, before[1]["value"].get<double>(), 1.0);
  }
  EXPECT_TRUE(rec.wait_for_topic(kBase + "/output/Hidden/live", 2s).topic.empty());

  const json status = get_json("/status?uploaders");
  json mqtt_entry;
  for (const json& u : status["uploaders"]) {
    if (u["name"] == "mqtt") mqtt_entry = u;
  }
  ASSERT_TRUE(mqtt_entry.is_object()) << status;
  EXPECT_EQ(mqtt_entry["state"], "live") << mqtt_entry;
  EXPECT_GT(mqtt_entry["lastpost"].get<int64_t>(), 0) << mqtt_entry;  // the newest energy record sent
}

TEST_F(MqttDaemon, EnergyContinuesAcrossAKill9AndRestart) {
  auto energy_after = [&](MqttRecorder& rec, int64_t after) {
    const Message m = rec.wait_for(
        [&](const Message& msg) {
          return msg.topic == kBase + "/input/Mains/energy" && json::parse(msg.payload)["time"].get<int64_t>() > after;
        },
        20s);
    return m.topic.empty() ? json() : json::parse(m.payload);
  };
  json before;
  {
    MqttRecorder rec(broker_.port(), {kBase + "/#"});
    // Real time: a restarted simulator starts at the wall clock, which must not lie before the
    // last record.
    start_daemon(mqtt_section(broker_.port()), "1");
    const json first = energy_after(rec, 0);
    ASSERT_TRUE(first.is_object()) << daemon_->log();
    before = energy_after(rec, first["time"].get<int64_t>());  // a record written by this run
    ASSERT_TRUE(before.is_object());
    daemon_->stop(SIGKILL);
  }
  MqttRecorder rec(broker_.port(), {kBase + "/#"});
  start_daemon(mqtt_section(broker_.port()), "1");
  const json after = energy_after(rec, before["time"].get<int64_t>());
  ASSERT_TRUE(after.is_object()) << daemon_->log();
  EXPECT_GE(after["import_wh"].get<double>(), before["import_wh"].get<double>());
  EXPECT_GE(after["export_wh"].get<double>(), before["export_wh"].get<double>());
  EXPECT_GT(after["import_wh"].get<double>() + after["export_wh"].get<double>(), 0);
}

TEST_F(MqttDaemon, ABrokerRestartLosesNothingThatIsRetained) {
  start_daemon(mqtt_section(broker_.port()));
  {
    MqttRecorder rec(broker_.port(), {"homeassistant/#", kBase + "/#"});
    ASSERT_TRUE(rec.wait_until(has_all_configs, 15s)) << daemon_->log();
  }
  // Killed with persistence off: the new broker starts with no retained messages at all.
  broker_.stop();
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(broker_.start()) << broker_.log();
  MqttRecorder rec(broker_.port(), {"homeassistant/#", kBase + "/#"});
  EXPECT_TRUE(rec.wait_until(has_all_configs, 20s)) << daemon_->log();
  EXPECT_FALSE(rec.wait_for([](const Message& m) { return is(m, kBase + "/status", "online"); }, 5s).topic.empty());
  EXPECT_FALSE(rec.wait_for_topic(kBase + "/input/Mains/energy", 10s).topic.empty());
  EXPECT_FALSE(rec.wait_for_topic(kBase + "/input/Mains/live", 10s).topic.empty());
  const std::string metrics = get_text("/metrics");
  EXPECT_NE(metrics.find("iotawatt_mqtt_sessions_total 2\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("iotawatt_mqtt_connected 1\n"), std::string::npos) << metrics;
  EXPECT_NE(daemon_->log().find("mqtt: lost the connection to 127.0.0.1"), std::string::npos) << daemon_->log();
}

TEST_F(MqttDaemon, HomeAssistantComingOnlineGetsTheDiscoveryAgain) {
  start_daemon(mqtt_section(broker_.port()));
  MqttRecorder rec(broker_.port(), {"homeassistant/sensor/#"});
  ASSERT_TRUE(rec.wait_until(has_all_configs, 15s));
  rec.clear();
  ASSERT_TRUE(testing::run_command("mosquitto_pub -h 127.0.0.1 -p " + std::to_string(broker_.port()) +
                                   " -t homeassistant/status -m online"));
  // Fresh copies, not the retained ones (those came before clear()).
  EXPECT_TRUE(rec.wait_until(has_all_configs, 10s));
  for (const Message& m : rec.messages()) EXPECT_FALSE(m.retained) << m.topic;
}

TEST_F(MqttDaemon, ABadMqttSectionIsRefusedNamingTheKeyAndMeasuringGoesOn) {
  start_daemon(mqtt_section(broker_.port()));
  httplib::Client client("127.0.0.1", http_port_);
  auto read = client.Get("/config");
  ASSERT_TRUE(read && read->status == 200);
  json cfg = json::parse(read->body);
  cfg["mqtt"]["port"] = 70000;
  auto write = client.Post("/config", {{"X-configSHA256", read->get_header_value("X-configSHA256")}}, cfg.dump(),
                           "application/json");
  ASSERT_TRUE(write);
  EXPECT_NE(write->status, 200);
  EXPECT_NE(write->body.find("mqtt.port: must be 1-65535"), std::string::npos) << write->body;
  EXPECT_TRUE(get_json("/status?inputs")["inputs"].is_array());
}

TEST(MqttStatusEntry, StateFollowsTheConnectionAndAnErrorIsShownOnlyWhileDisconnected) {
  app::MqttStatus s;
  EXPECT_EQ(app::mqtt_uploader_entry(s).state, "starting");
  s.last_error = "cannot connect to 127.0.0.1:1883: Connection refused";
  EXPECT_EQ(app::mqtt_uploader_entry(s).state, "retrying");
  EXPECT_EQ(app::mqtt_uploader_entry(s).last_error, s.last_error);
  s.connected = true;
  s.last_energy = 1796191805;
  const server::UploaderEntry e = app::mqtt_uploader_entry(s);
  EXPECT_EQ(e.state, "live");
  EXPECT_EQ(e.last_error, "");
  EXPECT_EQ(e.last_post, 1796191805);
  EXPECT_EQ(e.backlog_intervals, 0);
}

// Username/password and TLS together, as a broker on the internet would want them.
TEST(MqttDaemonTls, TheRightCaAndPasswordConnectAnotherCaIsRefusedInTheLog) {
  const testing::TestPki pki = testing::make_test_pki(testing::mqtt_temp_dir("daemon-pki"));
  ASSERT_FALSE(pki.ca_cert.empty());
  MosquittoBroker broker({"iota", "pw-123", pki.server_cert, pki.server_key}, "tls-broker");
  ASSERT_TRUE(broker.start()) << broker.log();
  for (const std::string& ca : {pki.ca_cert, pki.other_ca_cert}) {
    json mqtt = mqtt_section(broker.port());
    mqtt["username"] = "iota";
    mqtt["password"] = "pw-123";
    mqtt["tls"] = {{"ca_file", ca}};
    const int port = testing::free_port();
    const std::string data = testing::temp_path("mqtt-tls-data");
    DaemonProcess daemon({"run", "--config", write_config(testing::temp_path("mqtt-tls.json"), mqtt), "--data", data,
                          "--http", "127.0.0.1:" + std::to_string(port)},
                         testing::temp_path("mqtt-tls.log"));
    const std::string expected = ca == pki.ca_cert
                                     ? "mqtt: connected to 127.0.0.1:" + std::to_string(broker.port()) + " (TLS)"
                                     : "certificate verify failed";
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (daemon.log().find(expected) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_NE(daemon.log().find(expected), std::string::npos) << daemon.log();
    httplib::Client client("127.0.0.1", port);
    auto metrics = client.Get("/metrics");
    ASSERT_TRUE(metrics);
    const bool should_connect = ca == pki.ca_cert;
    EXPECT_NE(metrics->body.find(should_connect ? "iotawatt_mqtt_connected 1" : "iotawatt_mqtt_connected 0"),
              std::string::npos);
    // The password is in no answer a user can read.
    EXPECT_EQ(client.Get("/status?inputs&stats&datalogs&device")->body.find("pw-123"), std::string::npos);
    EXPECT_EQ(metrics->body.find("pw-123"), std::string::npos);
    EXPECT_EQ(daemon.stop(), 0) << daemon.log();
  }
}

}  // namespace
}  // namespace iw
