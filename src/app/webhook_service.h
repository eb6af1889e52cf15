// The webhook as a daemon component: one thread of its own that follows the event log
// (datalog/event_log.h) and POSTs what it has not delivered yet to the user's URL, up to
// kEventsPerRequest events a request (upload/webhook_request.h, upload/WEBHOOK.md).
//
// Delivery is at least once, in append order: a 2xx answer acknowledges the batch and the
// place in the log moves past it; any other answer, a timeout or no connection keeps the place
// and the same events (then any that came since, up to the limit) go again after a backoff
// (upload/backoff.h). Events older than kEventBacklog when they would be sent are skipped and
// counted in the message log. It only reads the log, so sampling never waits for the receiver.
// One service runs per configuration (the daemon replaces it with the pipeline and hands the
// place over).
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

#include "app/sampler.h"
#include "config/config.h"
#include "config/webhook_config.h"
#include "datalog/event_log.h"
#include "server/status.h"
#include "upload/backoff.h"
#include "upload/transport.h"

namespace iw::app {

// For /status?uploaders.
struct WebhookStatus {
  uint64_t delivered = 0;     // events acknowledged by the receiver since the service started
  uint64_t skipped = 0;       // events older than kEventBacklog passed over
  int64_t last_delivery = 0;  // UNIX time (wall clock) of the last acknowledged request; 0: none
  int failures = 0;           // consecutive failed attempts; 0 after a success
  std::string last_error;     // empty when the last attempt worked; never holds the secret or the path
};

// The webhook as /status lists uploaders: "live" after a success, "retrying" after a failure,
// "starting" before the first request.
server::UploaderEntry webhook_uploader_entry(const WebhookStatus& status);

// Where the webhook finds step events: the daemon's event log, and the place in it after which
// events are new to this service.
struct WebhookEventSource {
  const datalog::EventLog* log = nullptr;          // null: nothing to send
  std::optional<datalog::EventLogPosition> after;  // the previous service's; default: the log's end at start
};

class WebhookService {
 public:
  // The receiver's limit on one request is ours too: 100 events are about 30 KB of JSON.
  static constexpr size_t kEventsPerRequest = 100;
  // Events older than this (source clock) when they would be sent are skipped: a receiver acts
  // on an event as it arrives, and a kettle switched on yesterday is no news (as MQTT's).
  static constexpr std::chrono::hours kEventBacklog{1};
  // Backoff after failed requests: 1 s doubling to 60 s, with jitter.
  static constexpr int64_t kRetryMinMs = 1000;
  static constexpr int64_t kRetryMaxMs = 60000;

  // `sampler` (its clock says which events are too old) and the event log must outlive the
  // service. The names of `config`'s inputs name the events.
  static std::unique_ptr<WebhookService> Start(const config::Config& config, const config::WebhookConfig& webhook,
                                               const Sampler& sampler, WebhookEventSource events);
  ~WebhookService();
  WebhookService(const WebhookService&) = delete;
  WebhookService& operator=(const WebhookService&) = delete;

  // Gives up a request in flight (its events stay undelivered) and joins the thread. Idempotent.
  void stop();
  WebhookStatus status() const;
  // The place in the event log up to which events were acknowledged: where the next service
  // (after a config change) goes on from.
  datalog::EventLogPosition events_after() const;

 private:
  WebhookService(const config::Config& config, const config::WebhookConfig& webhook, const Sampler& sampler,
                 WebhookEventSource events, std::unique_ptr<upload::Transport> transport,
                 std::shared_ptr<std::atomic<bool>> abort);
  void run();
  // One attempt; returns how long to wait before the next.
  std::chrono::milliseconds turn();
  std::chrono::milliseconds failed(const std::string& error);

  const config::WebhookConfig webhook_;
  const std::string device_;
  const std::vector<std::string> names_;  // by channel: the inputs' names
  const std::string where_;               // host:port, for messages
  const Sampler& sampler_;
  const datalog::EventLog* const events_;
  std::unique_ptr<upload::Transport> transport_;    // service thread only
  upload::Backoff backoff_;                         // service thread only
  std::string read_error_;                          // service thread only: the last event log error, logged once
  const std::shared_ptr<std::atomic<bool>> abort_;  // set by stop(): the transport gives up
  std::thread thread_;
  std::mutex wait_mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by wait_mu_
  mutable std::mutex status_mu_;
  WebhookStatus status_;                    // guarded by status_mu_
  datalog::EventLogPosition events_after_;  // guarded by status_mu_; written by the service thread only
};

}  // namespace iw::app
