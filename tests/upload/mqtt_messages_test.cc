// Topics, Home Assistant discovery configs and payloads, byte by byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "query/event_json.h"
#include "upload/mqtt_messages.h"

namespace iw::upload {
namespace {

using nlohmann::json;

const MqttTopics kTopics("iotawatt/Shed", "homeassistant");

MqttDevice device() {
  MqttDevice d;
  d.name = "Shed";
  d.node_id = "iotawatt_Shed";
  d.mac = "02:42:AC:11:00:02";
  d.sw_version = "0.1.0";
  return d;
}

MqttChannel ct(int channel, std::string name, bool signed_ct) {
  return {ChannelKind::kInput, channel, std::move(name), false, signed_ct, ""};
}
MqttChannel ct_with_events(int channel, std::string name) {
  MqttChannel c = ct(channel, std::move(name), false);
  c.events = true;
  return c;
}
MqttChannel vt(int channel, std::string name) {
  return {ChannelKind::kInput, channel, std::move(name), true, false, ""};
}

json config_of(const std::vector<MqttMessage>& msgs, const std::string& object) {
  for (const MqttMessage& m : msgs) {
    if (m.topic == "homeassistant/sensor/iotawatt_Shed/" + object + "/config") return json::parse(m.payload);
  }
  return nullptr;
}

TEST(MqttTopics, NamesFollowTheBaseTopicAndTheChannelName) {
  EXPECT_EQ(kTopics.availability(), "iotawatt/Shed/status");
  EXPECT_EQ(kTopics.live(ct(1, "Mains", true)), "iotawatt/Shed/input/Mains/live");
  EXPECT_EQ(kTopics.energy(ct(1, "Mains", true)), "iotawatt/Shed/input/Mains/energy");
  EXPECT_EQ(kTopics.live({ChannelKind::kOutput, -1, "House", false, false, "Watts"}),
            "iotawatt/Shed/output/House/live");
  EXPECT_EQ(kTopics.ha_status(), "homeassistant/status");
  EXPECT_EQ(kTopics.event(ct_with_events(2, "Kettle")), "iotawatt/Shed/input/Kettle/event");
}

TEST(MqttDiscovery, APowerChannelHasEverySensorHomeAssistantNeeds) {
  const auto msgs = discovery_messages(kTopics, device(), ct(1, "Mains", true), 15);
  ASSERT_EQ(msgs.size(), 6u);  // power, current, pf, VA, import and export energy
  for (const MqttMessage& m : msgs) {
    EXPECT_TRUE(m.retain) << m.topic;
    const json c = json::parse(m.payload);
    for (const char* key : {"name", "unique_id", "state_topic", "value_template", "availability_topic", "device"}) {
      EXPECT_TRUE(c.contains(key)) << m.topic << " lacks " << key;
    }
    EXPECT_EQ(c["availability_topic"], "iotawatt/Shed/status");
    EXPECT_EQ(c["payload_available"], "online");
    EXPECT_EQ(c["payload_not_available"], "offline");
    EXPECT_EQ(c["device"]["identifiers"], json::array({"iotawatt_Shed"}));
    EXPECT_EQ(c["device"]["name"], "Shed");
    EXPECT_EQ(c["device"]["sw_version"], "0.1.0");
    EXPECT_EQ(c["device"]["connections"], json::parse(R"([["mac","02:42:AC:11:00:02"]])"));
    EXPECT_TRUE(c["device"].contains("model"));
  }
  const json power = config_of(msgs, "input1_power");
  EXPECT_EQ(power["unique_id"], "iotawatt_Shed_input1_power");
  EXPECT_EQ(power["name"], "Mains power");
  EXPECT_EQ(power["state_topic"], "iotawatt/Shed/input/Mains/live");
  EXPECT_EQ(power["value_template"], "{{ value_json.watts }}");
  EXPECT_EQ(power["unit_of_measurement"], "W");
  EXPECT_EQ(power["device_class"], "power");
  EXPECT_EQ(power["state_class"], "measurement");
  EXPECT_EQ(power["expire_after"], 15);

  const json energy = config_of(msgs, "input1_energy");
  EXPECT_EQ(energy["state_topic"], "iotawatt/Shed/input/Mains/energy");
  EXPECT_EQ(energy["value_template"], "{{ value_json.import_wh }}");
  EXPECT_EQ(energy["unit_of_measurement"], "Wh");
  EXPECT_EQ(energy["device_class"], "energy");
  EXPECT_EQ(energy["state_class"], "total_increasing");
  EXPECT_FALSE(energy.contains("expire_after"));  // a counter stays valid
  EXPECT_EQ(config_of(msgs, "input1_energy_export")["value_template"], "{{ value_json.export_wh }}");
  EXPECT_EQ(config_of(msgs, "input1_current")["unit_of_measurement"], "A");
  EXPECT_EQ(config_of(msgs, "input1_apparent_power")["unit_of_measurement"], "VA");
  EXPECT_EQ(config_of(msgs, "input1_power_factor")["device_class"], "power_factor");
  EXPECT_FALSE(config_of(msgs, "input1_power_factor").contains("unit_of_measurement"));
}

TEST(MqttDiscovery, AnUnsignedChannelHasNoExportAndAVoltageChannelHasVoltsAndHertz) {
  EXPECT_EQ(discovery_messages(kTopics, device(), ct(2, "Oven", false), 15).size(), 5u);
  const auto msgs = discovery_messages(kTopics, device(), vt(0, "Voltage"), 0);
  ASSERT_EQ(msgs.size(), 2u);
  const json volts = config_of(msgs, "input0_voltage");
  EXPECT_EQ(volts["unit_of_measurement"], "V");
  EXPECT_EQ(volts["device_class"], "voltage");
  EXPECT_EQ(volts["value_template"], "{{ value_json.volts }}");
  EXPECT_FALSE(volts.contains("expire_after"));  // 0: never
  EXPECT_EQ(config_of(msgs, "input0_frequency")["unit_of_measurement"], "Hz");
}

TEST(MqttDiscovery, UniqueIdsAreUniqueAcrossAPanel) {
  std::set<std::string> ids;
  size_t n = 0;
  for (const MqttChannel& ch : {vt(0, "Voltage"), ct(1, "Mains", true), ct(2, "Oven", false)}) {
    for (const MqttMessage& m : discovery_messages(kTopics, device(), ch, 15)) {
      ids.insert(json::parse(m.payload)["unique_id"].get<std::string>());
      ++n;
    }
  }
  EXPECT_EQ(ids.size(), n);
}

TEST(MqttDiscovery, OutputsGetOneSensorFromTheirUnits) {
  const MqttChannel out{ChannelKind::kOutput, -1, "House", false, false, "Watts"};
  const auto msgs = discovery_messages(kTopics, device(), out, 15);
  ASSERT_EQ(msgs.size(), 1u);
  const json c = config_of(msgs, "output_House_power");
  EXPECT_EQ(c["value_template"], "{{ value_json.value }}");
  EXPECT_EQ(c["unit_of_measurement"], "W");
  EXPECT_EQ(c["state_topic"], "iotawatt/Shed/output/House/live");
  EXPECT_TRUE(
      discovery_messages(kTopics, device(), {ChannelKind::kOutput, -1, "X", false, false, "Furlongs"}, 15).empty());
}

TEST(MqttDiscovery, CleanupEmptiesEveryConfigNotAnnounced) {
  const auto keep = discovery_messages(kTopics, device(), ct(1, "Mains", false), 15);
  const auto gone = discovery_cleanup(kTopics, device(), 3, keep);
  EXPECT_EQ(gone.size(), 3 * 9 - keep.size());  // 8 sensors and the event entity a channel
  for (const MqttMessage& m : gone) {
    EXPECT_TRUE(m.retain);
    EXPECT_TRUE(m.payload.empty());  // an empty retained config deletes the entity
    for (const MqttMessage& k : keep) EXPECT_NE(m.topic, k.topic);
  }
}

// Home Assistant's MQTT event platform: "event_types" is required and the payload's
// "event_type" must be one of them; the entity belongs to the same device as the sensors.
TEST(MqttDiscovery, ACtWithEventsAlsoHasAnEventEntity) {
  EXPECT_EQ(discovery_messages(kTopics, device(), ct(2, "Kettle", false), 15).size(), 5u);
  const auto msgs = discovery_messages(kTopics, device(), ct_with_events(2, "Kettle"), 15);
  ASSERT_EQ(msgs.size(), 6u);
  const MqttMessage& m = msgs.back();
  EXPECT_EQ(m.topic, "homeassistant/event/iotawatt_Shed/input2_event/config");
  EXPECT_TRUE(m.retain);
  const json c = json::parse(m.payload);
  EXPECT_EQ(c["name"], "Kettle event");
  EXPECT_EQ(c["unique_id"], "iotawatt_Shed_input2_event");
  EXPECT_EQ(c["object_id"], "iotawatt_Shed_Kettle_event");
  EXPECT_EQ(c["state_topic"], "iotawatt/Shed/input/Kettle/event");
  EXPECT_EQ(c["event_types"], json::parse(R"(["on","off","change"])"));
  EXPECT_EQ(c["availability_topic"], "iotawatt/Shed/status");
  EXPECT_EQ(c["device"], config_of(msgs, "input2_power")["device"]);
  for (const char* absent : {"value_template", "device_class", "expire_after", "unit_of_measurement", "state_class"}) {
    EXPECT_FALSE(c.contains(absent)) << absent;
  }
}

TEST(MqttDiscovery, CleanupEmptiesTheEventEntityOfAChannelWhoseEventsAreOff) {
  const std::string event_config = "homeassistant/event/iotawatt_Shed/input1_event/config";
  auto emptied = [&](const std::vector<MqttMessage>& gone) {
    return std::any_of(gone.begin(), gone.end(),
                       [&](const MqttMessage& m) { return m.topic == event_config && m.payload.empty() && m.retain; });
  };
  EXPECT_TRUE(
      emptied(discovery_cleanup(kTopics, device(), 2, discovery_messages(kTopics, device(), ct(1, "A", false), 15))));
  EXPECT_FALSE(emptied(
      discovery_cleanup(kTopics, device(), 2, discovery_messages(kTopics, device(), ct_with_events(1, "A"), 15))));
}

measure::StepEvent kettle_on() {
  measure::StepEvent e;
  e.time_ns = 1'733'001'234'567'891'234;
  e.channel = 3;
  e.kind = measure::StepKind::kOn;
  e.before_w = 1.23;
  e.after_w = 2011.94;
  e.delta_w = 2010.71;
  e.delta_var = 3.14;
  e.after_amps = 8.7421;
  e.inrush_amps = 9.1;
  e.inrush_peak_amps = 13.2049;
  e.inrush_cycles = 2;
  e.transient_cycles = 14;
  return e;
}

TEST(MqttPayloads, AnEventIsWhatGetEventsGivesWithItsKindAsEventType) {
  EXPECT_EQ(event_payload(kettle_on(), "Kettle"),
            R"({"amps_after":8.742,"channel":3,"delta_var":3.1,"delta_watts":2010.7,"event_type":"on",)"
            R"("inrush_amps":9.1,"inrush_cycles":2,"inrush_peak_amps":13.205,"kind":"on","name":"Kettle",)"
            R"("settled":true,"time":1733001234.568,"transient_cycles":14,"watts_after":2011.9,"watts_before":1.2})");
  measure::StepEvent off = kettle_on();
  off.kind = measure::StepKind::kOff;
  off.settled = false;
  json j = json::parse(event_payload(off, "Kettle"));
  EXPECT_EQ(j["event_type"], "off");
  j.erase("event_type");
  EXPECT_EQ(j, query::event_json(off, "Kettle"));  // the rest is /events' shape, field for field
  off.kind = measure::StepKind::kChange;
  EXPECT_EQ(json::parse(event_payload(off, "Kettle"))["event_type"], "change");
}

TEST(MqttPayloads, LiveValuesAreRoundedJson) {
  measure::ChannelValues v;
  v.watts = 1234.5678;
  v.amps = 5.43219;
  v.va = 1250;  // power factor 0.98765
  v.volts = 230.1234;
  v.hz = 50.00123;
  EXPECT_EQ(input_live_payload(ct(1, "Mains", true), v), R"({"amps":5.432,"pf":0.9877,"va":1250.0,"watts":1234.6})");
  EXPECT_EQ(input_live_payload(vt(0, "Voltage"), v), R"({"hz":50.001,"volts":230.12})");
  v.watts = -0.01;
  EXPECT_EQ(json::parse(input_live_payload(ct(1, "Mains", true), v))["watts"].dump(), "0.0");  // no "-0.0"
  v.va = 0;
  EXPECT_EQ(json::parse(input_live_payload(ct(1, "Mains", true), v))["pf"].dump(), "0.0") << "no VA: no power factor";
  EXPECT_EQ(output_live_payload(12.3456), R"({"value":12.346})");
}

TEST(MqttPayloads, EnergyCarriesTheRecordTimeAndExactMicroWattHours) {
  EXPECT_EQ(energy_payload({1700000005, 123456.789012, 0.000001}),
            R"({"export_wh":1e-06,"import_wh":123456.789012,"time":1700000005})");
}

TEST(MqttMessages, DemandPayloadCarriesPeakWindowAndWarning) {
  EXPECT_EQ(MqttTopics("iotawatt/house", "homeassistant").demand(), "iotawatt/house/demand");
  const nlohmann::json j =
      nlohmann::json::parse(demand_payload({1774000000, 9.0004, 1773850000, 1773999900, 8.12345, true}));
  EXPECT_EQ(j["time"], 1774000000);
  EXPECT_EQ(j["peak_kw"], 9.0);
  EXPECT_EQ(j["peak_at"], 1773850000);
  EXPECT_EQ(j["window_start"], 1773999900);
  EXPECT_EQ(j["window_kw"], 8.123);
  EXPECT_EQ(j["warning"], true);
}

}  // namespace
}  // namespace iw::upload
