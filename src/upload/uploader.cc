#include "upload/uploader.h"

#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>

#include "base/files.h"

namespace iw::upload {
namespace {

// A cursor that cannot be read is renamed aside (kept for a look, never read again) before
// the next save replaces it. Says what happened to it.
std::string set_aside_cursor(const std::string& path) {
  Result<std::string> moved = set_aside(path);
  return moved ? "set aside as " + moved.value() : "not set aside (" + moved.error() + ")";
}

// Retry-After in seconds (the HTTP-date form is not used by InfluxDB); nullopt when absent.
std::optional<int64_t> retry_after_s(const HttpResponse& r) {
  for (const auto& [name, value] : r.headers) {
    if (name.size() != 11 || strncasecmp(name.c_str(), "Retry-After", 11) != 0) continue;
    int64_t s = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), s);
    if (ec == std::errc() && end == value.data() + value.size() && s >= 0) return s;
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(UploaderState state) {
  switch (state) {
    case UploaderState::kStarting:
      return "starting";
    case UploaderState::kBulk:
      return "bulk";
    case UploaderState::kLive:
      return "live";
    case UploaderState::kRetrying:
      return "retrying";
    case UploaderState::kRejected:
      return "rejected";
    case UploaderState::kStopped:
      return "stopped";
  }
  return "?";
}

int64_t align_down(int64_t t, int64_t interval) {
  const int64_t r = t % interval;
  return r < 0 ? t - r - interval : t - r;
}
int64_t align_up(int64_t t, int64_t interval) { return -align_down(-t, interval); }

int64_t start_point(std::optional<int64_t> cursor_next, std::optional<int64_t> server_last, int64_t interval,
                    int64_t begdate, std::optional<int64_t> first_record, int64_t now) {
  std::optional<int64_t> next;
  if (cursor_next) next = align_up(*cursor_next, interval);
  if (server_last) {
    const int64_t after_server = align_down(*server_last, interval) + interval;
    next = next ? std::max(*next, after_server) : after_server;
  }
  if (!next) next = begdate > 0 ? align_up(begdate, interval) : align_down(now, interval);
  if (begdate > 0) next = std::max(*next, align_up(begdate, interval));
  if (first_record) next = std::max(*next, align_down(*first_record, interval));
  return *next;
}

Uploader::Uploader(UploaderSettings settings, const Protocol& protocol, Transport& transport,
                   const IntervalSource& source, UploadPolicy* policy)
    : settings_(std::move(settings)),
      protocol_(protocol),
      transport_(transport),
      source_(source),
      policy_(policy ? *policy : default_policy_),
      backoff_(settings_.min_backoff_ms, settings_.max_backoff_ms, settings_.seed),
      budget_bytes_(settings_.max_request_bytes) {
  status_.name = settings_.name;
  status_.type = settings_.type;
  status_.interval_s = settings_.interval_s;
  status_.state = settings_.stopped ? UploaderState::kStopped : UploaderState::kStarting;
}

UploaderStatus Uploader::status() const {
  std::lock_guard lock(mu_);
  UploaderStatus s = status_;
  if (started_) {
    const int64_t last = source_.last_time().value_or(next_);
    s.backlog_s = std::max<int64_t>(0, last - next_);
    s.backlog_intervals = s.backlog_s / settings_.interval_s;
  }
  return s;
}

void Uploader::set_state(UploaderState state, std::string error) {
  std::lock_guard lock(mu_);
  status_.state = state;
  status_.last_error = std::move(error);
}

int64_t Uploader::step(int64_t now_ms) {
  if (settings_.stopped) return now_ms + 60000;  // a config change rebuilds the uploader
  if (now_ms < wake_ms_) return wake_ms_;
  wake_ms_ = started_ ? post(now_ms) : start(now_ms);
  return wake_ms_;
}

int64_t Uploader::start(int64_t now_ms) {
  const std::optional<int64_t> newest = source_.last_time();
  if (!newest) return now_ms + settings_.poll_ms * 4;  // no data yet: nothing to decide
  std::optional<int64_t> cursor_next;
  std::string note;
  if (auto c = load_cursor(settings_.cursor_path); !c) {
    note = c.error() + "; " + set_aside_cursor(settings_.cursor_path) + "; starting as without one";
    spdlog::warn("upload {}: {}", settings_.name, note);
  } else if (c.value() && c.value()->target == settings_.target) {
    cursor_next = c.value()->next;
    std::lock_guard lock(mu_);
    status_.last_sent = c.value()->last_sent;
  } else if (c.value()) {
    spdlog::info("upload {}: saved position belongs to another server or series ({}), not used", settings_.name,
                 c.value()->target);
  }
  std::optional<int64_t> server_last;
  if (auto request = protocol_.last_point_request()) {
    if (auto hold = policy_.hold_until_ms(now_ms)) return *hold;
    auto response = send(*request, now_ms);
    Result<std::optional<int64_t>> last =
        response ? protocol_.parse_last_point(response.value()) : Result<std::optional<int64_t>>(response.status());
    if (!last) {
      if (!cursor_next)
        return fail(now_ms, "last point query: " + last.error(), response ? &response.value() : nullptr);
      note = "last point query: " + last.error() + "; continuing from the saved position";
      spdlog::warn("upload {}: {}", settings_.name, note);
    } else {
      server_last = last.value();
    }
  }
  next_ = policy_.start_point(
      {cursor_next, server_last, settings_.interval_s, settings_.begdate, source_.first_time(), *newest});
  started_ = true;
  backoff_.reset();
  spdlog::info("upload {}: starting at {} (saved {}, server's last point {}), interval {} s", settings_.name, next_,
               cursor_next ? std::to_string(*cursor_next) : "none", server_last ? std::to_string(*server_last) : "none",
               settings_.interval_s);
  {
    std::lock_guard lock(mu_);
    status_.next = next_;
  }
  advance(next_, status().last_sent);
  set_state(UploaderState::kBulk, note);
  return now_ms;
}

void Uploader::advance(int64_t next, std::optional<int64_t> last_sent) {
  next_ = next;
  Status saved = save_cursor(settings_.cursor_path, Cursor{next, last_sent, settings_.target});
  std::lock_guard lock(mu_);
  status_.next = next;
  if (last_sent) status_.last_sent = last_sent;
  if (!saved) {
    // Not fatal: on a restart the server's last point covers what this save missed.
    spdlog::error("upload {}: cannot save position: {}", settings_.name, saved.message());
    status_.last_error = "cannot save position: " + saved.message();
  }
}

int64_t Uploader::post(int64_t now_ms) {
  const int64_t interval = settings_.interval_s;
  if (const auto oldest = policy_.oldest_accepted(); oldest && *oldest > next_) {
    spdlog::warn("upload {}: the server no longer accepts intervals before {}; {} s of data skipped", settings_.name,
                 *oldest, *oldest - next_);
    advance(*oldest, std::nullopt);
  }
  const std::optional<int64_t> newest = source_.last_time();
  const int64_t complete = newest ? std::max<int64_t>(0, (*newest - next_) / interval) : 0;
  if (complete < settings_.bulksend || complete == 0) {
    if (status().state != UploaderState::kRetrying && status().state != UploaderState::kRejected) {
      set_state(UploaderState::kLive, "");
    }
    return now_ms + settings_.poll_ms;
  }
  if (auto hold = policy_.hold_until_ms(now_ms)) return *hold;
  int64_t count = std::min({complete, settings_.max_intervals_per_request, settings_.max_scan_intervals});
  if (bytes_per_interval_ > 0) {
    count =
        std::clamp<int64_t>(static_cast<int64_t>(static_cast<double>(budget_bytes_) / bytes_per_interval_), 1, count);
  }
  auto batch = source_.read(next_, interval, count);
  if (!batch) return fail(now_ms, "reading the datalog: " + batch.error(), nullptr);
  std::vector<IntervalValues>& intervals = batch->intervals;
  if (intervals.empty()) {  // nothing measured there: move on without a request
    advance(batch->scanned_to, std::nullopt);
    return now_ms;
  }
  if (const size_t n = policy_.batch_length(intervals); n < intervals.size()) {
    intervals.resize(std::max<size_t>(n, 1));
    batch->scanned_to = intervals.back().end;
  }
  HttpRequest request = protocol_.post_request(intervals);
  while (request.body.size() > budget_bytes_ && intervals.size() > 1) {  // the estimate was low
    intervals.resize(intervals.size() / 2);
    batch->scanned_to = intervals.back().end;
    request = protocol_.post_request(intervals);
  }
  bytes_per_interval_ = static_cast<double>(request.body.size()) / static_cast<double>(intervals.size());
  if (!request.body.empty()) {
    auto response = send(request, now_ms);
    if (!response) return fail(now_ms, response.error(), nullptr);
    const PostVerdict verdict = protocol_.parse_post_response(response.value());
    if (verdict.outcome == PostOutcome::kRejected) return reject(now_ms, verdict.message);
    if (verdict.outcome == PostOutcome::kRetry) {
      if (response->status == 413 && intervals.size() > 1) {
        // Too large, not an outage: at once with at most half of it (each try halves, so
        // this ends). The lower budget stays for this run: the server's limit is learnt once.
        budget_bytes_ = std::max<size_t>(std::min(budget_bytes_, request.body.size()) / 2, 1);
        return now_ms;
      }
      return fail(now_ms, verdict.message, &response.value());
    }
  }
  if (backoff_.failures() > 0 || status().state == UploaderState::kRejected) {
    spdlog::info("upload {}: posting again", settings_.name);
  }
  backoff_.reset();
  advance(batch->scanned_to, intervals.back().begin);
  {
    std::lock_guard lock(mu_);
    status_.posts += 1;
    status_.intervals_sent += intervals.size();
  }
  const bool behind = newest && (*newest - next_) / interval >= std::max<int64_t>(settings_.bulksend, 2);
  set_state(behind ? UploaderState::kBulk : UploaderState::kLive, "");
  return now_ms;
}

Result<HttpResponse> Uploader::send(const HttpRequest& request, int64_t now_ms) {
  policy_.on_request(now_ms);
  auto response = transport_.send(request);
  if (response) policy_.on_answer(response.value(), now_ms);
  return response;
}

int64_t Uploader::fail(int64_t now_ms, const std::string& message, const HttpResponse* response) {
  int64_t wait = backoff_.next_ms();
  if (response) {
    if (auto ra = retry_after_s(*response)) wait = std::max(wait, std::min(*ra * 1000, backoff_.max_ms()));
  }
  if (backoff_.failures() == 1) spdlog::warn("upload {}: {}; retrying", settings_.name, message);
  set_state(started_ ? UploaderState::kRetrying : UploaderState::kStarting,
            message + " (retry " + std::to_string(backoff_.failures()) + " in " + std::to_string(wait / 1000) + " s)");
  return now_ms + wait;
}

int64_t Uploader::reject(int64_t now_ms, const std::string& message) {
  spdlog::error("upload {}: {}; not retried for {} minutes (or until the config changes)", settings_.name, message,
                settings_.rejected_retry_ms / 60000);
  set_state(UploaderState::kRejected, message);
  return now_ms + settings_.rejected_retry_ms;
}

}  // namespace iw::upload
