// When and how much the PVOutput uploader may send (firmware reference 7.5, protocols.md 5):
// PVOutput's rate limit (60 requests per hour, 300 in donation mode), batch size (30
// statuses per addbatchstatus.jsp, 100 in donation mode), how far back a status may be dated
// (14 days, 90 in donation mode), statuses aligned to the account's status interval in local
// time, and a batch never spanning two local dates (each status carries "energy today").
//
// Pure: the engine passes `now` in and asks. Not thread-safe; one schedule per uploader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>

#include "query/time_zone.h"
#include "upload/protocol.h"

namespace iw::upload {

struct PvoutputLimits {
  int requests_per_hour = 60;
  size_t statuses_per_request = 30;
  int lookback_days = 14;
  static PvoutputLimits for_account(bool donation);
};

// Where an upload starts, from what is known at start-up (all UNIX seconds).
struct PvoutputStartInputs {
  std::optional<int64_t> last_status;  // getstatus.jsp: the newest status PVOutput holds
  int64_t now = 0;
  int64_t log_start = 0;  // the first time the datalog covers
  int64_t begdate = 0;    // config: nothing before this (0: no floor)
  bool reload = false;    // config: start at the look-back limit whatever PVOutput holds
};

class PvoutputSchedule {
 public:
  // REQUIRES: status_interval_s divides a day (300, 600, 900).
  PvoutputSchedule(std::shared_ptr<const query::TimeZone> zone, int status_interval_s, bool donation);

  const PvoutputLimits& limits() const { return limits_; }
  int status_interval_s() const { return interval_s_; }

  // The status-interval boundary (local time, counted from local midnight) at or before /
  // at or after `t`.
  int64_t align_down(int64_t t) const;
  int64_t align_up(int64_t t) const;
  // Local midnight starting the local date of `t`: where "energy today" begins.
  int64_t local_midnight(int64_t t) const;
  // The oldest status time PVOutput accepts at `now`: local midnight `lookback_days` before
  // today. (The original meant this and, through an operator-precedence slip, computed ~0.)
  int64_t lookback_limit(int64_t now) const;

  // The first interval start to upload: after the last status, but not before the look-back
  // limit (always there when `reload`), the log's start or `begdate`; aligned up.
  int64_t start_point(const PvoutputStartInputs& in) const;

  // How many of `intervals` (consecutive, oldest first) the next addbatchstatus.jsp carries:
  // at most statuses_per_request, all of the first one's local date; 0 when empty.
  size_t batch_length(std::span<const IntervalValues> intervals) const;

  // Rate limit. nullopt: a request may go now; otherwise the earliest time one may.
  std::optional<int64_t> wait_until(int64_t now) const;
  // The engine calls this for every request it sends (getsystem, getstatus, posts) ...
  void record_request(int64_t now);
  // ... and this with every answer: X-Rate-Limit-Remaining 0 or a 403 "Exceeded number of
  // requests per hour" holds all requests until X-Rate-Limit-Reset (an hour when absent).
  void observe(const HttpResponse& answer, int64_t now);

 private:
  std::shared_ptr<const query::TimeZone> zone_;
  int interval_s_;
  PvoutputLimits limits_;
  std::deque<int64_t> sent_;  // request times within the last hour, oldest first
  int64_t hold_until_ = 0;    // from the server's own rate-limit answer
};

}  // namespace iw::upload
