#include "upload/interval_source.h"

namespace iw::upload {

using SpanMemo = std::optional<std::pair<int64_t, datalog::Record>>;

std::optional<int64_t> LogIntervalSource::first_time() const {
  auto t = records_.first_time();
  return t ? t.value() : std::nullopt;
}

Result<const datalog::Record*> LogIntervalSource::span_record(int64_t t, SpanMemo& memo) const {
  if (memo && memo->first == t) return &memo->second;
  auto record = records_.at_or_before(t);
  if (!record) return record.status();
  if (!record.value()) return static_cast<const datalog::Record*>(nullptr);
  memo.emplace(t, std::move(*record.value()));
  return &memo->second;
}

Result<std::optional<double>> LogIntervalSource::value_of(const Measurement& m, const query::Interval& span,
                                                          int64_t begin, SpanMemo& memo) const {
  if (!m.span_start) return m.series->value(span, m.unit);
  auto from = span_record(m.span_start(begin), memo);
  if (!from) return from.status();
  if (!from.value()) return std::optional<double>();
  return m.series->value(query::Interval{from.value(), span.newer}, m.unit);
}

Result<IntervalBatch> LogIntervalSource::read(int64_t from, int64_t interval, int64_t count) const {
  IntervalBatch batch;
  batch.scanned_to = from;
  auto older = records_.at_or_before(from);
  if (!older) return older.status();
  SpanMemo memo;  // one long span (a local date) serves many intervals
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
        for (const Measurement& m : measurements_) {
          auto value = value_of(m, span, begin, memo);
          if (!value) return value.status();
          iv.values.push_back(value.value());
        }
        batch.intervals.push_back(std::move(iv));
      }
    }
    older = std::move(newer);
  }
  return batch;
}

}  // namespace iw::upload
