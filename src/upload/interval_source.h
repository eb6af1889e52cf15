// Where an uploader reads its intervals: the values of its measurements over [t, t + interval)
// from two datalog records. An interface so engine tests feed synthetic data.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "base/status.h"
#include "query/record_source.h"
#include "query/series.h"
#include "upload/protocol.h"

namespace iw::upload {

struct IntervalBatch {
  std::vector<IntervalValues> intervals;  // only intervals with monitored time, oldest first
  int64_t scanned_to = 0;                 // end of the last interval looked at
};

class IntervalSource {
 public:
  virtual ~IntervalSource() = default;
  // Time of the newest record (the end of the newest complete interval); nullopt: no data.
  virtual std::optional<int64_t> last_time() const = 0;
  // Time of the oldest record; nullopt: no data.
  virtual std::optional<int64_t> first_time() const = 0;
  // The intervals [from + k*interval, from + (k+1)*interval) for k < count. Intervals without
  // monitored time are left out (the original skips them too).
  virtual Result<IntervalBatch> read(int64_t from, int64_t interval, int64_t count) const = 0;
};

// Over the daemon's logs: values are those `iotawatt query` gives for the same intervals.
// `records` and the function must outlive this object.
class LogIntervalSource final : public IntervalSource {
 public:
  struct Measurement {
    std::unique_ptr<query::Series> series;
    query::Unit unit;
    // Null: the value covers the interval [begin, end). Otherwise it covers
    // [span_start(begin), end), read from the record standing for span_start(begin) as a
    // query with that begin reads it (PVOutput's energy since local midnight).
    std::function<int64_t(int64_t)> span_start;
  };
  LogIntervalSource(const query::RecordSource& records, std::function<std::optional<int64_t>()> last_time,
                    std::vector<Measurement> measurements)
      : records_(records), last_time_(std::move(last_time)), measurements_(std::move(measurements)) {}

  std::optional<int64_t> last_time() const override { return last_time_(); }
  std::optional<int64_t> first_time() const override;
  Result<IntervalBatch> read(int64_t from, int64_t interval, int64_t count) const override;

 private:
  // The record standing for time `t`, remembered for the next interval of the same span.
  Result<const datalog::Record*> span_record(int64_t t, std::optional<std::pair<int64_t, datalog::Record>>& memo) const;
  Result<std::optional<double>> value_of(const Measurement& m, const query::Interval& span, int64_t begin,
                                         std::optional<std::pair<int64_t, datalog::Record>>& memo) const;

  const query::RecordSource& records_;
  std::function<std::optional<int64_t>()> last_time_;
  std::vector<Measurement> measurements_;
};

}  // namespace iw::upload
