// PVOutput's rules as an engine policy (policy.h) over PvoutputSchedule: no request before
// the rate limit allows it (our own sliding hour and the server's X-Rate-Limit answers),
// batches of at most statuses_per_request statuses of one local date, and a start never
// older than the look-back limit, on the account's status interval (local time).
#pragma once

#include <functional>

#include "upload/policy.h"
#include "upload/pvoutput_schedule.h"

namespace iw::upload {

class PvoutputPolicy final : public UploadPolicy {
 public:
  // `unix_now` is the wall clock (UNIX seconds) PVOutput's limits are reckoned in. `reload`:
  // start at the look-back limit whatever the server or the cursor says (config "reload").
  PvoutputPolicy(PvoutputSchedule schedule, bool reload, std::function<int64_t()> unix_now)
      : schedule_(std::move(schedule)), reload_(reload), unix_now_(std::move(unix_now)) {}

  // The later of the schedule's start (after the server's last status, not before the
  // look-back limit, the log or begdate) and the saved cursor; with `reload`, the schedule's
  // reload start. Aligned up to the status interval.
  int64_t start_point(const StartInputs& in) const override;
  std::optional<int64_t> hold_until_ms(int64_t now_ms) const override;
  void on_request(int64_t now_ms) override;
  void on_answer(const HttpResponse& answer, int64_t now_ms) override;
  // The look-back limit at the wall clock's now, on the status interval.
  std::optional<int64_t> oldest_accepted() const override;
  size_t batch_length(std::span<const IntervalValues> intervals) const override {
    return schedule_.batch_length(intervals);
  }

  const PvoutputSchedule& schedule() const { return schedule_; }

 private:
  PvoutputSchedule schedule_;
  bool reload_;
  std::function<int64_t()> unix_now_;
};

}  // namespace iw::upload
