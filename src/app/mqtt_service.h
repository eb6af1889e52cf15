// The MQTT publisher as a daemon component: one thread of its own that keeps the broker
// session up (upload/mqtt_connection.h) and publishes
//   - on every new session: availability "online", the Home Assistant discovery configs, and
//     the energy counters (all retained);
//   - every live_interval: the live values of each input, and of each output (its script over
//     the same snapshot, as /status?outputs), from the sampler's snapshot;
//   - on every new 5 s datalog record: each channel's cumulative import/export Wh from it;
//   - every step event the event log holds that it has not published yet (append order, up to
//     kEventsPerTurn a turn; after an outage only those of the last kEventBacklog).
// It only copies snapshots and reads the logs, so sampling never waits for the broker. One
// service runs per configuration (the daemon replaces it with the pipeline).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/datalog_service.h"
#include "app/sampler.h"
#include "calc/calculator.h"
#include "config/config.h"
#include "config/mqtt_config.h"
#include "datalog/event_log.h"
#include "query/tariff_engine.h"
#include "server/status.h"
#include "upload/mqtt_connection.h"
#include "upload/mqtt_messages.h"

namespace iw::app {

// For /metrics and /status?uploaders.
struct MqttStatus {
  bool connected = false;
  uint64_t sessions = 0;    // successful connects since the service started
  uint64_t published = 0;   // messages handed to the broker
  int64_t last_energy = 0;  // UNIX time of the newest record whose energy was published; 0: none
  std::string last_error;   // empty when the last attempt worked
};

// The publisher as /status lists uploaders: "live" while connected, "retrying" after a failed
// attempt, "starting" before the first answer. It has no backlog: energy messages carry
// cumulative counters, so the next one makes up for any that were missed.
server::UploaderEntry mqtt_uploader_entry(const MqttStatus& status);

// The channels `mqtt` selects (by name, default all): the inputs of `config` in channel order,
// then the outputs of `calculator` in config order.
std::vector<upload::MqttChannel> mqtt_channels(const config::Config& config, const config::MqttConfig& mqtt,
                                               const calc::Calculator& calculator);

// Where the publisher finds step events: the daemon's event log, and the place in it after
// which events are new to this publisher.
struct MqttEventSource {
  const datalog::EventLog* log = nullptr;          // null: no event log, no event messages
  std::optional<datalog::EventLogPosition> after;  // the previous publisher's; default: the log's end at start
};

class MqttService {
 public:
  // Events published in one turn of the loop at most, so a backlog goes out between polls of
  // the connection instead of in one burst.
  static constexpr size_t kEventsPerTurn = 100;
  // After an outage (broker away), events older than this on the source clock are not
  // published: Home Assistant takes an event as happening when it arrives, and an automation
  // acting on a kettle switched on yesterday does harm.
  static constexpr std::chrono::hours kEventBacklog{1};

  // `sampler`, `datalog` and the event log must outlive the service. Fails on client options
  // libmosquitto refuses; a broker that is down is not an error (the service keeps trying).
  // With a `tariff` that has a demand charge, each new record also publishes "<base>/demand"
  // (retained): the billing period's peak and the running window, with a warning at 90 % of
  // the peak.
  static Result<std::unique_ptr<MqttService>> Start(const config::Config& config, const config::MqttConfig& mqtt,
                                                    std::shared_ptr<const calc::Calculator> calculator,
                                                    const Sampler& sampler, const DatalogService& datalog,
                                                    std::shared_ptr<const query::TariffEngine> tariff = nullptr,
                                                    MqttEventSource events = {});
  ~MqttService();
  MqttService(const MqttService&) = delete;
  MqttService& operator=(const MqttService&) = delete;

  // Publishes "offline", disconnects and joins the thread. Idempotent.
  void stop();
  MqttStatus status() const;
  // The place in the event log up to which events were published: where the next publisher
  // (after a config change) goes on from.
  datalog::EventLogPosition events_after() const;

 private:
  MqttService(const config::Config& config, const config::MqttConfig& mqtt,
              std::shared_ptr<const calc::Calculator> calculator, const Sampler& sampler, const DatalogService& datalog,
              std::unique_ptr<upload::MqttConnection> connection, std::shared_ptr<const query::TariffEngine> tariff,
              MqttEventSource events);
  void run();
  void announce();
  void publish_discovery();
  void publish_live();
  void publish_energy(bool force);
  void publish_demand(const datalog::Record& record);
  void publish_events();
  const upload::MqttChannel* event_channel(uint16_t channel) const;
  bool publish(const upload::MqttMessage& message, int qos);
  void update_status();

  const config::MqttConfig mqtt_;
  const std::shared_ptr<const calc::Calculator> calculator_;  // the pipeline's: outputs' scripts
  const std::shared_ptr<const query::TariffEngine> tariff_;   // null: no demand messages
  const std::vector<upload::MqttChannel> channels_;
  const int max_channels_;
  const upload::MqttTopics topics_;
  const upload::MqttDevice device_;
  const Sampler& sampler_;
  const DatalogService& datalog_;
  const datalog::EventLog* const events_;               // null: no event messages
  std::unique_ptr<upload::MqttConnection> connection_;  // service thread only

  int64_t last_energy_time_ = 0;  // service thread only: record last published
  bool rediscover_ = false;       // service thread only: Home Assistant came back online
  std::string events_error_;      // service thread only: the last event log read error, logged once
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex status_mu_;
  MqttStatus status_;                       // guarded by status_mu_
  datalog::EventLogPosition events_after_;  // guarded by status_mu_; written by the service thread only
};

}  // namespace iw::app
