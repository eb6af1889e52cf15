#include "datalog/check.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <sstream>

#include "datalog/format.h"
#include "datalog/segment.h"

namespace iw::datalog {

namespace {

constexpr int64_t kBlockSlots = 1024;

struct Scan {
  CheckReport report;
  std::map<int64_t, std::shared_ptr<Segment>> segments;
  std::vector<std::string> bad_paths;
  std::vector<std::string> tmp_paths;
  // Damaged slots per segment start, for repair: (first slot, count) runs.
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> damaged_runs;
};

Result<Scan> RunCheck(const std::string& dir, const CheckOptions& options, bool writable) {
  Scan scan;
  CheckReport& r = scan.report;
  r.dir = dir;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus("cannot open datalog", dir, errno);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    if (name.ends_with(format::kDamagedSuffix)) {
      r.set_aside.push_back(path);
      continue;
    }
    if (name.ends_with(format::kTmpSuffix)) {
      r.temp_files.push_back(path);
      scan.tmp_paths.push_back(path);
      continue;
    }
    int64_t start = 0;
    if (!format::ParseSegmentName(name, &start)) continue;
    bool bad = false;
    auto seg = Segment::Open(path, writable, 0, &bad);
    if (!seg.ok()) {
      if (!bad) return seg.status();
      r.bad_headers.push_back(seg.error());
      scan.bad_paths.push_back(path);
      continue;
    }
    scan.segments.emplace(start, std::move(seg.value()));
  }

  std::vector<uint8_t> buf;
  std::optional<int64_t> prev;  // last good record so far
  for (auto it = scan.segments.begin(); it != scan.segments.end(); ++it) {
    const Segment& seg = *it->second;
    if (r.interval_s == 0) r.interval_s = seg.interval();
    if (seg.interval() != r.interval_s) {
      return Status::Error("datalog " + dir + ": segment " + seg.path() + " has interval " +
                           std::to_string(seg.interval()) + " s, the others " +
                           std::to_string(r.interval_s) + " s");
    }
    auto next = std::next(it);
    const int64_t end = next == scan.segments.end() ? seg.end() : std::min(seg.end(), next->first);
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
    auto in_file = seg.slots_in_file();
    if (!in_file.ok()) return in_file.status();
    const int64_t last_slot = std::min(slots, in_file.value()) - 1;
    auto& runs = scan.damaged_runs[seg.start()];
    for (int64_t slot = 0; slot <= last_slot; slot += kBlockSlots) {
      const int64_t n = std::min(kBlockSlots, last_slot - slot + 1);
      Status st = seg.read_slots(slot, n, &buf);
      if (!st.ok()) return st;
      for (int64_t k = 0; k < n; ++k) {
        const int64_t t = seg.slot_time(slot + k);
        const uint8_t* p = buf.data() + k * seg.record_size();
        switch (format::DecodeRecord(seg.header().layout, p,
                                     static_cast<size_t>(seg.record_size()), t, nullptr)) {
          case format::SlotState::kEmpty:
            break;
          case format::SlotState::kGood:
            ++s.records;
            if (prev && t - *prev > r.interval_s) {
              ++r.gap_count;
              r.gap_slots += (t - *prev) / r.interval_s - 1;
              if (r.gaps.size() < options.max_listed) r.gaps.push_back({*prev + r.interval_s, t});
            }
            if (!r.first_time) r.first_time = t;
            prev = t;
            break;
          case format::SlotState::kDamaged:
            ++s.damaged;
            if (r.damaged.size() < options.max_listed) {
              r.damaged.push_back({seg.path(), seg.header().slot_offset(slot + k), t});
            }
            if (!runs.empty() && runs.back().first + runs.back().second == slot + k) {
              ++runs.back().second;
            } else {
              runs.emplace_back(slot + k, 1);
            }
            break;
        }
      }
    }
    r.records += s.records;
    r.damaged_count += s.damaged;
    r.trailing_bytes += s.trailing_bytes;
    r.segments.push_back(std::move(s));
  }
  r.last_time = prev;
  return scan;
}

std::string Span(int64_t seconds) {
  std::ostringstream out;
  if (seconds >= 86400) out << seconds / 86400 << "d ";
  if (seconds >= 3600) out << (seconds % 86400) / 3600 << "h ";
  if (seconds >= 60) out << (seconds % 3600) / 60 << "m ";
  out << seconds % 60 << "s";
  return out.str();
}

}  // namespace

Result<CheckReport> Check(const std::string& dir, const CheckOptions& options) {
  auto scan = RunCheck(dir, options, false);
  if (!scan.ok()) return scan.status();
  return std::move(scan.value().report);
}

Result<CheckReport> Repair(const std::string& dir, const CheckOptions& options) {
  const std::string lock_path = dir + "/LOCK";
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return ErrnoStatus("cannot open", lock_path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{lock_fd};
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    return Status::Error("datalog " + dir + " is in use by a writer (LOCK held); stop it first");
  }
  auto scanned = RunCheck(dir, options, true);
  if (!scanned.ok()) return scanned.status();
  Scan& scan = scanned.value();
  CheckReport& r = scan.report;
  for (const std::string& path : scan.bad_paths) {
    const std::string aside = path + std::string(format::kDamagedSuffix);
    if (::rename(path.c_str(), aside.c_str()) != 0) {
      return ErrnoStatus("cannot rename to " + aside + ":", path, errno);
    }
    r.actions.push_back("renamed " + path + " (bad header) to " + aside);
  }
  for (const std::string& path : scan.tmp_paths) {
    if (::unlink(path.c_str()) == 0) r.actions.push_back("removed unfinished " + path);
  }
  size_t i = 0;
  for (auto& [start, seg] : scan.segments) {
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
        r.actions.push_back("truncated " + std::to_string(size.value() - keep) +
                            " trailing byte(s) of " + s.file);
      }
    }
    if (zeroed > 0 || s.trailing_bytes > 0) {
      Status st = seg->sync();
      if (!st.ok()) return st;
    }
  }
  if (!r.actions.empty()) {
    Status st = SyncDir(dir);
    if (!st.ok()) return st;
  } else {
    r.actions.push_back("nothing to repair");
  }
  return std::move(r);
}

std::string FormatReport(const CheckReport& r) {
  std::ostringstream out;
  out << "datalog " << r.dir << ": " << r.segments.size() << " segment(s), interval "
      << r.interval_s << " s\n";
  if (r.first_time) {
    out << "  range " << *r.first_time << " .. " << *r.last_time << " ("
        << Span(*r.last_time - *r.first_time) << "), " << r.records << " record(s)\n";
  } else {
    out << "  no records\n";
  }
  out << "  gaps: " << r.gap_count << " (" << r.gap_slots << " slot(s), "
      << Span(r.gap_slots * r.interval_s) << ")\n";
  for (const auto& g : r.gaps) {
    out << "    " << g.from << " .. " << g.to << " (" << Span(g.to - g.from) << ")\n";
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
  if (r.trailing_bytes > 0) out << "  trailing bytes after last slots: " << r.trailing_bytes << "\n";
  for (const auto& b : r.bad_headers) out << "  bad segment: " << b << "\n";
  for (const auto& f : r.set_aside) out << "  set aside earlier: " << f << "\n";
  for (const auto& f : r.temp_files) out << "  unfinished segment: " << f << "\n";
  for (const auto& a : r.actions) out << "  repair: " << a << "\n";
  out << (r.damage_found() ? "  DAMAGE FOUND\n" : "  ok\n");
  return out.str();
}

}  // namespace iw::datalog
