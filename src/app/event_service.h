// The daemon's event log under <data dir>/events/ (datalog/event_log.h), written by a thread of
// its own: the sampling thread hands the step events it confirms over with offer(), which only
// queues them, so a slow or full disk never delays sampling. An append that fails (disk full)
// is tried again every kRetry with what came meanwhile; events are dropped and counted only
// when the queue is full (kMaxQueued: days of a busy house) or at stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "datalog/event_log.h"
#include "measure/step_event.h"

namespace iw::app {

struct EventServiceStatus {
  datalog::EventLogInfo log;
  uint64_t written = 0;  // events appended by this run
  uint64_t dropped = 0;  // events the queue had no room for
  std::string error;     // the last append's error; empty once an append works again
};

class EventService {
 public:
  static constexpr size_t kMaxQueued = 10'000;
  static constexpr std::chrono::seconds kRetry{10};

  // <data dir>/events.
  static std::string dir_of(const std::string& data_dir);
  static Result<std::unique_ptr<EventService>> Open(const std::string& data_dir,
                                                    const datalog::EventLogOptions& options = {});
  ~EventService();
  EventService(const EventService&) = delete;
  EventService& operator=(const EventService&) = delete;

  void start();
  // Writes what is queued and stops the writer thread.
  void stop();
  // Sampling thread. Never waits for I/O.
  void offer(std::vector<measure::StepEvent> events);

  const datalog::EventLog& log() const { return *log_; }
  EventServiceStatus status() const;

 private:
  explicit EventService(std::unique_ptr<datalog::EventLog> log) : log_(std::move(log)) {}
  void run();
  // Appends; false when the log refused (the error is kept for status()).
  bool write(const std::vector<measure::StepEvent>& batch);

  const std::unique_ptr<datalog::EventLog> log_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<measure::StepEvent> queue_;  // guarded by mu_
  bool stopping_ = false;                 // guarded by mu_
  mutable std::mutex error_mu_;
  std::string error_;  // guarded by error_mu_
  std::thread writer_;
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace iw::app
