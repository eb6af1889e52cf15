// Log::append and sync: one pwrite per record at the slot its time gives.
#include <cerrno>
#include <climits>
#include <mutex>
#include <span>

#include "datalog/format.h"
#include "datalog/log.h"
#include "datalog/segment.h"

namespace iw::datalog {

namespace {

std::string time_text(int64_t t) { return std::to_string(t); }

}  // namespace

Status Log::switch_segment(int64_t t) {
  // Everything written to the segment being left must be durable before the new one starts,
  // so a power cut never leaves a newer segment after a hole of unsynced records.
  if (current_ && unsynced_) {
    Status st = current_.seg->sync();
    if (!st.ok()) return st;
    unsynced_ = false;
    last_sync_time_ = last_time_.load();
    syncs_.fetch_add(1);
  }
  current_ = {};
  const int64_t span_s = options_.span_slots * options_.interval_s;
  const int64_t span_start = t / span_s * span_s;
  SegRef at = segment_at_or_before(t);
  if (at && t < at.end && at.seg->header().layout == options_.layout) {
    current_ = at;
    return Status::Ok();
  }
  // A new segment. It starts at the span boundary unless an existing segment covers part of
  // this span before t (a layout change or an empty newer segment): then it starts at t.
  int64_t start = span_start;
  if (at && at.seg->end() > span_start) start = t;
  const auto slots = static_cast<uint32_t>((span_start + span_s - start) / options_.interval_s);
  auto header = format::make_header(start, static_cast<uint32_t>(options_.interval_s), slots, options_.layout);
  auto seg = Segment::Create(options_.env, dir_, header);
  if (!seg.ok()) return seg.status();
  {
    std::unique_lock lock(mu_);
    auto it = segments_.emplace(start, std::move(seg.value())).first;
    current_ = ref_of(it);
  }
  return Status::Ok();
}

Status Log::append(const Record& record) { return append_batch(std::span<const Record>(&record, 1)); }

Status Log::check_appendable(const Record& record, int64_t last) const {
  const int64_t t = record.time;
  if (t <= 0 || t % options_.interval_s != 0) {
    return Status::InvalidArgument("datalog " + dir_ + ": record time " + time_text(t) +
                                   " is not a positive multiple of the interval (" +
                                   std::to_string(options_.interval_s) + " s)");
  }
  if (last != kNone && t <= last) {
    return Status::InvalidArgument("datalog " + dir_ + ": record time " + time_text(t) +
                                   " is not after the last record (" + time_text(last) +
                                   "); the clock stepped back, the record is not written");
  }
  if (record.channels.size() != options_.layout.size()) {
    return Status::InvalidArgument("datalog " + dir_ + ": record has " + std::to_string(record.channels.size()) +
                                   " channels, the layout " + std::to_string(options_.layout.size()));
  }
  return Status::Ok();
}

Status Log::append_batch(std::span<const Record> records) {
  if (!writable_) return Status::InvalidArgument("datalog " + dir_ + ": opened read-only");
  constexpr size_t kMaxRun = 1024;  // records per pwrite
  size_t i = 0;
  while (i < records.size()) {
    // A run: records in consecutive slots of one segment, written with one pwrite.
    const int64_t t0 = records[i].time;
    Status st = check_appendable(records[i], last_time_.load());
    if (!st.ok()) return st;
    // A segment holds records of one layout: after set_layout() changed it, the next record
    // starts a new segment (a record encoded with another layout than its segment's header
    // would read back as damaged, and readers would skip it).
    if (!current_ || t0 < current_.seg->start() || t0 >= current_.end ||
        current_.seg->header().layout != options_.layout) {
      st = switch_segment(t0);
      if (!st.ok()) {
        append_errors_.fetch_add(1);
        return st;
      }
    }
    size_t j = i + 1;
    while (j < records.size() && j - i < kMaxRun && records[j].time == records[j - 1].time + options_.interval_s &&
           records[j].time < current_.end && records[j].channels.size() == options_.layout.size()) {
      ++j;
    }
    const auto size = static_cast<size_t>(current_.seg->record_size());
    encode_buf_.resize(size * (j - i));
    for (size_t k = i; k < j; ++k) {
      uint8_t* out = encode_buf_.data() + (k - i) * size;
      if (k == i && !started_ && (records[k].flags & kFlagStart) == 0) {
        // Mark the first record after start-up (once per open).
        Record marked = records[k];
        marked.flags |= kFlagStart;
        format::encode_record(options_.layout, marked, out);
      } else {
        format::encode_record(options_.layout, records[k], out);
      }
    }
    st = current_.seg->write_slots(current_.seg->slot_of(t0), static_cast<int64_t>(j - i), encode_buf_.data());
    if (!st.ok()) {
      append_errors_.fetch_add(1);
      return st;
    }
    const int64_t t = records[j - 1].time;
    started_ = true;
    unsynced_ = true;
    last_time_.store(t);
    appends_.fetch_add(j - i);
    bytes_written_.fetch_add(size * (j - i));
    i = j;
    if (last_sync_time_ == kNone) last_sync_time_ = t0 - options_.interval_s;
    if (t - last_sync_time_ >= options_.sync_interval_s) {
      st = sync();
      if (!st.ok()) {
        // The record is written (a crash of the process would not lose it); only its
        // durability against a power cut is in doubt. Say so: retrying the append is refused.
        return Status::IOError("record " + time_text(t) + " written but not synced: " + st.message());
      }
    }
  }
  return Status::Ok();
}

Status Log::sync() {
  if (!writable_) return Status::InvalidArgument("datalog " + dir_ + ": opened read-only");
  if (!current_ || !unsynced_) return Status::Ok();
  Status st = current_.seg->sync();
  if (!st.ok()) return st;
  unsynced_ = false;
  last_sync_time_ = last_time_.load();
  syncs_.fetch_add(1);
  return Status::Ok();
}

}  // namespace iw::datalog
