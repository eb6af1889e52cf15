#include "upload/interval_source.h"

namespace iw::upload {

std::optional<int64_t> LogIntervalSource::first_time() const {
  auto t = records_.first_time();
  return t ? t.value() : std::nullopt;
}

Result<IntervalBatch> LogIntervalSource::read(int64_t from, int64_t interval, int64_t count) const {
  IntervalBatch batch;
  batch.scanned_to = from;
  auto older = records_.at_or_before(from);
  if (!older) return older.status();
  for (int64_t k = 0; k < count; ++k) {
    const int64_t begin = from + k * interval;
    auto newer = records_.at_or_before(begin + interval);
    if (!newer) return newer.status();
    batch.scanned_to = begin + interval;
    if (older.value() && newer.value()) {
      const query::Interval span{&*older.value(), &*newer.value()};
      if (span.hours() > 0) {
        IntervalValues iv{begin, begin + interval, {}};
        iv.values.reserve(measurements_.size());
        for (const Measurement& m : measurements_) iv.values.push_back(m.series->value(span, m.unit));
        batch.intervals.push_back(std::move(iv));
      }
    }
    older = std::move(newer);
  }
  return batch;
}

}  // namespace iw::upload
