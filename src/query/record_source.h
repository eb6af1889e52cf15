// Where a query reads the records at its group boundaries.
#pragma once

#include <cstdint>
#include <optional>

#include "base/status.h"
#include "datalog/record.h"

namespace iw::datalog {
class Log;
}

namespace iw::query {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The record that stands for the counters at time `t`: the newest record at or before t.
  // When there is none (t before the oldest record, or a gap longer than the logs' search
  // bound) it is the oldest record after t: clients ask begin=2000-01-01 and expect the oldest
  // data, and a group wholly before the data or inside the gap then reads the same record at
  // both ends and is missing. nullopt only when there are no records at all.
  virtual Result<std::optional<datalog::Record>> at_or_before(int64_t t) const = 0;
  // Time of the oldest record; nullopt when there is none.
  virtual Result<std::optional<int64_t>> first_time() const = 0;
};

// The daemon's two logs: "current" (5 s, kept for a while) and "history" (60 s, kept longer).
// A time the current log covers is read from it; an older one (or one in a gap longer than
// the current log's search bound) from the history log. Both logs hold the same cumulative
// counters, so one interval may take its two records from different logs.
// Either log may be null. The logs must outlive this object; reads are safe concurrently with
// the daemon's writer (datalog::Log's guarantee).
class LogRecordSource final : public RecordSource {
 public:
  LogRecordSource(const datalog::Log* current, const datalog::Log* history) : current_(current), history_(history) {}

  Result<std::optional<datalog::Record>> at_or_before(int64_t t) const override;
  Result<std::optional<int64_t>> first_time() const override;

 private:
  // The oldest record at or after t in either log.
  Result<std::optional<datalog::Record>> first_after(int64_t t) const;

  const datalog::Log* current_;
  const datalog::Log* history_;
};

}  // namespace iw::query
