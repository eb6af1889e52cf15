#include "datalog/event_log.h"

#include <algorithm>
#include <cstdio>

#include "datalog/event_record.h"

namespace iw::datalog {
namespace {

constexpr std::string_view kSuffix = ".iwe";
constexpr std::string_view kTmpSuffix = ".tmp";
constexpr size_t kNameDigits = 12;
// A segment file larger than this is not one this writer made (it closes them at
// segment_bytes plus one append); it is left alone, never read whole.
constexpr int64_t kMaxSegmentFileBytes = int64_t{64} << 20;

// "000000000007.iwe" for sequence number 7; segments are numbered in creation order.
std::string segment_name(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", static_cast<int>(kNameDigits), static_cast<unsigned long long>(seq));
  return std::string(buf) + std::string(kSuffix);
}

std::optional<uint64_t> parse_segment_name(const std::string& name) {
  if (name.size() != kNameDigits + kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  uint64_t seq = 0;
  for (size_t i = 0; i < kNameDigits; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    seq = seq * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return seq;
}

// Bytes [begin, min(size, end)) of the file at `path`.
Result<std::string> read_range(Env* env, const std::string& path, int64_t begin, int64_t end) {
  auto file = env->open_file(path, Env::OpenMode::kRead);
  if (!file) return file.status();
  auto size = file.value()->size();
  if (!size) return size.status();
  const int64_t n = std::max<int64_t>(0, std::min(size.value(), end) - begin);
  std::string bytes(static_cast<size_t>(n), '\0');
  size_t got = 0;
  Status st = file.value()->read_at(begin, reinterpret_cast<uint8_t*>(bytes.data()), bytes.size(), &got);
  if (!st.ok()) return st;
  bytes.resize(got);
  return bytes;
}

// Calls `visit(event, end)` for each good record from `at` (a record boundary) on, `end` being
// the offset just after it, while `visit` returns true; returns the offset the walk stopped at,
// and whether an unreadable record stopped it.
template <typename Visit>
size_t walk_records(const std::string& bytes, size_t at, bool* damaged, Visit visit) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  while (at < bytes.size()) {
    measure::StepEvent e;
    size_t used = 0;
    if (event_format::decode_record(data + at, bytes.size() - at, &e, &used) != event_format::RecordState::kGood) {
      *damaged = true;
      break;
    }
    if (!visit(e, at + used)) break;
    at += used;
  }
  return at;
}

bool event_before(const measure::StepEvent& a, const measure::StepEvent& b) {
  return a.time_ns != b.time_ns ? a.time_ns < b.time_ns : a.channel < b.channel;
}

// Sorts the answer and cuts it to the `limit` earliest events.
void keep_earliest(EventRead& read, size_t limit) {
  std::sort(read.events.begin(), read.events.end(), event_before);
  if (read.events.size() <= limit) return;
  read.events.resize(limit);
  read.more = true;
}

}  // namespace

EventLog::EventLog(std::string dir, EventLogOptions options, std::unique_ptr<FileLock> lock)
    : dir_(std::move(dir)), options_(options), lock_(std::move(lock)) {}

EventLog::~EventLog() = default;

Result<std::unique_ptr<EventLog>> EventLog::Open(const std::string& dir, const EventLogOptions& options) {
  if (options.segment_bytes <= 0 || options.max_bytes <= 0 || options.max_age_s <= 0) {
    return Status::InvalidArgument("event log: sizes and ages must be positive");
  }
  Env* env = options.env;
  if (Status st = env->make_dirs(dir, 0755); !st.ok()) return st.with_context("event log");
  auto lock = env->lock_file(dir + "/LOCK");
  if (!lock) return lock.status().with_context("event log " + dir);
  std::unique_ptr<EventLog> log(new EventLog(dir, options, std::move(lock.value())));
  if (Status st = log->load(); !st.ok()) return st.with_context("event log " + dir);
  return log;
}

Status EventLog::load() {
  Env* env = options_.env;
  auto names = env->list_dir(dir_);
  if (!names) return names.status();
  std::sort(names.value().begin(), names.value().end());
  for (const std::string& name : names.value()) {
    if (name.ends_with(kTmpSuffix)) {
      // A segment creation that did not finish: it never held an event.
      if (Status st = env->remove(dir_ + "/" + name); !st.ok()) return st;
      continue;
    }
    if (name == "LOCK") continue;
    if (!parse_segment_name(name)) {
      ++not_segments_;
      continue;
    }
    auto segment = index(name);
    if (!segment) {
      if (segment.status().code() != Status::Code::kCorruption) return segment.status();
      ++not_segments_;  // not ours or a bad header: left alone, never deleted
      continue;
    }
    segments_.push_back(std::move(segment.value()));
  }
  // Appends continue in the newest segment only when it ends with a good record: a torn tail
  // is left for readers to stop at, and new records go to a new segment.
  if (!segments_.empty() && !segments_.back().damaged && segments_.back().bytes < options_.segment_bytes) {
    auto file = env->open_file(dir_ + "/" + segments_.back().name, Env::OpenMode::kReadWrite);
    if (!file) return file.status();
    active_ = std::move(file.value());
  }
  return Status::Ok();
}

Result<EventLog::Segment> EventLog::index(const std::string& name) const {
  const std::string path = dir_ + "/" + name;
  auto bytes = read_range(options_.env, path, 0, kMaxSegmentFileBytes + 1);
  if (!bytes) return bytes.status();
  if (static_cast<int64_t>(bytes.value().size()) > kMaxSegmentFileBytes) {
    return Status::Corruption(path + ": larger than any event segment");
  }
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.value().data());
  if (Status st = event_format::check_segment_header(data, bytes.value().size()); !st.ok()) {
    return st.with_context(path);
  }
  Segment segment;
  segment.name = name;
  const size_t end = walk_records(bytes.value(), event_format::kSegmentHeaderBytes, &segment.damaged,
                                  [&](const measure::StepEvent& e, size_t) {
                                    note(segment, e);
                                    return true;
                                  });
  segment.bytes = static_cast<int64_t>(end);
  return segment;
}

void EventLog::note(Segment& segment, const measure::StepEvent& e) const {
  segment.min_ns = segment.events == 0 ? e.time_ns : std::min(segment.min_ns, e.time_ns);
  segment.max_ns = segment.events == 0 ? e.time_ns : std::max(segment.max_ns, e.time_ns);
  ++segment.events;
}

Status EventLog::start_segment() {
  Env* env = options_.env;
  uint64_t seq = 1;
  {
    std::lock_guard lock(mu_);
    if (!segments_.empty()) seq = *parse_segment_name(segments_.back().name) + 1;
  }
  const std::string name = segment_name(seq);
  const std::string path = dir_ + "/" + name;
  const std::string tmp = path + std::string(kTmpSuffix);
  auto file = env->open_file(tmp, Env::OpenMode::kTruncate, 0644);
  if (!file) return file.status();
  Status st = file.value()->append(event_format::segment_header());
  if (st.ok()) st = file.value()->sync();
  if (st.ok()) st = env->rename(tmp, path);
  if (st.ok()) st = env->sync_dir(dir_);
  if (!st.ok()) {
    (void)env->remove(tmp);
    return st;
  }
  active_ = std::move(file.value());
  Segment segment;
  segment.name = name;
  segment.bytes = static_cast<int64_t>(event_format::kSegmentHeaderBytes);
  std::lock_guard lock(mu_);
  segments_.push_back(std::move(segment));
  return Status::Ok();
}

Status EventLog::append(std::span<const measure::StepEvent> events, int64_t now_s) {
  if (events.empty()) return Status::Ok();
  std::string bytes;
  for (const measure::StepEvent& e : events) event_format::append_record(e, &bytes);
  int64_t end = 0;
  {
    std::lock_guard lock(mu_);
    if (active_ && segments_.back().bytes + static_cast<int64_t>(bytes.size()) > options_.segment_bytes) {
      active_.reset();
    }
    if (active_) end = segments_.back().bytes;
  }
  if (!active_) {
    if (Status st = start_segment(); !st.ok()) return st;
    end = static_cast<int64_t>(event_format::kSegmentHeaderBytes);
  }
  size_t done = 0;
  Status st = active_->write_at(end, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &done);
  if (st.ok()) st = active_->sync();
  if (!st.ok()) {
    // The records that were written are not acknowledged: cut them off so the segment ends
    // with its last good record again. When even that fails, the next append starts a new
    // segment and readers stop at the torn bytes.
    if (!active_->truncate(end).ok()) active_.reset();
    return st;
  }
  {
    std::lock_guard lock(mu_);
    Segment& segment = segments_.back();
    for (const measure::StepEvent& e : events) note(segment, e);
    segment.bytes = end + static_cast<int64_t>(bytes.size());
  }
  return retain(now_s);
}

Status EventLog::retain(int64_t now_s) {
  for (;;) {
    std::string victim;
    {
      std::lock_guard lock(mu_);
      if (segments_.size() < 2) return Status::Ok();  // never the active (newest) segment
      int64_t total = 0;
      for (const Segment& s : segments_) total += s.bytes;
      const Segment& oldest = segments_.front();
      const bool too_old = oldest.events > 0 && oldest.max_ns / 1'000'000'000 < now_s - options_.max_age_s;
      if (total <= options_.max_bytes && !too_old) return Status::Ok();
      victim = oldest.name;
      segments_.erase(segments_.begin());  // readers no longer look at it
    }
    if (Status st = options_.env->remove(dir_ + "/" + victim); !st.ok()) return st;
    (void)options_.env->sync_dir(dir_);
  }
}

Result<EventRead> EventLog::read(int64_t begin_ns, int64_t end_ns, std::optional<uint16_t> channel,
                                 size_t limit) const {
  std::vector<Segment> segments;
  {
    std::lock_guard lock(mu_);
    segments = segments_;
  }
  EventRead out;
  for (const Segment& s : segments) {
    if (s.damaged) ++out.damaged_segments;
    if (s.events == 0 || s.max_ns < begin_ns || s.min_ns >= end_ns) continue;
    auto bytes = read_range(options_.env, dir_ + "/" + s.name, 0, s.bytes);
    if (!bytes) {
      if (bytes.status().code() == Status::Code::kNotFound) continue;  // retention took it meanwhile
      return bytes.status();
    }
    bool damaged = false;
    walk_records(bytes.value(), event_format::kSegmentHeaderBytes, &damaged, [&](const measure::StepEvent& e, size_t) {
      if (e.time_ns >= begin_ns && e.time_ns < end_ns && (!channel || e.channel == *channel)) out.events.push_back(e);
      return true;
    });
    if (out.events.size() > 2 * limit) keep_earliest(out, limit);  // memory stays bounded by the limit
  }
  keep_earliest(out, limit);
  return out;
}

Result<EventTail> EventLog::read_after(EventLogPosition after, int64_t min_ns, size_t limit) const {
  std::vector<Segment> segments;
  {
    std::lock_guard lock(mu_);
    segments = segments_;
  }
  constexpr auto kHeader = static_cast<int64_t>(event_format::kSegmentHeaderBytes);
  EventTail out;
  out.next = after;
  for (const Segment& s : segments) {
    const uint64_t seq = *parse_segment_name(s.name);  // segments_ holds only well-named files
    if (seq < after.segment) continue;
    const int64_t start = seq == after.segment ? std::max(after.offset, kHeader) : kHeader;
    if (start >= s.bytes) {
      out.next = {seq, std::max(start, s.bytes)};
      continue;
    }
    if (start == kHeader && s.max_ns < min_ns) {  // all of it is older: counted from the index
      out.older += s.events;
      out.next = {seq, s.bytes};
      continue;
    }
    auto bytes = read_range(options_.env, dir_ + "/" + s.name, start, s.bytes);
    if (!bytes) {
      if (bytes.status().code() == Status::Code::kNotFound) continue;  // retention took it meanwhile
      return bytes.status();
    }
    bool damaged = false;
    walk_records(bytes.value(), 0, &damaged, [&](const measure::StepEvent& e, size_t end) {
      if (out.events.size() >= limit) {
        out.more = true;
        return false;
      }
      if (e.time_ns < min_ns) {
        ++out.older;
      } else {
        out.events.push_back(e);
      }
      out.next = {seq, start + static_cast<int64_t>(end)};
      return true;
    });
    if (out.more) return out;
    // The indexed bytes hold only good records; should one not read back, the follower goes
    // on past it rather than stop there for good (read() stops at it the same way).
    out.next = {seq, s.bytes};
  }
  return out;
}

EventLogPosition EventLog::end() const {
  std::lock_guard lock(mu_);
  if (segments_.empty()) return {};
  return {*parse_segment_name(segments_.back().name), segments_.back().bytes};
}

EventLogInfo EventLog::info() const {
  std::lock_guard lock(mu_);
  EventLogInfo info;
  info.segments = segments_.size();
  info.other_files = not_segments_;
  for (const Segment& s : segments_) {
    info.bytes += s.bytes;
    info.events += s.events;
    if (s.damaged) ++info.damaged_segments;
    if (s.events == 0) continue;
    info.first_ns = info.first_ns ? std::min(*info.first_ns, s.min_ns) : s.min_ns;
    info.last_ns = info.last_ns ? std::max(*info.last_ns, s.max_ns) : s.max_ns;
  }
  return info;
}

}  // namespace iw::datalog
