// <data dir>/datalog/STOP: every channel's counters at the daemon's last checkpoint before a
// clean stop, so that the next start continues from them instead of from the newest record,
// which is up to an interval (5 s) older. Resuming from that record dropped the energy measured
// after it at every restart and set the counters that /metrics and MQTT publish back, which a
// Prometheus scrape reads as a counter reset (increase() then counts the whole total again).
//
// The file is a one-slot segment (FORMAT.md, "The stop record"): a segment header with
// interval 1 s whose start is the checkpoint's time, then that slot's record. Both carry their
// CRCs, so a torn or foreign file is refused, never half read.
//
// Invariant kept: counters never decrease across the datalog. The stop record is used only when
// it is newer than every record (later_than_newest), and then it is the newest thing known of
// each channel it holds. A stop record older than the newest record (the daemon ran and wrote
// records since, and was killed rather than stopped) says nothing and is ignored; so it needs
// no deleting.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "datalog/record.h"

namespace iw::datalog {

// The path of the stop record in `datalog_dir` (<data dir>/datalog).
std::string stop_record_path(const std::string& datalog_dir);

// Replaces the stop record atomically (write, sync, rename, directory sync). `record.time` is
// the checkpoint's UNIX second; `record.channels` are cut or padded to the layout's size, and
// each counter is rounded up to a whole micro-unit (a record holds no fraction of one), so a
// counter resumed from it never reads below the last value published: at most 1e-6 Wh more
// per clean restart.
Status write_stop_record(const std::string& datalog_dir, const Layout& layout, Record record);

// nullopt when there is none; an error naming the file when it cannot be read or is damaged.
Result<std::optional<Record>> read_stop_record(const std::string& datalog_dir);

// Whether `stop` should be resumed from rather than `newest`, the newest record of the logs.
inline bool later_than_newest(const Record& stop, const std::optional<Record>& newest) {
  return !newest || stop.time > newest->time;
}

}  // namespace iw::datalog
