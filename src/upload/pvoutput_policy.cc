#include "upload/pvoutput_policy.h"

#include <algorithm>

namespace iw::upload {

int64_t PvoutputPolicy::start_point(const StartInputs& in) const {
  PvoutputStartInputs s;
  s.last_status = in.server_last;
  s.now = unix_now_();
  s.log_start = in.first_record.value_or(in.newest_record);
  s.begdate = in.begdate;
  s.reload = reload_;
  const int64_t from_schedule = schedule_.start_point(s);
  if (reload_ || !in.cursor_next) return from_schedule;
  return std::max(from_schedule, schedule_.align_up(*in.cursor_next));
}

std::optional<int64_t> PvoutputPolicy::hold_until_ms(int64_t now_ms) const {
  const int64_t unix_now = unix_now_();
  const std::optional<int64_t> until = schedule_.wait_until(unix_now);
  if (!until) return std::nullopt;
  return now_ms + (*until - unix_now) * 1000;
}

std::optional<int64_t> PvoutputPolicy::oldest_accepted() const {
  return schedule_.align_up(schedule_.lookback_limit(unix_now_()));
}

void PvoutputPolicy::on_request(int64_t /*now_ms*/) { schedule_.record_request(unix_now_()); }

void PvoutputPolicy::on_answer(const HttpResponse& answer, int64_t /*now_ms*/) {
  schedule_.observe(answer, unix_now_());
}

}  // namespace iw::upload
