#include "upload/mqtt_messages.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "query/event_json.h"

namespace iw::upload {
namespace {

using nlohmann::json;

// One Home Assistant sensor of a channel: which payload field, its unit and classes.
struct Quantity {
  const char* key;           // object id suffix: "power"
  const char* label;         // entity name suffix: "power"
  const char* field;         // payload field: "watts"
  const char* unit;          // nullptr: unitless
  const char* device_class;  // nullptr: none
  const char* state_class;
  int precision;  // suggested display precision
  bool energy;    // from the energy topic (retained, never expires)
};

constexpr Quantity kVoltage{"voltage", "voltage", "volts", "V", "voltage", "measurement", 1, false};
constexpr Quantity kFrequency{"frequency", "frequency", "hz", "Hz", "frequency", "measurement", 2, false};
constexpr Quantity kPower{"power", "power", "watts", "W", "power", "measurement", 0, false};
constexpr Quantity kCurrent{"current", "current", "amps", "A", "current", "measurement", 2, false};
constexpr Quantity kPowerFactor{"power_factor", "power factor", "pf", nullptr, "power_factor", "measurement", 2, false};
constexpr Quantity kApparent{"apparent_power", "apparent power", "va", "VA", "apparent_power", "measurement", 0, false};
constexpr Quantity kReactive{"reactive_power", "reactive power", "var", "var",
                             "reactive_power", "measurement",    0,     false};
constexpr Quantity kImport{"energy", "energy", "import_wh", "Wh", "energy", "total_increasing", 0, true};
constexpr Quantity kExport{"energy_export", "energy export", "export_wh", "Wh", "energy", "total_increasing", 0, true};

const char* kind_word(ChannelKind kind) { return kind == ChannelKind::kInput ? "input" : "output"; }

// Topic-safe and object-id-safe: names are [A-Za-z][A-Za-z0-9_]* by the config's rule.
std::string channel_path(const MqttChannel& ch) { return std::string(kind_word(ch.kind)) + "/" + ch.name; }

// Stable across renames for inputs (the channel number), so Home Assistant keeps the history
// of a circuit whose name changes; outputs have only their name.
std::string object_id(const MqttChannel& ch, const Quantity& q) {
  if (ch.kind == ChannelKind::kInput) return "input" + std::to_string(ch.channel) + "_" + q.key;
  return "output_" + ch.name + "_" + q.key;
}

double rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(v * scale) / scale;
  return r == 0 ? 0.0 : r;  // no "-0"
}

json device_block(const MqttDevice& d) {
  json dev = {{"identifiers", json::array({d.node_id})},
              {"name", d.name},
              {"manufacturer", "iotawatt project"},
              {"model", d.model},
              {"sw_version", d.sw_version}};
  if (!d.mac.empty()) dev["connections"] = json::array({json::array({"mac", d.mac})});
  return dev;
}

// What every entity of a channel says: names, ids, where its state comes from, availability
// and the device it belongs to.
json entity_config(const MqttTopics& topics, const MqttDevice& device, const MqttChannel& ch, const std::string& object,
                   const std::string& key, const std::string& label, const std::string& state_topic) {
  return {{"name", ch.name + " " + label},
          {"unique_id", device.node_id + "_" + object},
          {"object_id", device.node_id + "_" + ch.name + "_" + key},
          {"state_topic", state_topic},
          {"availability_topic", topics.availability()},
          {"payload_available", kOnline},
          {"payload_not_available", kOffline},
          {"device", device_block(device)}};
}

std::string config_topic(const MqttTopics& topics, const MqttDevice& device, const char* component,
                         const std::string& object) {
  return topics.discovery_prefix() + "/" + component + "/" + device.node_id + "/" + object + "/config";
}

MqttMessage sensor_config(const MqttTopics& topics, const MqttDevice& device, const MqttChannel& ch, const Quantity& q,
                          int expire_after_s) {
  const std::string object = object_id(ch, q);
  json c = entity_config(topics, device, ch, object, q.key, q.label, q.energy ? topics.energy(ch) : topics.live(ch));
  c["value_template"] = std::string("{{ value_json.") + q.field + " }}";
  c["state_class"] = q.state_class;
  c["suggested_display_precision"] = q.precision;
  if (q.unit != nullptr) c["unit_of_measurement"] = q.unit;
  if (q.device_class != nullptr) c["device_class"] = q.device_class;
  if (!q.energy && expire_after_s > 0) c["expire_after"] = expire_after_s;
  return {config_topic(topics, device, "sensor", object), c.dump(), true};
}

// Home Assistant's MQTT event entity: it reads "event_type" from the JSON payload (one of
// event_types) and keeps the other keys as the event's attributes. No device_class: Home
// Assistant's (button, doorbell, motion) do not describe a circuit switching. No
// expire_after: an event is a moment, with no state to go stale.
MqttMessage event_config(const MqttTopics& topics, const MqttDevice& device, const MqttChannel& ch) {
  const std::string object = "input" + std::to_string(ch.channel) + "_event";
  json c = entity_config(topics, device, ch, object, "event", "event", topics.event(ch));
  c["event_types"] = json::array({"on", "off", "change"});
  return {config_topic(topics, device, "event", object), c.dump(), true};
}

// An output's one value, from the units its script declares (the original's unit names).
std::optional<Quantity> output_quantity(const std::string& units) {
  if (units == "Watts") return kPower;
  if (units == "Volts") return kVoltage;
  if (units == "Amps") return kCurrent;
  if (units == "Hz") return kFrequency;
  if (units == "PF") return kPowerFactor;
  if (units == "VA") return kApparent;
  if (units == "VAR") return kReactive;
  return std::nullopt;
}

std::vector<Quantity> quantities_of(const MqttChannel& ch) {
  if (ch.kind == ChannelKind::kOutput) {
    auto q = output_quantity(ch.units);
    if (!q) return {};
    Quantity value = *q;
    value.field = "value";
    return {value};
  }
  if (ch.voltage) return {kVoltage, kFrequency};
  std::vector<Quantity> qs = {kPower, kCurrent, kPowerFactor, kApparent, kImport};
  if (ch.has_export) qs.push_back(kExport);
  return qs;
}

}  // namespace

std::string MqttTopics::live(const MqttChannel& ch) const { return base_ + "/" + channel_path(ch) + "/live"; }

std::string MqttTopics::energy(const MqttChannel& ch) const { return base_ + "/" + channel_path(ch) + "/energy"; }

std::string MqttTopics::event(const MqttChannel& ch) const { return base_ + "/" + channel_path(ch) + "/event"; }

std::vector<MqttMessage> discovery_messages(const MqttTopics& topics, const MqttDevice& device, const MqttChannel& ch,
                                            int expire_after_s) {
  std::vector<MqttMessage> out;
  for (const Quantity& q : quantities_of(ch)) out.push_back(sensor_config(topics, device, ch, q, expire_after_s));
  if (ch.kind == ChannelKind::kInput && ch.events) out.push_back(event_config(topics, device, ch));
  return out;
}

std::vector<MqttMessage> discovery_cleanup(const MqttTopics& topics, const MqttDevice& device, int max_channels,
                                           const std::vector<MqttMessage>& keep) {
  std::vector<MqttMessage> out;
  auto remove_unless_kept = [&](const MqttMessage& m) {
    const bool kept = std::any_of(keep.begin(), keep.end(), [&](const MqttMessage& k) { return k.topic == m.topic; });
    if (!kept) out.push_back({m.topic, "", true});
  };
  for (int channel = 0; channel < max_channels; ++channel) {
    const MqttChannel ch{ChannelKind::kInput, channel, "x", false, true, "", true};
    for (const Quantity& q : {kVoltage, kFrequency, kPower, kCurrent, kPowerFactor, kApparent, kImport, kExport}) {
      remove_unless_kept(sensor_config(topics, device, ch, q, 0));
    }
    remove_unless_kept(event_config(topics, device, ch));
  }
  return out;
}

std::string input_live_payload(const MqttChannel& ch, const measure::ChannelValues& v) {
  if (ch.voltage) return json{{"volts", rounded(v.volts, 2)}, {"hz", rounded(v.hz, 3)}}.dump();
  return json{{"watts", rounded(v.watts, 1)},
              {"amps", rounded(v.amps, 3)},
              {"pf", rounded(measure::power_factor(v), 4)},
              {"va", rounded(v.va, 1)}}
      .dump();
}

std::string output_live_payload(double value) { return json{{"value", rounded(value, 3)}}.dump(); }

std::string energy_payload(const EnergyReading& r) {
  // The datalog keeps whole micro-watt-hours, so 6 decimals carry the record exactly.
  return json{{"time", r.time}, {"import_wh", rounded(r.import_wh, 6)}, {"export_wh", rounded(r.export_wh, 6)}}.dump();
}

std::string demand_payload(const DemandReading& r) {
  return json{{"time", r.time},
              {"peak_kw", rounded(r.peak_kw, 3)},
              {"peak_at", r.peak_at},
              {"window_start", r.window_start},
              {"window_kw", rounded(r.window_kw, 3)},
              {"warning", r.warning}}
      .dump();
}

std::string event_payload(const measure::StepEvent& event, const std::string& name) {
  json j = query::event_json(event, name);
  j["event_type"] = measure::to_string(event.kind);
  return j.dump();
}

}  // namespace iw::upload
