// Log reads: pread-based, safe concurrently with the writer. Readers never look past the last
// record the writer published, so they never see a record being written.
#include <algorithm>
#include <climits>

#include "datalog/format.h"
#include "datalog/log.h"
#include "datalog/segment.h"

namespace iw::datalog {

namespace {

constexpr int64_t kBlockSlots = 256;  // slots per pread when scanning

int64_t floor_to(int64_t t, int64_t interval) {
  const int64_t r = t % interval;
  return r < 0 ? t - r - interval : t - r;
}

}  // namespace

Result<std::optional<Record>> Log::newest_in(const SegRef& ref, int64_t t, int64_t* budget) const {
  const Segment& seg = *ref.seg;
  auto in_file = seg.slots_in_file();
  if (!in_file.ok()) return in_file.status();
  int64_t slot = std::min(seg.slot_of(t), in_file.value() - 1);  // unwritten end: empty
  std::vector<uint8_t> buf;
  while (slot >= 0 && *budget > 0) {
    const int64_t n = std::min({kBlockSlots, slot + 1, *budget});
    const int64_t first = slot - n + 1;
    Status st = seg.read_slots(first, n, &buf);
    if (!st.ok()) return st;
    for (int64_t k = slot; k >= first; --k) {
      Record record;
      const uint8_t* p = buf.data() + (k - first) * seg.record_size();
      if (format::decode_record(seg.header().layout, p, static_cast<size_t>(seg.record_size()), seg.slot_time(k),
                                &record) == format::SlotState::kGood) {
        return std::optional<Record>(std::move(record));
      }
    }
    *budget -= n;
    slot = first - 1;
  }
  return std::optional<Record>();
}

Result<std::optional<Record>> Log::search_back(int64_t t, int64_t max_slots,
                                               const std::function<bool(const Layout&)>& wanted) const {
  if (options_.interval_s <= 0 || t < 0) return std::optional<Record>();
  const int64_t interval = options_.interval_s;
  t = floor_to(t, interval);
  int64_t budget = max_slots;
  while (budget > 0 && t >= 0) {
    SegRef ref = segment_at_or_before(t);
    if (!ref) break;
    if (t >= ref.end) t = ref.end - interval;  // a range no segment covers: nothing to read
    // A segment whose layout is not wanted is passed over by its header: no read, no budget.
    if (!wanted || wanted(ref.seg->header().layout)) {
      auto found = newest_in(ref, t, &budget);
      if (!found.ok() || found.value()) return found;
    }
    t = ref.seg->start() - interval;
  }
  return std::optional<Record>();
}

Result<std::optional<Record>> Log::read(int64_t t) const {
  const int64_t until = readable_until();
  if (until == kNone || t > until || t < 0 || t % options_.interval_s != 0) {
    return std::optional<Record>();
  }
  SegRef ref = segment_at_or_before(t);
  if (!ref || t >= ref.end) return std::optional<Record>();
  std::vector<uint8_t> buf;
  const int64_t slot = ref.seg->slot_of(t);
  Status st = ref.seg->read_slots(slot, 1, &buf);
  if (!st.ok()) return st;
  Record record;
  if (format::decode_record(ref.seg->header().layout, buf.data(), buf.size(), t, &record) != format::SlotState::kGood) {
    return std::optional<Record>();
  }
  return std::optional<Record>(std::move(record));
}

Result<std::optional<Record>> Log::at_or_before(int64_t t) const {
  const int64_t until = readable_until();
  if (until == kNone) return std::optional<Record>();
  return search_back(std::min(t, until), options_.max_scan_slots);
}

Result<std::optional<Record>> Log::last() const {
  const int64_t until = readable_until();
  if (until == kNone) return std::optional<Record>();
  return search_back(until, options_.max_scan_slots);
}

Result<std::optional<Record>> Log::last_holding(size_t channel) const {
  const int64_t until = readable_until();
  if (until == kNone) return std::optional<Record>();
  return search_back(until, options_.max_scan_slots, [channel](const Layout& layout) {
    return channel < layout.size() && layout[channel] != measure::ChannelKind::kUnused;
  });
}

Result<std::optional<Record>> Log::first() const {
  uint64_t generation = 0;
  {
    std::lock_guard lock(first_mu_);
    if (first_cache_) return first_cache_;
    generation = first_generation_;
  }
  // The scan walks the unwritten slots before the first record (up to a whole segment).
  std::optional<Record> found;
  Status st = scan(0, INT64_MAX, [&](const Record& r) {
    found = r;
    return false;
  });
  if (!st.ok()) return st;
  std::lock_guard lock(first_mu_);
  if (found && generation == first_generation_) first_cache_ = found;  // not if retention ran meanwhile
  return found;
}

Status Log::scan(int64_t begin, int64_t end, const std::function<bool(const Record&)>& visit) const {
  const int64_t until = readable_until();
  if (until == kNone || options_.interval_s <= 0) return Status::Ok();
  const int64_t interval = options_.interval_s;
  end = std::min(end, until);
  int64_t t = std::max<int64_t>(begin, 0);
  t = floor_to(t + interval - 1, interval);  // round up
  std::vector<uint8_t> buf;
  Record record;
  while (t <= end) {
    SegRef ref = segment_after(t);
    if (!ref) break;
    const Segment& seg = *ref.seg;
    t = std::max(t, seg.start());
    const int64_t stop = std::min(ref.end - interval, end);
    auto in_file = seg.slots_in_file();
    if (!in_file.ok()) return in_file.status();
    const int64_t last_slot = std::min(seg.slot_of(stop), in_file.value() - 1);
    for (int64_t slot = seg.slot_of(t); slot <= last_slot; slot += kBlockSlots) {
      const int64_t n = std::min(kBlockSlots, last_slot - slot + 1);
      Status st = seg.read_slots(slot, n, &buf);
      if (!st.ok()) return st;
      for (int64_t k = 0; k < n; ++k) {
        const uint8_t* p = buf.data() + k * seg.record_size();
        if (format::decode_record(seg.header().layout, p, static_cast<size_t>(seg.record_size()),
                                  seg.slot_time(slot + k), &record) == format::SlotState::kGood) {
          if (!visit(record)) return Status::Ok();
        }
      }
    }
    t = ref.end;
  }
  return Status::Ok();
}

}  // namespace iw::datalog
