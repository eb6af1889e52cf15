// A datalog: one directory of segment files holding a fixed-interval series of records of
// cumulative counters (format: FORMAT.md). One process writes (Open); any number of readers in
// that process can read concurrently with the writer, and other processes can open it read-only.
//
//   auto log = datalog::Log::Open(dir, options);   // recovers: continues after the last good record
//   log.value()->append(record);                   // one pwrite; refused if not after the last
//   auto r = log.value()->at_or_before(t);          // nearest good record at or before t
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "datalog/record.h"

namespace iw::datalog {

class Segment;

// The daemon's cadence (DESIGN.md): a record every 5 s in the "current" log and every 60 s in
// the "history" log. Every other place that needs these numbers names them.
inline constexpr int64_t kCurrentIntervalS = 5;
inline constexpr int64_t kHistoryIntervalS = 60;
// Every history record is also a current record (the recorder copies them; queries fall back
// from one log to the other on the same grid).
static_assert(kHistoryIntervalS % kCurrentIntervalS == 0);

struct LogOptions {
  int64_t interval_s = kCurrentIntervalS;
  // Slots per segment; segments are aligned to interval_s * span_slots. Must be the same for
  // the life of the log (it is checked against existing segments).
  int64_t span_slots = 17280;  // 1 day at 5 s. History log: 43200 (30 days at 60 s)
  // Layout of the records the writer appends. When it differs from the newest segment's, the
  // next append starts a new segment (the old records keep their layout).
  Layout layout;
  // fdatasync when a record's time is this many seconds after the last sync (0: every record).
  // A power cut loses at most the records of this many seconds; a process crash loses none.
  int64_t sync_interval_s = 60;
  // Bound of backwards searches (at_or_before, recovery within one segment), in slots.
  int64_t max_scan_slots = 17280 * 8;
  // Every file operation of the log goes through it (base/env.h); tests put a fault-injecting
  // one here. Not owned; must outlive the log.
  Env* env = Env::Default();
};

// The two logs of the daemon: 5 s "current" (1-day segments) and 60 s "history" (30-day).
inline LogOptions current_log_options(Layout layout) {
  LogOptions o;
  o.interval_s = kCurrentIntervalS;
  o.span_slots = 17280;
  o.layout = std::move(layout);
  return o;
}
inline LogOptions history_log_options(Layout layout) {
  LogOptions o;
  o.interval_s = kHistoryIntervalS;
  o.span_slots = 43200;
  o.layout = std::move(layout);
  o.max_scan_slots = 43200;
  return o;
}

// Current content of a log (cheap: no record scan).
struct LogInfo {
  struct SegmentInfo {
    std::string path;
    int64_t start = 0;
    int64_t end = 0;  // exclusive
    int64_t file_bytes = 0;
    size_t channels = 0;
  };
  std::vector<SegmentInfo> segments;
  std::optional<int64_t> first_time;  // first good record
  std::optional<int64_t> last_time;   // last good record
  int64_t total_bytes = 0;
  std::vector<std::string> set_aside;  // segments renamed .damaged when this log was opened
};

struct Retention {
  int64_t max_age_s = 0;        // delete segments that end at or before now - max_age_s (0: off)
  int64_t max_total_bytes = 0;  // then delete oldest segments until the total fits (0: off)
};

struct RetentionReport {
  std::vector<std::string> deleted;
  int64_t bytes_freed = 0;
};

class Log {
 public:
  // Opens (creating if needed) the log in `dir` for writing: takes dir/LOCK (fails when another
  // process holds it), removes stale .tmp files, renames segments with a bad header aside
  // (`.damaged`), and finds the last good record. Fails without changing anything when existing
  // segments have another interval or span than `options`.
  static Result<std::unique_ptr<Log>> Open(const std::string& dir, const LogOptions& options);
  // Opens an existing log for reading only (no lock; bad segments are skipped, not renamed).
  // interval_s and span_slots are taken from the segments. It sees the segments and the last
  // record as they were when opened.
  static Result<std::unique_ptr<Log>> OpenReadOnly(const std::string& dir, Env* env = Env::Default());
  ~Log();  // syncs (if writable) and closes
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  // ---- Writer. REQUIRES: external synchronization among append/sync/close/retain. ----

  // Writes `record` at its slot. Refused (the log is unchanged) when its time is not a positive
  // multiple of the interval, not after the last record (clock stepped back), or it does not
  // have one counter set per channel of the layout. A later time leaves a gap. On an I/O error
  // (disk full ...) the message names the file and the error; the log stays consistent and a
  // later append is tried afresh.
  Status append(const Record& record);
  // Appends records in order, consecutive slots with one pwrite (seeding, import). Each record
  // is checked as by append(); on the first error the records before it are written (see
  // last_time()) and the error is returned. Syncs as append() does, once per written run.
  Status append_batch(std::span<const Record> records);
  // fdatasync the segment being written: every record appended so far survives a power cut.
  Status sync();
  // Records appended from now on have `layout` (the inputs were reconfigured); the next append
  // starts a new segment when it differs from the segment being written.
  void set_layout(Layout layout) { options_.layout = std::move(layout); }
  // Deletes whole segments by age (relative to `now`, UNIX seconds) and then by total size,
  // oldest first. Never deletes the segment holding the last record; never touches .damaged.
  Result<RetentionReport> retain(const Retention& policy, int64_t now);

  // ---- Readers. Safe from any thread, concurrently with the writer. ----

  // The record at exactly time t; nullopt for a gap, a damaged record, or outside the log.
  Result<std::optional<Record>> read(int64_t t) const;
  // The nearest good record at or before t (t rounded down to the interval), searching back at
  // most max_scan_slots slots (missing segments are skipped for free).
  Result<std::optional<Record>> at_or_before(int64_t t) const;
  Result<std::optional<Record>> first() const;
  Result<std::optional<Record>> last() const;
  // The newest good record that holds counters for `channel` (Record::holds): the newest record
  // of the newest segment whose layout uses the channel. Segments that do not use it are passed
  // over by their header (in memory: no read); at most max_scan_slots slots are read in all.
  Result<std::optional<Record>> last_holding(size_t channel) const;
  // Calls `visit` for each good record with begin <= time <= end, in time order, until it
  // returns false. Reads in blocks.
  Status scan(int64_t begin, int64_t end, const std::function<bool(const Record&)>& visit) const;

  LogInfo info() const;
  const std::string& dir() const { return dir_; }
  int64_t interval() const { return options_.interval_s; }
  const LogOptions& options() const { return options_; }
  // Time of the last good record; nullopt when the log is empty.
  std::optional<int64_t> last_time() const;
  // Counters of the writer, for status pages.
  uint64_t appends() const { return appends_.load(); }
  uint64_t append_errors() const { return append_errors_.load(); }
  uint64_t syncs() const { return syncs_.load(); }
  uint64_t bytes_written() const { return bytes_written_.load(); }

 private:
  // A segment with its effective end (FORMAT.md: a later segment's start ends it).
  struct SegRef {
    std::shared_ptr<Segment> seg;
    int64_t end = 0;  // exclusive
    explicit operator bool() const { return seg != nullptr; }
  };

  Log(std::string dir, LogOptions options, bool writable, std::unique_ptr<FileLock> lock);
  Status load_segments();
  Status recover_last();
  SegRef ref_of(std::map<int64_t, std::shared_ptr<Segment>>::const_iterator it) const;
  SegRef segment_at_or_before(int64_t t) const;  // greatest start <= t (t may be past its end)
  SegRef segment_after(int64_t t) const;         // oldest effective end > t
  SegRef newest() const;
  Status switch_segment(int64_t t);
  Status check_appendable(const Record& record, int64_t last) const;
  // Newest good record at or before t, looking at no more than max_slots slots (skipping
  // missing ranges and the unwritten ends of files for free), in segments whose layout is
  // `wanted` (all when it is empty). No clamp to last_time_.
  Result<std::optional<Record>> search_back(int64_t t, int64_t max_slots,
                                            const std::function<bool(const Layout&)>& wanted = {}) const;
  // Newest good record of `ref`'s segment at or before t, reading at most *budget slots (the
  // slots read are taken off it).
  Result<std::optional<Record>> newest_in(const SegRef& ref, int64_t t, int64_t* budget) const;
  int64_t readable_until() const;  // last time a reader may look at

  const std::string dir_;
  LogOptions options_;
  const bool writable_;
  std::unique_ptr<FileLock> lock_;  // held by a writer
  std::vector<std::string> set_aside_;

  mutable std::shared_mutex mu_;  // guards segments_

  // The first record, found once: it changes only when retention deletes segments (or the
  // first append to an empty log, which is not cached).
  mutable std::mutex first_mu_;
  mutable std::optional<Record> first_cache_;             // guarded by first_mu_
  mutable uint64_t first_generation_ = 0;                 // guarded by first_mu_; +1 per retention
  std::map<int64_t, std::shared_ptr<Segment>> segments_;  // by start

  // Published after the record is written; readers never look past it (no torn reads).
  static constexpr int64_t kNone = INT64_MIN;
  std::atomic<int64_t> last_time_{kNone};

  // Writer state.
  SegRef current_;
  int64_t last_sync_time_ = kNone;
  bool unsynced_ = false;
  bool started_ = false;
  std::vector<uint8_t> encode_buf_;
  std::atomic<uint64_t> appends_{0};
  std::atomic<uint64_t> append_errors_{0};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<uint64_t> bytes_written_{0};
};

}  // namespace iw::datalog
