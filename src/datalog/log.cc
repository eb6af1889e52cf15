// Opening, recovery, segment table, info and retention of a Log. append(): writer.cc; reads:
// reader.cc.
#include "datalog/log.h"

#include <algorithm>
#include <climits>
#include <mutex>

#include "datalog/format.h"
#include "datalog/scan.h"
#include "datalog/segment.h"

namespace iw::datalog {

Log::Log(std::string dir, LogOptions options, bool writable, std::unique_ptr<FileLock> lock)
    : dir_(std::move(dir)), options_(std::move(options)), writable_(writable), lock_(std::move(lock)) {}

Log::~Log() {
  // A destructor cannot report: a writer that must know its records are durable calls sync()
  // first. A failure here leaves the records written but unsynced, which loses them only to a
  // power cut, the loss window the log has anyway (LogOptions::sync_interval_s).
  if (writable_ && current_ && unsynced_) (void)current_.seg->sync();
  // lock_ is released last (members go in reverse order of declaration): no other writer
  // starts before this one's last write.
}

Result<std::unique_ptr<Log>> Log::Open(const std::string& dir, const LogOptions& options) {
  if (options.interval_s <= 0 || options.span_slots <= 0 || options.sync_interval_s < 0 ||
      options.interval_s > UINT32_MAX || options.span_slots > UINT32_MAX) {
    return Status::InvalidArgument("datalog " + dir + ": bad options (interval, span or sync interval)");
  }
  if (options.layout.size() > format::kMaxChannels) {
    return Status::InvalidArgument("datalog " + dir + ": more than 255 channels");
  }
  Env* env = options.env;
  Status st = env->make_dirs(dir, 0755);
  if (!st.ok()) return st;
  auto lock = env->lock_file(dir + "/LOCK");
  if (!lock.ok()) {
    if (lock.status().is_unavailable()) {
      return Status::Unavailable("datalog " + dir + " is in use by another writer (LOCK held)");
    }
    return lock.status();
  }
  std::unique_ptr<Log> log(new Log(dir, options, true, std::move(lock.value())));
  st = log->load_segments();
  if (!st.ok()) return st;
  st = log->recover_last();
  if (!st.ok()) return st;
  log->last_sync_time_ = log->last_time_.load();
  return log;
}

Result<std::unique_ptr<Log>> Log::OpenReadOnly(const std::string& dir, Env* env) {
  auto exists = env->exists(dir);
  if (!exists.ok()) return exists.status().with_context("cannot open datalog " + dir);
  if (!exists.value()) return Status::NotFound("cannot open datalog " + dir + ": No such file or directory");
  LogOptions options;
  options.interval_s = 0;
  options.span_slots = 0;
  options.env = env;
  std::unique_ptr<Log> log(new Log(dir, options, false, nullptr));
  Status st = log->load_segments();
  if (!st.ok()) return st;
  st = log->recover_last();
  if (!st.ok()) return st;
  return log;
}

Status Log::load_segments() {
  auto scanned = scan_dir(options_.env, dir_, writable_);
  if (!scanned.ok()) return scanned.status();
  SegmentMap segments = std::move(scanned.value().segments);
  std::vector<std::string> bad;
  for (const auto& [path, why] : scanned.value().bad_headers) {
    if (writable_) {
      auto aside = set_aside_segment(options_.env, path);
      if (!aside.ok()) return aside.status();
      bad.push_back(why.message() + " (renamed to " + aside.value() + ")");
    } else {
      bad.push_back(why.message() + " (skipped)");
    }
  }
  if (writable_) {
    // Segments whose creation did not finish: they hold a header at most, never a record.
    // Left in place if they cannot be removed; the next open tries again.
    for (const std::string& path : scanned.value().temp_files) (void)options_.env->remove(path);
  }
  if (writable_ && !bad.empty()) {
    Status st = options_.env->sync_dir(dir_);
    if (!st.ok()) return st;
  }
  // All segments of a log share interval and span.
  for (const auto& [start, seg] : segments) {
    if (options_.interval_s == 0) {
      options_.interval_s = seg->interval();
    } else if (seg->interval() != options_.interval_s) {
      return Status::InvalidArgument("datalog " + dir_ + ": segment " + seg->path() + " has interval " +
                                     std::to_string(seg->interval()) + " s, the log " +
                                     std::to_string(options_.interval_s) + " s; open it with its interval");
    }
  }
  if (options_.span_slots == 0) {
    for (const auto& [start, seg] : segments) {
      options_.span_slots = std::max(options_.span_slots, seg->slot_count());
    }
  } else {
    const int64_t span_s = options_.span_slots * options_.interval_s;
    for (const auto& [start, seg] : segments) {
      if (start / span_s != (seg->end() - 1) / span_s) {
        return Status::InvalidArgument("datalog " + dir_ + ": segment " + seg->path() + " does not fit a span of " +
                                       std::to_string(options_.span_slots) +
                                       " slots; open it with the span it was written with");
      }
    }
  }
  std::unique_lock lock(mu_);
  segments_ = std::move(segments);
  set_aside_ = std::move(bad);
  return Status::Ok();
}

Status Log::recover_last() {
  auto last = search_back(INT64_MAX / 2, INT64_MAX);
  if (!last.ok()) return last.status();
  last_time_.store(last.value() ? last.value()->time : kNone);
  return Status::Ok();
}

Log::SegRef Log::ref_of(std::map<int64_t, std::shared_ptr<Segment>>::const_iterator it) const {
  return SegRef{it->second, effective_end(segments_, it)};
}

Log::SegRef Log::segment_at_or_before(int64_t t) const {
  std::shared_lock lock(mu_);
  auto it = segments_.upper_bound(t);
  if (it == segments_.begin()) return {};
  return ref_of(std::prev(it));
}

Log::SegRef Log::segment_after(int64_t t) const {
  std::shared_lock lock(mu_);
  auto it = segments_.upper_bound(t);
  if (it != segments_.begin()) {
    SegRef ref = ref_of(std::prev(it));
    if (ref.end > t) return ref;
  }
  if (it == segments_.end()) return {};
  return ref_of(it);
}

Log::SegRef Log::newest() const {
  std::shared_lock lock(mu_);
  if (segments_.empty()) return {};
  return ref_of(std::prev(segments_.end()));
}

std::optional<int64_t> Log::last_time() const {
  const int64_t t = last_time_.load();
  if (t == kNone) return std::nullopt;
  return t;
}

int64_t Log::readable_until() const { return last_time_.load(); }

LogInfo Log::info() const {
  LogInfo info;
  {
    std::shared_lock lock(mu_);
    for (auto it = segments_.begin(); it != segments_.end(); ++it) {
      SegRef ref = ref_of(it);
      LogInfo::SegmentInfo s;
      s.path = ref.seg->path();
      s.start = ref.seg->start();
      s.end = ref.end;
      auto size = ref.seg->file_size();
      s.file_bytes = size.ok() ? size.value() : 0;
      s.channels = ref.seg->header().layout.size();
      info.total_bytes += s.file_bytes;
      info.segments.push_back(std::move(s));
    }
    info.set_aside = set_aside_;
  }
  info.last_time = last_time();
  if (auto f = first(); f.ok() && f.value()) info.first_time = f.value()->time;
  return info;
}

Result<RetentionReport> Log::retain(const Retention& policy, int64_t now) {
  if (!writable_) return Status::InvalidArgument("datalog " + dir_ + ": opened read-only");
  RetentionReport report;
  std::vector<std::shared_ptr<Segment>> doomed;
  {
    std::unique_lock lock(mu_);
    if (segments_.size() <= 1) return report;
    // The newest segment and the one holding the last record are kept whatever the policy.
    const int64_t last = last_time_.load();
    auto keep = [&](std::map<int64_t, std::shared_ptr<Segment>>::iterator it) {
      return std::next(it) == segments_.end() || (last != kNone && it->first <= last && last < ref_of(it).end);
    };
    std::vector<std::pair<int64_t, int64_t>> sizes;  // start, bytes
    int64_t total = 0;
    for (auto& [start, seg] : segments_) {
      auto size = seg->file_size();
      const int64_t bytes = size.ok() ? size.value() : 0;
      sizes.emplace_back(start, bytes);
      total += bytes;
    }
    for (const auto& [start, bytes] : sizes) {
      auto it = segments_.find(start);
      if (keep(it)) break;  // oldest first: nothing newer goes either
      const bool too_old = policy.max_age_s > 0 && ref_of(it).end <= now - policy.max_age_s;
      const bool too_big = policy.max_total_bytes > 0 && total > policy.max_total_bytes;
      if (!too_old && !too_big) break;
      doomed.push_back(it->second);
      total -= bytes;
      report.bytes_freed += bytes;
      segments_.erase(it);
    }
    if (!doomed.empty()) {
      std::lock_guard first_lock(first_mu_);
      first_cache_.reset();
      ++first_generation_;
    }
  }
  // Readers still holding a segment keep reading it through their descriptor.
  Status first_error;
  for (const auto& seg : doomed) {
    if (Status st = options_.env->remove(seg->path()); !st.ok() && first_error.ok()) first_error = st;
    report.deleted.push_back(seg->path());
  }
  if (!doomed.empty()) {
    Status st = options_.env->sync_dir(dir_);
    if (first_error.ok()) first_error = st;
  }
  if (!first_error.ok()) return first_error;
  return report;
}

}  // namespace iw::datalog
