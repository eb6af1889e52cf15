// The daemon's logging policy: which checkpoints become records of which log, what such a
// record holds, and when retention runs. The daemon keeps three kinds of logs:
//
//   current   a record at every checkpoint on the kCurrentIntervalS (5 s) grid
//   history   the current records that also fall on the kHistoryIntervalS (60 s) grid
//   side logs one record per current record, of the same time (a logged integrator's:
//             query/integrator_logs.h); their content comes from whoever feeds the recorder
//
// A record is never written out of order: a time at or before the current log's newest record
// (a replay of old samples, a clock stepped back, a log written ahead by a run with --speed > 1)
// is skipped, and said once. A record that cannot be written (disk full) is reported and
// dropped; because records hold cumulative counters, the next record that is written still
// carries every watt-hour, and logging resumes by itself when space returns.
//
// Retention runs at the first record and then once per kRetentionEveryS of record time.
//
//   Recorder recorder(std::move(current), std::move(history), settings);
//   if (auto r = Recorder::checkpoint_record(cp.time_ns, cp.counters)) recorder.write(*r, {});
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "datalog/log.h"
#include "datalog/record.h"
#include "datalog/settings.h"

namespace iw::datalog {

// Retention is applied when a record's time is this many seconds after the last application.
inline constexpr int64_t kRetentionEveryS = 3600;

// A log written next to the current log, record for record.
struct SideLog {
  std::string name;
  std::shared_ptr<Log> log;
};

// What a status page shows of one log.
struct LogStatus {
  std::string id;  // "Current", "History", or a side log's name
  int64_t interval = 0;
  std::optional<int64_t> first_key, last_key;
  int64_t size = 0;
  uint64_t appended = 0;
  std::string error;  // last write error, empty when healthy
};

// The record of a checkpoint at `time_s`: every channel's counters, and as monitored time the
// longest any channel was measured.
Record record_of(int64_t time_s, const std::vector<measure::ChannelCounters>& counters);

class Recorder {
 public:
  Recorder(std::unique_ptr<Log> current, std::unique_ptr<Log> history, const RecorderSettings& settings);
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Cadence, from any thread (cheap, no I/O). A checkpoint at `time_ns` (UNIX nanoseconds)
  // makes a record when it falls on the current log's grid: a whole multiple of
  // kCurrentIntervalS seconds.
  static bool makes_record(int64_t time_ns);
  // A current record at `time_s` also goes to the history log: it falls on the
  // kHistoryIntervalS grid. (Also for programs that write the logs themselves: seed, import.)
  static bool goes_to_history(int64_t time_s) { return time_s % kHistoryIntervalS == 0; }
  // The record of such a checkpoint, else nullopt.
  static std::optional<Record> checkpoint_record(int64_t time_ns,
                                                 const std::vector<measure::ChannelCounters>& counters);

  // ---- Writer. REQUIRES: one thread at a time (the daemon's datalog writer). ----

  // Writes `record` (from checkpoint_record) to the current log, to the history log when it is
  // on the history grid, and side[k] to side log k; then applies retention when it is due.
  // Errors are logged and kept for status(), never returned: measuring goes on.
  void write(const Record& record, std::span<const Record> side);
  // fdatasync every log (at shutdown).
  void sync();
  // Records from now on have `layout` and retention follows `settings` (sync_interval_s
  // applies to logs opened from now on).
  void reconfigure(const Layout& layout, const RecorderSettings& settings);
  // Writes `logs` next to the current log from now on; the current log's retention applies
  // to them.
  void set_side_logs(std::vector<SideLog> logs);

  // ---- Readers, from any thread. ----

  // The newest record (current log, else history): where the logs end.
  std::optional<Record> resume_point() const;
  // The counters to continue from, for channels [0, channel_count). Invariant: a channel's
  // counters never decrease across the datalog, whatever the config changes and restarts. So
  // each channel continues from the newest record that holds it (Record::holds): the newest
  // record, or for a channel it does not use (an input deleted, maybe before a restart) the
  // newest record of either log that does (Log::last_holding: segment headers are in memory,
  // so a channel no segment uses costs no read). A channel no record holds starts at zero.
  std::vector<measure::ChannelCounters> resume_counters(size_t channel_count) const;
  // Current, History, then the side logs.
  std::vector<LogStatus> status() const;
  const Log& current() const { return *current_; }
  const Log& history() const { return *history_; }

 private:
  // Appends and keeps the error state of `error` (guarded by mu_) up to date.
  void append(Log& log, const Record& record, std::string& error);
  void apply_retention(int64_t now);

  const std::unique_ptr<Log> current_;
  const std::unique_ptr<Log> history_;
  RecorderSettings settings_;  // writer only

  mutable std::mutex mu_;
  std::vector<SideLog> side_logs_;                  // changed under mu_ by the writer; read by the writer without it
  std::string current_error_, history_error_;       // guarded by mu_
  std::map<std::string, std::string> side_errors_;  // guarded by mu_; std::map: elements stay put

  int64_t last_retention_ = 0;  // writer only; 0: not yet
  uint64_t stale_ = 0;          // writer only: records at or before the newest
};

}  // namespace iw::datalog
