#include "query/record_source.h"

#include <limits>

#include "datalog/log.h"

namespace iw::query {

using datalog::Record;

namespace {

// The newest record of `log` at or before t. Group boundaries usually fall on a written slot:
// reading that one slot first costs one record, where the backward search reads a block.
Result<std::optional<Record>> read_at_or_before(const datalog::Log& log, int64_t t) {
  const std::optional<int64_t> last = log.last_time();
  if (!last) return std::optional<Record>();
  const int64_t interval = log.interval();
  int64_t slot = t < *last ? t : *last;
  if (interval > 0 && slot >= 0) {
    slot -= slot % interval;
    auto exact = log.read(slot);
    if (!exact.ok() || exact.value()) return exact;
  }
  return log.at_or_before(t);
}

}  // namespace

Result<std::optional<Record>> LogRecordSource::at_or_before(int64_t t) const {
  // The current log answers first: it has the finer records. It finds nothing at or before a
  // time before its first record, and that costs no read when no segment covers the time.
  for (const datalog::Log* log : {current_, history_}) {
    if (log == nullptr) continue;
    auto r = read_at_or_before(*log, t);
    if (!r.ok()) return r.status();
    if (r.value()) return r;
  }
  return first_after(t);
}

Result<std::optional<Record>> LogRecordSource::first_after(int64_t t) const {
  std::optional<Record> best;
  for (const datalog::Log* log : {current_, history_}) {
    if (log == nullptr) continue;
    Status st = log->scan(t, std::numeric_limits<int64_t>::max(), [&](const Record& r) {
      if (!best || r.time < best->time) best = r;
      return false;  // the first one is all we need
    });
    if (!st.ok()) return st;
  }
  return best;
}

Result<std::optional<int64_t>> LogRecordSource::first_time() const {
  auto r = first_after(0);
  if (!r.ok()) return r.status();
  if (!r.value()) return std::optional<int64_t>();
  return std::optional<int64_t>(r.value()->time);
}

}  // namespace iw::query
