// The "mqtt" config section: defaults, every key, and errors that name the key.
#include <gtest/gtest.h>

#include <fstream>

#include "config/config_parser.h"
#include "config/mqtt_config.h"

namespace iw::config {
namespace {

using nlohmann::json;

json base_config() {
  return json::parse(R"({
    "device": {"name": "Shed", "channels": 3},
    "inputs": [
      {"channel": 0, "name": "Voltage", "type": "VT", "model": "generic", "cal": 19},
      {"channel": 1, "name": "Mains", "type": "CT", "model": "generic", "cal": 100, "signed": true},
      {"channel": 2, "name": "Oven", "type": "CT", "model": "generic", "cal": 100}
    ]})");
}

Result<std::optional<MqttConfig>> parse(const json& mqtt) {
  json doc = base_config();
  doc["mqtt"] = mqtt;
  auto cfg = parse_config(doc, ModelCatalog::builtin());
  if (!cfg) return cfg.status();
  return mqtt_config(cfg.value());
}

std::string error_of(const json& mqtt) {
  auto r = parse(mqtt);
  return r ? std::string("(no error)") : r.error();
}

TEST(MqttConfig, AbsentOrDisabledMeansNoPublisher) {
  auto cfg = parse_config(base_config(), ModelCatalog::builtin());
  ASSERT_TRUE(cfg);
  auto absent = mqtt_config(cfg.value());
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent.value());
  auto disabled = parse({{"enabled", false}, {"host", "x"}});
  ASSERT_TRUE(disabled) << disabled.error();
  EXPECT_FALSE(disabled.value());
}

TEST(MqttConfig, DefaultsFollowTheDeviceName) {
  auto r = parse({{"host", "broker.lan"}});
  ASSERT_TRUE(r) << r.error();
  ASSERT_TRUE(r.value());
  const MqttConfig& m = *r.value();
  EXPECT_EQ(m.host, "broker.lan");
  EXPECT_EQ(m.port, 1883);
  EXPECT_EQ(m.base_topic, "iotawatt/Shed");
  EXPECT_EQ(m.client_id, "iotawatt-Shed");
  EXPECT_EQ(m.node_id, "iotawatt_Shed");
  EXPECT_EQ(m.discovery_prefix, "homeassistant");
  EXPECT_TRUE(m.discovery);
  EXPECT_EQ(m.live_interval_s, 5);
  EXPECT_EQ(m.qos, 1);
  EXPECT_FALSE(m.retain);
  EXPECT_TRUE(m.events);
  EXPECT_FALSE(m.tls.enabled);
  EXPECT_FALSE(m.inputs);
}

TEST(MqttConfig, EveryKeyIsRead) {
  std::ofstream("/tmp/iotawatt-mqtt-config-test-ca.pem") << "x";
  auto r = parse({{"host", "10.0.0.2"},
                  {"username", "iota"},
                  {"password", "s3cret"},
                  {"tls", {{"ca_file", "/tmp/iotawatt-mqtt-config-test-ca.pem"}}},
                  {"client_id", "panel-1"},
                  {"base_topic", "home/energy"},
                  {"node_id", "panel_1"},
                  {"discovery", "false"},
                  {"discovery_prefix", "ha"},
                  {"live_interval", "10"},
                  {"keepalive", 60},
                  {"reconnect_max", 30},
                  {"qos", 0},
                  {"retain", true},
                  {"events", false},
                  {"inputs", {"Mains"}},
                  {"outputs", "all"}});
  ASSERT_TRUE(r) << r.error();
  const MqttConfig& m = *r.value();
  EXPECT_EQ(m.port, 8883);  // TLS default
  EXPECT_TRUE(m.tls.enabled);
  EXPECT_EQ(m.tls.ca_file, "/tmp/iotawatt-mqtt-config-test-ca.pem");
  EXPECT_EQ(m.username, "iota");
  EXPECT_EQ(m.password, "s3cret");
  EXPECT_EQ(m.client_id, "panel-1");
  EXPECT_EQ(m.base_topic, "home/energy");
  EXPECT_EQ(m.node_id, "panel_1");
  EXPECT_FALSE(m.discovery);
  EXPECT_EQ(m.discovery_prefix, "ha");
  EXPECT_EQ(m.live_interval_s, 10);
  EXPECT_EQ(m.keepalive_s, 60);
  EXPECT_EQ(m.reconnect_max_s, 30);
  EXPECT_EQ(m.qos, 0);
  EXPECT_TRUE(m.retain);
  EXPECT_FALSE(m.events);
  ASSERT_TRUE(m.inputs);
  EXPECT_EQ(*m.inputs, std::vector<std::string>{"Mains"});
  EXPECT_FALSE(m.outputs);
}

TEST(MqttConfig, AnExplicitPortWinsOverTheTlsDefault) {
  auto r = parse({{"host", "b"}, {"port", 18883}, {"tls", true}});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r.value()->port, 18883);
  EXPECT_TRUE(r.value()->tls.enabled);
}

TEST(MqttConfig, ErrorsNameTheKey) {
  EXPECT_EQ(error_of({{"port", 1883}}), "mqtt.host: required: the broker's host name or address");
  EXPECT_EQ(error_of({{"host", "b"}, {"port", 70000}}), "mqtt.port: must be 1-65535");
  EXPECT_EQ(error_of({{"host", "b"}, {"port", 0}}), "mqtt.port: must be 1-65535");
  EXPECT_EQ(error_of({{"host", "b"}, {"qos", 3}}), "mqtt.qos: must be 0-2");
  EXPECT_EQ(error_of({{"host", "b"}, {"live_interval", 0}}), "mqtt.live_interval: must be 1-3600");
  EXPECT_EQ(error_of({{"host", "b"}, {"base_topic", "iota/#"}}),
            "mqtt.base_topic: must not contain the wildcards + or #");
  EXPECT_EQ(error_of({{"host", "b"}, {"base_topic", "iota/"}}),
            "mqtt.base_topic: must not have an empty level (no leading, trailing or double '/')");
  EXPECT_EQ(error_of({{"host", "b"}, {"discovery_prefix", "$SYS"}}),
            "mqtt.discovery_prefix: must not start with '$' (broker topics)");
  EXPECT_EQ(error_of({{"host", "b"}, {"node_id", "a b"}}), "mqtt.node_id: must be letters, digits, '_' or '-'");
  EXPECT_EQ(error_of({{"host", "b"}, {"password", "x"}}), "mqtt.password: needs a username");
  EXPECT_EQ(error_of({{"host", "b"}, {"inputs", {"Mains", "Garage"}}}),
            "mqtt.inputs[1]: no active input is called \"Garage\"");
  EXPECT_EQ(error_of({{"host", "b"}, {"inputs", 3}}), "mqtt.inputs: must be \"all\" or an array of names, not 3");
  EXPECT_EQ(error_of({{"host", "b"}, {"tls", {{"ca_file", "/nonexistent/ca.pem"}}}}),
            "mqtt.tls.ca_file: cannot read \"/nonexistent/ca.pem\"");
  EXPECT_EQ(error_of({{"host", "b"}, {"tls", "yes"}}),
            "mqtt.tls: must be true, false or an object with enabled, ca_file, cert_file, key_file");
  EXPECT_NE(error_of({{"host", "b"}, {"hots", "c"}}).find("mqtt.hots: unknown key"), std::string::npos);
  EXPECT_EQ(error_of(json::array()), "mqtt: an empty array is not an object");  // the config parser says so first
}

TEST(MqttConfig, EveryProblemIsReportedAtOnce) {
  const std::string e = error_of({{"port", -1}, {"qos", 9}});
  EXPECT_NE(e.find("mqtt.host"), std::string::npos) << e;
  EXPECT_NE(e.find("mqtt.port"), std::string::npos) << e;
  EXPECT_NE(e.find("mqtt.qos"), std::string::npos) << e;
}

}  // namespace
}  // namespace iw::config
