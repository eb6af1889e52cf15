// check and repair of a log directory (`iotawatt log check|repair`). check reads every slot of
// every segment and reports what a reader would see and what is damaged; repair makes the
// damage explicit (damaged slots become gaps, bad segments are set aside) and never changes a
// good record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"

namespace iw::datalog {

struct CheckOptions {
  size_t max_listed = 100;    // gaps and damaged slots listed in full; the rest only counted
  Env* env = Env::Default();  // the file layer (base/env.h); not owned
};

struct CheckReport {
  struct Segment {
    std::string file;
    int64_t start = 0;
    int64_t end = 0;  // effective, exclusive
    size_t channels = 0;
    int64_t file_bytes = 0;
    int64_t records = 0;
    int64_t damaged = 0;
    int64_t trailing_bytes = 0;
  };
  // Slots [from, to) hold no good record between two good records (outage, clock step, or
  // damaged slots: a reader sees all of them as missing data).
  struct Gap {
    int64_t from = 0;
    int64_t to = 0;
  };
  // A counter of `channel` lower in the record at `time` than in the record at `after`, the
  // previous one that holds the channel (datalog/record.h counters_decrease). Not damage: the
  // bytes are good and repair cannot change them (a log written before counters were resumed
  // per channel, or an import); queries treat the interval as a reset (no data).
  struct Decrease {
    size_t channel = 0;
    int64_t after = 0;
    int64_t time = 0;
  };
  struct Damaged {
    std::string file;
    int64_t offset = 0;  // byte offset of the slot in the file
    int64_t time = 0;    // the slot's time
  };

  std::string dir;
  int64_t interval_s = 0;
  std::vector<Segment> segments;
  std::vector<std::string> bad_headers;  // file and reason (repair renames them .damaged)
  std::vector<std::string> set_aside;    // .damaged files already in the directory
  std::vector<std::string> temp_files;   // unfinished segment creations (.tmp)
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  int64_t records = 0;
  int64_t gap_count = 0;
  int64_t gap_slots = 0;
  std::vector<Gap> gaps;  // the first max_listed
  int64_t damaged_count = 0;
  std::vector<Damaged> damaged;  // the first max_listed
  int64_t decrease_count = 0;
  std::vector<Decrease> decreases;   // the first max_listed
  int64_t trailing_bytes = 0;        // bytes after the last slot of segments
  std::vector<std::string> actions;  // what repair did

  // Damage that check exits non-zero for. Gaps are not damage (outages happen).
  bool damage_found() const { return damaged_count > 0 || !bad_headers.empty() || trailing_bytes > 0; }
};

// Reads the log in `dir` without changing it; safe while the daemon writes it (its newest
// record may then be missed).
Result<CheckReport> check(const std::string& dir, const CheckOptions& options = {});
// Checks, then: renames segments with a bad header to .damaged, zeroes damaged slots (a
// damaged slot at the end of a file is truncated away), truncates bytes after the last slot,
// removes .tmp files, and syncs. The report is the check before repair, with `actions`.
// REQUIRES: no writer: takes the log's LOCK and fails if the daemon holds it.
Result<CheckReport> repair(const std::string& dir, const CheckOptions& options = {});

// Human-readable report for the CLI.
std::string format_report(const CheckReport& report);

}  // namespace iw::datalog
