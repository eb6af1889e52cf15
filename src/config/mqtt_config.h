// The "mqtt" section of the config: where and how the daemon publishes to an MQTT broker
// (src/upload/MQTT.md has the topics). Ours, not in the original firmware.
//
//   "mqtt": {"host": "broker.lan", "port": 1883, "username": "iota", "password": "...",
//            "tls": {"enabled": true, "ca_file": "/etc/ssl/certs/ca.pem"},
//            "live_interval": 5, "inputs": ["Mains", "Solar"]}
//
// Only `host` is required. Errors name the key ("mqtt.port: must be 1-65535").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace iw::config {

struct MqttTls {
  bool enabled = false;
  // The broker's certificate is always verified (against ca_file, or the system's CAs when
  // empty), host name included.
  std::string ca_file;
  std::string cert_file;  // client certificate, with key_file, for brokers that require one
  std::string key_file;

  bool operator==(const MqttTls&) const = default;
};

struct MqttConfig {
  std::string host;
  int port = 1883;  // 8883 when TLS is on and no port is given
  MqttTls tls;
  std::string username;    // empty: anonymous
  std::string password;    // secret: never shown to the user role
  std::string client_id;   // default "iotawatt-<device name>"
  std::string base_topic;  // default "iotawatt/<device name>"
  std::string node_id;     // Home Assistant node id and unique_id prefix, default "iotawatt_<device name>"
  bool discovery = true;   // Home Assistant discovery messages
  std::string discovery_prefix = "homeassistant";
  int live_interval_s = 5;  // live values every this many seconds, 1-3600
  int keepalive_s = 30;
  int reconnect_max_s = 60;                         // backoff ceiling after the broker went away
  int qos = 1;                                      // for state messages; 0-2
  bool retain = false;                              // retain live values (energy and discovery are always retained)
  bool events = true;                               // step events of CTs with step_watts > 0 (upload/MQTT.md)
  std::optional<std::vector<std::string>> inputs;   // names to publish; nullopt = all
  std::optional<std::vector<std::string>> outputs;  // names to publish; nullopt = all

  bool operator==(const MqttConfig&) const = default;
};

// The typed "mqtt" section of `config`: nullopt when the section is absent or has
// "enabled": false. Input names in `inputs` must be inputs of `config`. Every problem found is
// reported, one per line.
Result<std::optional<MqttConfig>> mqtt_config(const Config& config);

}  // namespace iw::config
