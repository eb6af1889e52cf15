#include "datalog/scan.h"

#include <algorithm>

#include "datalog/format.h"
#include "datalog/segment.h"

namespace iw::datalog {

namespace {

constexpr int64_t kBlockSlots = 1024;  // slots per pread

}  // namespace

Result<DirScan> scan_dir(Env* env, const std::string& dir, bool writable) {
  auto listed = env->list_dir(dir);
  if (!listed.ok()) return listed.status().with_context("cannot open datalog " + dir);
  std::vector<std::string> names = std::move(listed.value());
  std::sort(names.begin(), names.end());

  DirScan scan;
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    if (name.ends_with(format::kDamagedSuffix)) {
      scan.set_aside.push_back(path);
      continue;
    }
    if (name.ends_with(format::kTmpSuffix)) {
      scan.temp_files.push_back(path);
      continue;
    }
    int64_t start = 0;
    if (!format::parse_segment_name(name, &start)) continue;  // LOCK, SOURCE, anything else
    auto seg = Segment::Open(env, path, writable, 0);
    if (!seg.ok()) {
      // A bad header says the file is not a segment we can read; an I/O error says nothing
      // about its content, so nothing may be concluded (or renamed) from it.
      if (!seg.status().is_corruption()) return seg.status();
      scan.bad_headers.push_back({path, seg.status()});
      continue;
    }
    scan.segments.emplace(start, std::move(seg.value()));
  }
  return scan;
}

Result<std::string> set_aside_segment(Env* env, const std::string& path) {
  const std::string aside = path + std::string(format::kDamagedSuffix);
  Status st = env->rename(path, aside);
  if (!st.ok()) return st.with_context("cannot set a damaged segment aside");
  return aside;
}

int64_t effective_end(const SegmentMap& segments, SegmentMap::const_iterator it) {
  const auto next = std::next(it);
  const int64_t end = it->second->end();
  return next == segments.end() ? end : std::min(end, next->first);
}

Status scan_slots(const Segment& seg, int64_t slots, SlotReporter* reporter) {
  auto in_file = seg.slots_in_file();
  if (!in_file.ok()) return in_file.status();
  const int64_t last_slot = std::min(slots, in_file.value()) - 1;
  std::vector<uint8_t> buf;
  Record record;
  for (int64_t slot = 0; slot <= last_slot; slot += kBlockSlots) {
    const int64_t n = std::min(kBlockSlots, last_slot - slot + 1);
    Status st = seg.read_slots(slot, n, &buf);
    if (!st.ok()) return st;
    for (int64_t k = 0; k < n; ++k) {
      const uint8_t* p = buf.data() + k * seg.record_size();
      switch (format::decode_record(seg.header().layout, p, static_cast<size_t>(seg.record_size()),
                                    seg.slot_time(slot + k), &record)) {
        case format::SlotState::kEmpty:
          break;
        case format::SlotState::kGood:
          reporter->good(seg, slot + k, record);
          break;
        case format::SlotState::kDamaged:
          reporter->damaged(seg, slot + k);
          break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace iw::datalog
