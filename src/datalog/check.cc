#include "datalog/check.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include "datalog/format.h"
#include "datalog/scan.h"
#include "datalog/segment.h"

namespace iw::datalog {

namespace {

// The check's state: the report being built, the segments it covers, and what repair needs.
struct Scan {
  CheckReport report;
  DirScan dir;
  // Damaged slots per segment start, for repair: (first slot, count) runs.
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> damaged_runs;
};

// Turns what scan_slots finds into the report: record counts, gaps between good records (across
// segments), damaged slots listed up to max_listed and kept as runs for repair.
class CheckReporter final : public SlotReporter {
 public:
  CheckReporter(Scan* scan, const CheckOptions& options) : scan_(scan), options_(options) {}

  // Slots reported from now on are of `segment`, counted into `s`.
  void begin_segment(CheckReport::Segment* s) { segment_ = s; }
  std::optional<int64_t> last_good() const { return prev_; }

  void good(const Segment& seg, int64_t slot, const Record& record) override {
    CheckReport& r = scan_->report;
    const int64_t t = seg.slot_time(slot);
    ++segment_->records;
    check_counters(record);
    if (prev_ && t - *prev_ > r.interval_s) {
      ++r.gap_count;
      r.gap_slots += (t - *prev_) / r.interval_s - 1;
      if (r.gaps.size() < options_.max_listed) r.gaps.push_back({*prev_ + r.interval_s, t});
    }
    if (!r.first_time) r.first_time = t;
    prev_ = t;
  }

  // The invariant "a channel's counters never decrease across the log": each channel against
  // the last record that held it, whatever layouts lie between. One comparison per counter.
  void check_counters(const Record& record) {
    CheckReport& r = scan_->report;
    if (last_.size() < record.channels.size()) last_.resize(record.channels.size());
    for (size_t ch = 0; ch < record.channels.size(); ++ch) {
      if (!record.holds(ch)) continue;
      auto& last = last_[ch];
      if (last && counters_decrease(last->second, record.channels[ch])) {
        ++r.decrease_count;
        if (r.decreases.size() < options_.max_listed) r.decreases.push_back({ch, last->first, record.time});
      }
      last = std::make_pair(record.time, record.channels[ch]);
    }
  }

  void damaged(const Segment& seg, int64_t slot) override {
    CheckReport& r = scan_->report;
    ++segment_->damaged;
    if (r.damaged.size() < options_.max_listed) {
      r.damaged.push_back({seg.path(), seg.header().slot_offset(slot), seg.slot_time(slot)});
    }
    auto& runs = scan_->damaged_runs[seg.start()];
    if (!runs.empty() && runs.back().first + runs.back().second == slot) {
      ++runs.back().second;
    } else {
      runs.emplace_back(slot, 1);
    }
  }

 private:
  Scan* scan_;
  const CheckOptions& options_;
  CheckReport::Segment* segment_ = nullptr;
  std::optional<int64_t> prev_;  // last good record so far
  // Per channel: the time and counters of the last record that held it.
  std::vector<std::optional<std::pair<int64_t, measure::ChannelCounters>>> last_;
};

Result<Scan> run_check(const std::string& dir, const CheckOptions& options, bool writable) {
  auto listed = scan_dir(options.env, dir, writable);
  if (!listed.ok()) return listed.status();
  Scan scan;
  scan.dir = std::move(listed.value());
  CheckReport& r = scan.report;
  r.dir = dir;
  for (const auto& bad : scan.dir.bad_headers) r.bad_headers.push_back(bad.why.message());
  r.set_aside = scan.dir.set_aside;
  r.temp_files = scan.dir.temp_files;

  CheckReporter reporter(&scan, options);
  const SegmentMap& segments = scan.dir.segments;
  for (auto it = segments.begin(); it != segments.end(); ++it) {
    const Segment& seg = *it->second;
    if (r.interval_s == 0) r.interval_s = seg.interval();
    if (seg.interval() != r.interval_s) {
      return Status::Corruption("datalog " + dir + ": segment " + seg.path() + " has interval " +
                                std::to_string(seg.interval()) + " s, the others " + std::to_string(r.interval_s) +
                                " s");
    }
    const int64_t end = effective_end(segments, it);
    const int64_t slots = (end - seg.start()) / seg.interval();
    CheckReport::Segment s;
    s.file = seg.path();
    s.start = seg.start();
    s.end = end;
    s.channels = seg.header().layout.size();
    auto size = seg.file_size();
    if (!size.ok()) return size.status();
    s.file_bytes = size.value();
    s.trailing_bytes = std::max<int64_t>(0, s.file_bytes - seg.header().slot_offset(slots));
    reporter.begin_segment(&s);
    Status st = scan_slots(seg, slots, &reporter);
    if (!st.ok()) return st;
    r.records += s.records;
    r.damaged_count += s.damaged;
    r.trailing_bytes += s.trailing_bytes;
    r.segments.push_back(std::move(s));
  }
  r.last_time = reporter.last_good();
  return scan;
}

std::string span_text(int64_t seconds) {
  std::ostringstream out;
  if (seconds >= 86400) out << seconds / 86400 << "d ";
  if (seconds >= 3600) out << (seconds % 86400) / 3600 << "h ";
  if (seconds >= 60) out << (seconds % 3600) / 60 << "m ";
  out << seconds % 60 << "s";
  return out.str();
}

}  // namespace

Result<CheckReport> check(const std::string& dir, const CheckOptions& options) {
  auto scan = run_check(dir, options, false);
  if (!scan.ok()) return scan.status();
  return std::move(scan.value().report);
}

Result<CheckReport> repair(const std::string& dir, const CheckOptions& options) {
  Env* env = options.env;
  auto lock = env->lock_file(dir + "/LOCK");
  if (!lock.ok()) {
    if (lock.status().is_unavailable()) {
      return Status::Unavailable("datalog " + dir + " is in use by a writer (LOCK held); stop it first");
    }
    return lock.status();
  }
  auto scanned = run_check(dir, options, true);
  if (!scanned.ok()) return scanned.status();
  Scan& scan = scanned.value();
  CheckReport& r = scan.report;
  for (const auto& bad : scan.dir.bad_headers) {
    auto aside = set_aside_segment(env, bad.path);
    if (!aside.ok()) return aside.status();
    r.actions.push_back("renamed " + bad.path + " (bad header) to " + aside.value());
  }
  for (const std::string& path : scan.dir.temp_files) {
    if (env->remove(path).ok()) r.actions.push_back("removed unfinished " + path);
  }
  size_t i = 0;
  for (auto& [start, seg] : scan.dir.segments) {
    const CheckReport::Segment& s = r.segments[i++];
    const auto& runs = scan.damaged_runs[start];
    int64_t zeroed = 0;
    // Newest run first: a run that ends the file is truncated, which may make the run
    // before it end the file too.
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
      Status st = seg->clear_slots(run->first, run->second);
      if (!st.ok()) return st;
      zeroed += run->second;
    }
    if (zeroed > 0) {
      r.actions.push_back("cleared " + std::to_string(zeroed) + " damaged slot(s) in " + s.file +
                          " (they are gaps now)");
    }
    if (s.trailing_bytes > 0) {
      const int64_t slots = (s.end - s.start) / seg->interval();
      auto size = seg->file_size();
      if (!size.ok()) return size.status();
      const int64_t keep = seg->header().slot_offset(slots);
      if (size.value() > keep) {
        Status st = seg->truncate(keep);
        if (!st.ok()) return st;
        r.actions.push_back("truncated " + std::to_string(size.value() - keep) + " trailing byte(s) of " + s.file);
      }
    }
    if (zeroed > 0 || s.trailing_bytes > 0) {
      Status st = seg->sync();
      if (!st.ok()) return st;
    }
  }
  if (!r.actions.empty()) {
    Status st = env->sync_dir(dir);
    if (!st.ok()) return st;
  } else {
    r.actions.push_back("nothing to repair");
  }
  return std::move(r);
}

std::string format_report(const CheckReport& r) {
  std::ostringstream out;
  out << "datalog " << r.dir << ": " << r.segments.size() << " segment(s), interval " << r.interval_s << " s\n";
  if (r.first_time) {
    out << "  range " << *r.first_time << " .. " << *r.last_time << " (" << span_text(*r.last_time - *r.first_time)
        << "), " << r.records << " record(s)\n";
  } else {
    out << "  no records\n";
  }
  out << "  gaps: " << r.gap_count << " (" << r.gap_slots << " slot(s), " << span_text(r.gap_slots * r.interval_s)
      << ")\n";
  for (const auto& g : r.gaps) {
    out << "    " << g.from << " .. " << g.to << " (" << span_text(g.to - g.from) << ")\n";
  }
  if (static_cast<int64_t>(r.gaps.size()) < r.gap_count) {
    out << "    ... " << r.gap_count - static_cast<int64_t>(r.gaps.size()) << " more\n";
  }
  out << "  damaged records: " << r.damaged_count << "\n";
  for (const auto& d : r.damaged) {
    out << "    " << d.file << " offset " << d.offset << " (time " << d.time << ")\n";
  }
  if (static_cast<int64_t>(r.damaged.size()) < r.damaged_count) {
    out << "    ... " << r.damaged_count - static_cast<int64_t>(r.damaged.size()) << " more\n";
  }
  if (r.decrease_count > 0) {
    out << "  counter decreases: " << r.decrease_count << " (not damage: queries show those intervals as missing)\n";
  }
  for (const auto& d : r.decreases) {
    out << "    channel " << d.channel << " at " << d.time << " is below the record at " << d.after << "\n";
  }
  if (static_cast<int64_t>(r.decreases.size()) < r.decrease_count) {
    out << "    ... " << r.decrease_count - static_cast<int64_t>(r.decreases.size()) << " more\n";
  }
  if (r.trailing_bytes > 0) out << "  trailing bytes after last slots: " << r.trailing_bytes << "\n";
  for (const auto& b : r.bad_headers) out << "  bad segment: " << b << "\n";
  for (const auto& f : r.set_aside) out << "  set aside earlier: " << f << "\n";
  for (const auto& f : r.temp_files) out << "  unfinished segment: " << f << "\n";
  for (const auto& a : r.actions) out << "  repair: " << a << "\n";
  out << (r.damage_found() ? "  DAMAGE FOUND\n" : "  ok\n");
  return out.str();
}

}  // namespace iw::datalog
