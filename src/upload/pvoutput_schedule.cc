#include "upload/pvoutput_schedule.h"

#include <algorithm>

#include "upload/pvoutput.h"

namespace iw::upload {
namespace {

constexpr int64_t kHour = 3600;

cctz::civil_day local_day(const query::TimeZone& zone, int64_t t) { return cctz::civil_day(zone.to_local(t)); }

}  // namespace

PvoutputLimits PvoutputLimits::for_account(bool donation) {
  return donation ? PvoutputLimits{300, 100, 90} : PvoutputLimits{60, 30, 14};
}

PvoutputSchedule::PvoutputSchedule(std::shared_ptr<const query::TimeZone> zone, int status_interval_s, bool donation)
    : zone_(std::move(zone)), interval_s_(status_interval_s), limits_(PvoutputLimits::for_account(donation)) {}

int64_t PvoutputSchedule::align_down(int64_t t) const {
  const cctz::civil_second local = zone_->to_local(t);
  const int64_t of_day = local.hour() * kHour + local.minute() * 60 + local.second();
  const cctz::civil_second boundary = cctz::civil_second(cctz::civil_day(local)) + (of_day - of_day % interval_s_);
  int64_t utc = zone_->to_utc(boundary);
  // In the repeated hour of a DST fall-back the boundary maps to its first instant, which is
  // still <= t; a boundary inside a spring-forward gap maps later, hence the loop.
  while (utc > t) utc -= interval_s_;
  return utc;
}

int64_t PvoutputSchedule::align_up(int64_t t) const {
  const int64_t down = align_down(t);
  if (down == t) return t;
  int64_t up = align_down(t + interval_s_);
  while (up < t) up += interval_s_;
  return up;
}

int64_t PvoutputSchedule::local_midnight(int64_t t) const {
  return zone_->to_utc(cctz::civil_second(local_day(*zone_, t)));
}

int64_t PvoutputSchedule::lookback_limit(int64_t now) const {
  return zone_->to_utc(cctz::civil_second(local_day(*zone_, now) - limits_.lookback_days));
}

int64_t PvoutputSchedule::start_point(const PvoutputStartInputs& in) const {
  const int64_t floor = std::max({lookback_limit(in.now), in.log_start, in.begdate});
  const int64_t after_last = (in.last_status && !in.reload) ? *in.last_status + interval_s_ : floor;
  return align_up(std::max(after_last, floor));
}

size_t PvoutputSchedule::batch_length(std::span<const IntervalValues> intervals) const {
  if (intervals.empty()) return 0;
  const cctz::civil_day first = local_day(*zone_, intervals.front().begin);
  const size_t most = std::min(intervals.size(), limits_.statuses_per_request);
  size_t n = 1;
  while (n < most && local_day(*zone_, intervals[n].begin) == first) ++n;
  return n;
}

std::optional<int64_t> PvoutputSchedule::wait_until(int64_t now) const {
  int64_t earliest = hold_until_;
  // Requests still inside the hour before `now`, oldest first.
  const auto window = std::find_if(sent_.begin(), sent_.end(), [now](int64_t t) { return t > now - kHour; });
  const auto in_window = static_cast<size_t>(sent_.end() - window);
  if (in_window >= static_cast<size_t>(limits_.requests_per_hour)) {
    // The request that must leave the window before another one may go.
    earliest =
        std::max(earliest, *(window + static_cast<std::ptrdiff_t>(in_window - limits_.requests_per_hour)) + kHour);
  }
  if (earliest <= now) return std::nullopt;
  return earliest;
}

void PvoutputSchedule::record_request(int64_t now) {
  sent_.push_back(now);
  while (!sent_.empty() && sent_.front() <= now - kHour) sent_.pop_front();
}

void PvoutputSchedule::observe(const HttpResponse& answer, int64_t now) {
  const std::optional<int64_t> reset = rate_limit_reset(answer);
  if (is_rate_limit_answer(answer)) {
    hold_until_ = std::max(hold_until_, reset && *reset > now ? *reset : now + kHour);
    return;
  }
  const auto remaining = find_header(answer, "X-Rate-Limit-Remaining");
  if (remaining && *remaining == "0" && reset && *reset > now) hold_until_ = std::max(hold_until_, *reset);
}

}  // namespace iw::upload
