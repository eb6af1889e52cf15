// The daemon's datalogs: records of every channel's cumulative counters, every 5 s in the
// "current" log and every 60 s in the "history" log, under <data dir>/datalog/.
//
// The sampling thread hands checkpoints over with offer(), which only queues them; a writer
// thread of its own appends, syncs and applies retention, so a slow or full disk never
// delays sampling. A record that cannot be written (disk full) is dropped and reported;
// because records hold cumulative counters, the next record that is written still carries
// every watt-hour, and logging resumes by itself when space returns.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "datalog/log.h"
#include "measure/engine.h"

namespace iw::app {

struct DatalogSettings {
  std::string data_dir;
  int64_t sync_interval_s = 60;        // loss window on a power cut; a crash loses nothing
  datalog::Retention current{2 * 366 * 86400, 0};  // 5 s data: two years (config `logdays`)
  datalog::Retention history{0, 0};                // 60 s data: forever
};

// A log written next to the current log, record for record (a logged integrator's).
struct NamedLog {
  std::string name;
  std::shared_ptr<datalog::Log> log;
};

struct DatalogStatus {
  std::string id;  // "Current", "History", or a logged integrator's name
  int64_t interval = 0;
  std::optional<int64_t> first_key, last_key;
  int64_t size = 0;
  uint64_t appended = 0;
  uint64_t dropped = 0;
  std::string error;  // last write error, empty when healthy
};

class DatalogService {
 public:
  static Result<std::unique_ptr<DatalogService>> Open(const DatalogSettings& settings,
                                                      const datalog::Layout& layout);
  ~DatalogService();
  DatalogService(const DatalogService&) = delete;
  DatalogService& operator=(const DatalogService&) = delete;

  // The newest record (current log, else history): the counters to continue from.
  std::optional<datalog::Record> resume_point() const;

  // Sampling thread. Queues checkpoints that fall on a 5 s boundary, with the records of the
  // side logs (side_logs() order) of the same time. Never waits for I/O.
  void offer(const measure::Checkpoint& checkpoint, std::vector<datalog::Record> side_records = {});

  void start();
  // Writes what is queued, syncs, and stops the writer thread.
  void stop();
  // Waits until everything queued so far is written (after the sampler stopped, before a
  // new configuration takes over), then records with `layout` and applies `settings`'
  // retention from now on. The data directory cannot change.
  void reconfigure(const datalog::Layout& layout, const DatalogSettings& settings);
  // Waits as reconfigure() does, then writes `logs` next to the current log from now on
  // (their records come with offer()); the current log's retention applies to them.
  void set_side_logs(std::vector<NamedLog> logs);

  std::vector<DatalogStatus> status() const;
  const datalog::Log& current() const { return *current_; }
  const datalog::Log& history() const { return *history_; }

 private:
  DatalogService(DatalogSettings settings, std::unique_ptr<datalog::Log> current,
                 std::unique_ptr<datalog::Log> history);
  struct Pending {
    datalog::Record record;
    std::vector<datalog::Record> side;
  };

  void run();
  void write(const Pending& pending);
  void wait_idle(std::unique_lock<std::mutex>& lock);
  void apply_retention(int64_t now);

  DatalogSettings settings_;
  std::unique_ptr<datalog::Log> current_;
  std::unique_ptr<datalog::Log> history_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;          // guarded by mu_
  std::vector<NamedLog> side_logs_;    // changed only while the writer is idle, under mu_
  std::map<std::string, std::string> side_errors_;  // guarded by mu_
  bool stopping_ = false;              // guarded by mu_
  bool writing_ = false;               // guarded by mu_: a record is out of the queue, not yet written
  std::condition_variable idle_;       // queue empty and nothing being written
  std::string current_error_, history_error_;  // guarded by mu_
  std::thread writer_;
  std::atomic<uint64_t> dropped_{0};
  int64_t last_retention_ = 0;  // writer thread only
  uint64_t stale_ = 0;          // writer thread only: records older than the newest
};

// <data dir>/datalog/current and .../history.
std::string current_log_dir(const std::string& data_dir);
std::string history_log_dir(const std::string& data_dir);

enum class DaemonLog { kCurrent, kHistory };

// Opens (creating its directory if needed) one of the daemon's logs for writing, with the
// 5 s / 60 s options, `layout` and `sync_interval_s`. Errors name the log.
Result<std::unique_ptr<datalog::Log>> open_daemon_log(const std::string& data_dir, DaemonLog which,
                                                      const datalog::Layout& layout,
                                                      int64_t sync_interval_s = 60);

// The record of a checkpoint at `time_s`: every channel's counters, and as monitored time the
// longest any channel was measured.
datalog::Record record_of(int64_t time_s, const std::vector<measure::ChannelCounters>& counters);

}  // namespace iw::app
