// The event log: step events (measure/step_event.h) kept durably in a directory of append-only
// segment files (EVENT_LOG_FORMAT.md). One writer (the daemon's event service) appends; any
// number of readers query by time and channel while it writes.
//
//   auto log = EventLog::Open(dir, {});
//   log.value()->append(events, now_s);                    // durable when it returns ok
//   auto read = log.value()->read(begin_ns, end_ns, 3, 1000);  // channel 3, time order
//   auto tail = log.value()->read_after(seen, min_ns, 100);    // what came since `seen`
//
// Durability: append() writes the events' records at the end of the active segment with one
// write and syncs the file (events are rare: a busy house makes a few thousand a day, far fewer
// syncs than the datalog's). A new segment is created as "<name>.tmp" with its header, synced,
// renamed and the directory synced, so a segment file never lacks its header. After a power cut
// or a crash, a segment ends at its last good record (a torn last record reads as the end).
// Damage is never a reason to delete or rewrite: a segment whose newest record is torn or
// damaged is left as it is and appends go to a new segment; readers take every record up to
// the first bad one of each segment and count what they could not read.
// Retention deletes whole segments, oldest first, when the log holds more than max_bytes or a
// segment's newest event is older than max_age_s; never the active segment.
//
// Following: a reader that forwards events (MQTT) keeps an EventLogPosition, a place in the
// append order, and asks read_after() for what was appended since. Append order, not time
// order: the detectors confirm a long transient after a short one that began later, so "newer
// than the last time seen" would miss the long one.
//
// Thread-safety: append() REQUIRES one caller at a time; read(), read_after(), end() and info()
// may run concurrently with it and with each other.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "measure/step_event.h"

namespace iw::datalog {

struct EventLogOptions {
  Env* env = Env::Default();
  int64_t max_bytes = int64_t{32} << 20;     // about 400 000 events
  int64_t max_age_s = int64_t{730} * 86400;  // two years
  int64_t segment_bytes = int64_t{1} << 20;  // an active segment is closed past this size
};

struct EventRead {
  std::vector<measure::StepEvent> events;  // time order (then channel)
  bool more = false;                       // the limit cut the answer short
  // Segments whose records could not all be read (a damaged or torn record and what follows it).
  uint64_t damaged_segments = 0;
};

// A place in the log's append order: just after the record that ends `offset` bytes into the
// segment numbered `segment`. Positions only grow, and one from end() or read_after() is always
// a record boundary. {0, 0} is before every event.
struct EventLogPosition {
  uint64_t segment = 0;  // the segment's sequence number (its file name)
  int64_t offset = 0;    // bytes of that segment before the position

  auto operator<=>(const EventLogPosition&) const = default;
};

struct EventTail {
  std::vector<measure::StepEvent> events;  // append order
  EventLogPosition next;                   // where the following read_after() starts
  uint64_t older = 0;                      // events passed over for being older than asked
  bool more = false;                       // the limit cut the answer short
};

struct EventLogInfo {
  size_t segments = 0;
  int64_t bytes = 0;
  uint64_t events = 0;
  std::optional<int64_t> first_ns, last_ns;  // oldest and newest event times
  uint64_t damaged_segments = 0;
  uint64_t other_files = 0;  // files that are not segments of this format (left alone)
};

class EventLog {
 public:
  // Opens `dir` for writing (created when missing), taking its LOCK: Unavailable when another
  // writer has it. Reads every segment once to index it (bounded by max_bytes); a file that is
  // not a segment of this format is reported in the returned log's info and left alone.
  static Result<std::unique_ptr<EventLog>> Open(const std::string& dir, const EventLogOptions& options);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends `events` (any time order) and syncs; then applies retention at `now_s`. On failure
  // (disk full, I/O error) the segment is cut back to its last good record where possible, the
  // error names the file, and a later append works once the cause is gone.
  Status append(std::span<const measure::StepEvent> events, int64_t now_s);
  // The events with begin_ns <= time_ns < end_ns, of `channel` when given, in time order, at
  // most `limit` of them (the earliest).
  Result<EventRead> read(int64_t begin_ns, int64_t end_ns, std::optional<uint16_t> channel, size_t limit) const;
  // Up to `limit` events appended after `after` whose time_ns >= min_ns, in append order. The
  // older ones are passed over and counted, not returned (a follower that was away skips what
  // is stale without paging through it). Events that retention deleted are gone: after such a
  // gap the answer starts at the oldest segment left.
  Result<EventTail> read_after(EventLogPosition after, int64_t min_ns, size_t limit) const;
  // The position after the newest acknowledged event: a follower that wants only what comes
  // later starts here.
  EventLogPosition end() const;
  EventLogInfo info() const;
  const std::string& dir() const { return dir_; }

 private:
  struct Segment {
    std::string name;   // file name in dir_
    int64_t bytes = 0;  // readable: header and good records (for the active one, what is synced)
    uint64_t events = 0;
    int64_t min_ns = 0, max_ns = 0;  // event times; meaningless while events == 0
    bool damaged = false;            // a bad or torn record follows the good ones
  };

  EventLog(std::string dir, EventLogOptions options, std::unique_ptr<FileLock> lock);
  Status load();
  Result<Segment> index(const std::string& name) const;
  Status start_segment();
  void note(Segment& segment, const measure::StepEvent& e) const;
  Status retain(int64_t now_s);

  const std::string dir_;
  const EventLogOptions options_;
  const std::unique_ptr<FileLock> lock_;
  std::unique_ptr<File> active_;  // writer only; null: the next append starts a segment
  mutable std::mutex mu_;
  std::vector<Segment> segments_;  // guarded by mu_; name order = creation order; back() may be active
  uint64_t not_segments_ = 0;      // guarded by mu_: files that are not segments of this format
};

}  // namespace iw::datalog
