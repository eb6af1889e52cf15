#include "app/mqtt_service.h"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "app/system_info.h"
#include "app/version.h"
#include "calc/live_operands.h"
#include "calc/value.h"

namespace iw::app {
namespace {

using Clock = std::chrono::steady_clock;
using upload::ChannelKind;
using upload::MqttChannel;
using upload::MqttMessage;

constexpr auto kPollTimeout = std::chrono::milliseconds(200);
constexpr auto kCloseTimeout = std::chrono::milliseconds(2000);

bool selected(const std::optional<std::vector<std::string>>& names, const std::string& name) {
  return !names || std::find(names->begin(), names->end(), name) != names->end();
}

// The calculator's outputs, with the units their script declares (the original's names).
std::vector<MqttChannel> output_channels(const calc::Calculator& calculator) {
  std::vector<MqttChannel> out;
  for (const calc::Output& o : calculator.outputs()) {
    MqttChannel c;
    c.kind = ChannelKind::kOutput;
    c.name = o.name;
    c.units = std::string(calc::unit_name(o.unit));
    out.push_back(std::move(c));
  }
  return out;
}

// Live values as long as 3 publishing intervals are missed stay shown; after that Home
// Assistant marks them unavailable even if the last will never came (a hung daemon).
int expire_after_s(const config::MqttConfig& mqtt) { return std::max(15, 3 * mqtt.live_interval_s); }

upload::MqttDevice device_of(const config::Config& config, const config::MqttConfig& mqtt) {
  upload::MqttDevice d;
  d.name = config.device.name;
  d.node_id = mqtt.node_id;
  d.mac = network_identity().mac;
  if (d.mac == "00:00:00:00:00:00") d.mac.clear();
  d.sw_version = kVersion;
  return d;
}

}  // namespace

std::vector<MqttChannel> mqtt_channels(const config::Config& config, const config::MqttConfig& mqtt,
                                       const calc::Calculator& calculator) {
  std::vector<MqttChannel> out;
  for (size_t ch = 0; ch < config.inputs.size(); ++ch) {
    const config::Input* in = config.input(static_cast<int>(ch));
    if (in == nullptr || !selected(mqtt.inputs, in->name)) continue;
    MqttChannel c;
    c.kind = ChannelKind::kInput;
    c.channel = static_cast<int>(ch);
    c.name = in->name;
    c.voltage = in->is_vt();
    c.has_export = !in->is_vt() && in->is_signed;
    c.events = mqtt.events && in->is_ct() && in->step_watts > 0;  // app/wiring.cc: the detector's switch
    out.push_back(c);
  }
  for (MqttChannel& c : output_channels(calculator)) {
    if (selected(mqtt.outputs, c.name)) out.push_back(std::move(c));
  }
  return out;
}

Result<std::unique_ptr<MqttService>> MqttService::Start(const config::Config& config, const config::MqttConfig& mqtt,
                                                        std::shared_ptr<const calc::Calculator> calculator,
                                                        const Sampler& sampler, const DatalogService& datalog,
                                                        std::shared_ptr<const query::TariffEngine> tariff,
                                                        MqttEventSource events) {
  const upload::MqttTopics topics(mqtt.base_topic, mqtt.discovery_prefix);
  auto connection = upload::MqttConnection::Create(mqtt, {topics.availability(), upload::kOffline, true});
  if (!connection) return connection.status();
  std::unique_ptr<MqttService> s(new MqttService(config, mqtt, std::move(calculator), sampler, datalog,
                                                 std::move(connection.value()), std::move(tariff), events));
  s->thread_ = std::thread([p = s.get()] { p->run(); });
  spdlog::info("mqtt: publishing {} channels to {}:{} under {}", s->channels_.size(), mqtt.host, mqtt.port,
               mqtt.base_topic);
  return s;
}

MqttService::MqttService(const config::Config& config, const config::MqttConfig& mqtt,
                         std::shared_ptr<const calc::Calculator> calculator, const Sampler& sampler,
                         const DatalogService& datalog, std::unique_ptr<upload::MqttConnection> connection,
                         std::shared_ptr<const query::TariffEngine> tariff, MqttEventSource events)
    : mqtt_(mqtt),
      calculator_(std::move(calculator)),
      tariff_(std::move(tariff)),
      channels_(mqtt_channels(config, mqtt, *calculator_)),
      max_channels_(static_cast<int>(config.inputs.size())),
      topics_(mqtt.base_topic, mqtt.discovery_prefix),
      device_(device_of(config, mqtt)),
      sampler_(sampler),
      datalog_(datalog),
      events_(events.log),
      connection_(std::move(connection)) {
  // Events already in the log at start were the previous run's to publish: a restart does not
  // send them again (a config change hands the previous publisher's place over).
  if (events_ != nullptr) events_after_ = events.after.value_or(events_->end());
  connection_->set_message_handler([this](const std::string& topic, const std::string& payload) {
    if (topic == topics_.ha_status() && payload == upload::kOnline) rediscover_ = true;
  });
}

MqttService::~MqttService() { stop(); }

void MqttService::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

MqttStatus MqttService::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

datalog::EventLogPosition MqttService::events_after() const {
  std::lock_guard lock(status_mu_);
  return events_after_;
}

void MqttService::run() {
  const auto interval = std::chrono::seconds(mqtt_.live_interval_s);
  auto next_live = Clock::now();
  while (!stop_) {
    if (connection_->poll(kPollTimeout)) {
      announce();
      next_live = Clock::now();
    }
    if (connection_->connected()) {
      if (rediscover_) {
        rediscover_ = false;
        publish_discovery();
      }
      if (Clock::now() >= next_live) {
        publish_live();
        next_live = std::max(next_live + interval, Clock::now());
      }
      publish_energy(false);
      publish_events();
    }
    update_status();
  }
  connection_->close({topics_.availability(), upload::kOffline, true}, kCloseTimeout);
  update_status();
}

// Everything retained again: the broker may have restarted with an empty store.
void MqttService::announce() {
  publish({topics_.availability(), upload::kOnline, true}, 1);
  if (Status st = connection_->subscribe(topics_.ha_status(), 1); !st) spdlog::warn("{}", st.message());
  publish_discovery();
  publish_energy(true);
}

void MqttService::publish_discovery() {
  if (!mqtt_.discovery) return;
  std::vector<MqttMessage> configs;
  for (const MqttChannel& ch : channels_) {
    for (MqttMessage& m : upload::discovery_messages(topics_, device_, ch, expire_after_s(mqtt_))) {
      configs.push_back(std::move(m));
    }
  }
  for (const MqttMessage& m : upload::discovery_cleanup(topics_, device_, max_channels_, configs)) publish(m, 1);
  for (const MqttMessage& m : configs) publish(m, 1);
}

void MqttService::publish_live() {
  const SamplerSnapshot snap = sampler_.snapshot();
  if (snap.values.empty()) return;  // no checkpoint yet
  const calc::LiveOperands operands(*calculator_, snap.values);
  for (const MqttChannel& ch : channels_) {
    std::string payload;
    if (ch.kind == ChannelKind::kOutput) {
      const calc::Output* out = calculator_->output(ch.name);
      if (out == nullptr) continue;
      payload = upload::output_live_payload(calc::value_of(out->script, out->unit, operands));
    } else if (static_cast<size_t>(ch.channel) < snap.values.size()) {
      payload = upload::input_live_payload(ch, snap.values[static_cast<size_t>(ch.channel)]);
    } else {
      continue;
    }
    publish({topics_.live(ch), std::move(payload), mqtt_.retain}, mqtt_.qos);
  }
}

void MqttService::publish_energy(bool force) {
  const std::optional<int64_t> newest = datalog_.current().last_time();
  if (!newest || (*newest == last_energy_time_ && !force)) return;
  auto record = datalog_.current().last();
  if (!record || !record.value()) return;
  const datalog::Record& r = *record.value();
  // A record from before a config change that resized the panel counts other channels; the
  // next record has this config's layout.
  if (r.channels.size() != static_cast<size_t>(max_channels_)) return;
  for (const MqttChannel& ch : channels_) {
    if (ch.kind != ChannelKind::kInput || ch.voltage || static_cast<size_t>(ch.channel) >= r.channels.size()) continue;
    const measure::ChannelCounters& c = r.channels[static_cast<size_t>(ch.channel)];
    publish({topics_.energy(ch), upload::energy_payload({r.time, c.wh_import.value(), c.wh_export.value()}), true},
            mqtt_.qos);
  }
  publish_demand(r);
  last_energy_time_ = r.time;
}

void MqttService::publish_demand(const datalog::Record& record) {
  if (!tariff_ || !tariff_->tariff().demand || !tariff_->has_meter()) return;
  auto now = tariff_->demand_now(record);
  if (!now.ok()) {
    spdlog::warn("mqtt: demand: {}", now.error());
    return;
  }
  const query::DemandNow& d = now.value();
  publish({topics_.demand(),
           upload::demand_payload({record.time, d.peak.kw, d.peak.at, d.window_start, d.window_kw, d.warning}), true},
          mqtt_.qos);
}

// The log's events after events_after_, as one message each on "<base>/input/<name>/event",
// QoS 1 whatever mqtt.qos says: unlike live values and counters, an event that is lost is not
// made up by the next message. Not retained: an event is a moment (and Home Assistant ignores
// a retained one). When a publish fails the place stays, so the page is sent again from its
// start: at least once.
void MqttService::publish_events() {
  const datalog::EventLogPosition after = events_after();
  if (events_ == nullptr || events_->end() == after) return;
  const int64_t oldest_ns =
      sampler_.snapshot().time_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(kEventBacklog).count();
  auto tail = events_->read_after(after, oldest_ns, kEventsPerTurn);
  if (!tail) {
    if (tail.error() != events_error_) spdlog::warn("mqtt: cannot read the event log: {}", tail.error());
    events_error_ = tail.error();
    return;
  }
  events_error_.clear();
  if (tail.value().older > 0) {
    spdlog::info("mqtt: {} step event(s) older than {} h not published (the broker was away)", tail.value().older,
                 kEventBacklog.count());
  }
  for (const measure::StepEvent& e : tail.value().events) {
    const MqttChannel* ch = event_channel(e.channel);
    if (ch == nullptr) continue;  // not published: an input left out by mqtt.inputs, or events turned off
    if (!publish({topics_.event(*ch), upload::event_payload(e, ch->name), false}, 1)) return;
  }
  std::lock_guard lock(status_mu_);
  events_after_ = tail.value().next;
}

const MqttChannel* MqttService::event_channel(uint16_t channel) const {
  for (const MqttChannel& ch : channels_) {
    if (ch.kind == ChannelKind::kInput && ch.events && ch.channel == channel) return &ch;
  }
  return nullptr;
}

bool MqttService::publish(const MqttMessage& message, int qos) {
  Status st = connection_->publish(message, qos);
  if (!st) spdlog::warn("{}", st.message());
  return st.ok();
}

void MqttService::update_status() {
  std::lock_guard lock(status_mu_);
  status_.connected = connection_->connected();
  status_.sessions = connection_->sessions();
  status_.published = connection_->published();
  status_.last_error = connection_->last_error();
  status_.last_energy = last_energy_time_;
}

server::UploaderEntry mqtt_uploader_entry(const MqttStatus& status) {
  server::UploaderEntry e;
  e.name = "mqtt";
  e.type = "mqtt";
  e.state = status.connected ? "live" : status.last_error.empty() ? "starting" : "retrying";
  e.last_post = status.last_energy;
  e.last_error = status.connected ? "" : status.last_error;
  return e;
}

}  // namespace iw::app
