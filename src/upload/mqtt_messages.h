// What the MQTT publisher sends: topic names, the Home Assistant discovery configs, and the
// payloads of live values, energy counters and step events (MQTT.md documents them for users).
// Pure: no socket, clock or broker, so every byte is tested on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "measure/channel_values.h"
#include "measure/step_event.h"

namespace iw::upload {

// One MQTT message as the publisher hands it to the connection.
struct MqttMessage {
  std::string topic;
  std::string payload;
  bool retain = false;
};

// What Home Assistant shows in the device block of every entity.
struct MqttDevice {
  std::string name;        // the device name from the config ("IotaWatt")
  std::string node_id;     // stable id: unique_id prefix and discovery node id
  std::string mac;         // "XX:XX:XX:XX:XX:XX", empty when unknown
  std::string sw_version;  // our version
  std::string model = "iotawatt (Linux)";
};

enum class ChannelKind {
  kInput,   // a physical input (VT or CT), named by its config name, numbered by its channel
  kOutput,  // an output (calculator script), named by its config name
};

// A channel we publish.
struct MqttChannel {
  ChannelKind kind = ChannelKind::kInput;
  int channel = -1;         // input number; -1 for outputs
  std::string name;         // [A-Za-z][A-Za-z0-9_]*, unique within its kind (config rule)
  bool voltage = false;     // a VT: volts and Hz; otherwise power values
  bool has_export = false;  // signed CT: export energy is published too
  std::string units;        // outputs only: "Watts", "Volts" ... as the script declares
  bool events = false;      // a CT whose step events are published (step_watts > 0, mqtt.events)
};

// Cumulative energy of one channel at a datalog record: never goes backwards, survives
// restarts (the record holds the totals the daemon continues from).
struct EnergyReading {
  int64_t time = 0;  // UNIX seconds of the record
  double import_wh = 0;
  double export_wh = 0;
};

// Peak demand of the tariff's billing period at a datalog record, and the window running now
// (query/tariff_engine.h, DemandNow).
struct DemandReading {
  int64_t time = 0;  // UNIX seconds of the record
  double peak_kw = 0;
  int64_t peak_at = 0;  // start of the peak window; 0: none yet
  int64_t window_start = 0;
  double window_kw = 0;
  bool warning = false;  // the running window is at 90 % of the peak or more: a new peak is near
};

class MqttTopics {
 public:
  MqttTopics(std::string base, std::string discovery_prefix)
      : base_(std::move(base)), prefix_(std::move(discovery_prefix)) {}

  // "<base>/status": "online" / "offline" (the last will), retained.
  std::string availability() const { return base_ + "/status"; }
  // "<base>/input/<name>/live" (or output): JSON of the live values.
  std::string live(const MqttChannel& ch) const;
  // "<base>/input/<name>/energy": JSON of the cumulative counters, retained.
  std::string energy(const MqttChannel& ch) const;
  // "<base>/input/<name>/event": one message per step event, not retained.
  std::string event(const MqttChannel& ch) const;
  // "<base>/demand": JSON of the tariff's peak demand and the running window, retained.
  std::string demand() const { return base_ + "/demand"; }
  // Home Assistant announces itself here with "online" after it (re)starts.
  std::string ha_status() const { return prefix_ + "/status"; }
  const std::string& discovery_prefix() const { return prefix_; }

 private:
  std::string base_;
  std::string prefix_;
};

inline constexpr const char* kOnline = "online";
inline constexpr const char* kOffline = "offline";

// The retained discovery configs for `ch`: one sensor per value (VT: voltage, frequency; CT:
// power, current, power factor, apparent power, energy import, and energy export when signed;
// output: the one value its units name), and an event entity when `ch.events`.
// `expire_after_s` marks live values unavailable when they stop coming (0: never).
std::vector<MqttMessage> discovery_messages(const MqttTopics& topics, const MqttDevice& device, const MqttChannel& ch,
                                            int expire_after_s);

// Empty retained configs for every input entity that could exist (channels 0 to
// `max_channels` - 1, every quantity and the event entity) except those in `keep` (topics just
// announced): removes the entities of inputs that were deleted, changed from CT to VT, or whose
// events were turned off. Outputs are not covered.
std::vector<MqttMessage> discovery_cleanup(const MqttTopics& topics, const MqttDevice& device, int max_channels,
                                           const std::vector<MqttMessage>& keep);

// The live values of an input (averaged over the last second, what /status shows):
// {"watts":123.4,"amps":0.54,"pf":0.98,"va":125.9} for power channels, {"volts":230.12,"hz":50.002}
// for VTs. Values rounded to what the sensors resolve. REQUIRES: `ch` is an input.
std::string input_live_payload(const MqttChannel& ch, const measure::ChannelValues& live);
// An output's script evaluated live, in its units: {"value":12.5}.
std::string output_live_payload(double value);
// {"time":1700000000,"import_wh":1234.567,"export_wh":0.0}. Exact to 1 mWh.
std::string energy_payload(const EnergyReading& reading);
// {"time":1700000000,"peak_kw":9.0,"peak_at":1699990000,"window_start":1699999200,
//  "window_kw":8.4,"warning":true}; kW to 1 W.
std::string demand_payload(const DemandReading& reading);
// The event as GET /events gives it (query/event_json.h) with "event_type": its kind ("on",
// "off", "change"), the key Home Assistant's event entity reads; `name` is the input's name.
std::string event_payload(const measure::StepEvent& event, const std::string& name);

}  // namespace iw::upload
