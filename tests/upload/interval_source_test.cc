// LogIntervalSource over synthetic records: an interval's value is read from the records at
// its two ends; a measurement with span_start (PVOutput's energy since local midnight) from
// the record standing for span_start(begin), as a query with that begin reads it.
#include <gtest/gtest.h>

#include <map>

#include "upload/interval_source.h"

namespace iw::upload {
namespace {

// A record every 10 s from `first` to `last`, monitored the whole time.
class EveryTenSeconds final : public query::RecordSource {
 public:
  int64_t first = 1000, last = 5000;
  Result<std::optional<datalog::Record>> at_or_before(int64_t t) const override {
    int64_t at = t < first ? first : std::min(last, t - (t - first) % 10);
    datalog::Record r;
    r.time = at;
    r.monitored_us = (at - first) * 1'000'000;
    return std::optional<datalog::Record>(r);
  }
  Result<std::optional<int64_t>> first_time() const override { return std::optional<int64_t>(first); }
};

// The seconds between an interval's two records.
class SpanSeconds final : public query::Series {
 public:
  const std::string& name() const override { return name_; }
  query::Unit unit() const override { return query::Unit::kWatts; }
  std::optional<double> value(const query::Interval& i, query::Unit) const override {
    return static_cast<double>(i.newer->time - i.older->time);
  }

 private:
  std::string name_ = "span";
};

TEST(LogIntervalSource, ASpanStartReadsFromItsOwnRecordAndTheIntervalFromItsEnds) {
  EveryTenSeconds records;
  std::vector<LogIntervalSource::Measurement> m;
  m.push_back({std::make_unique<SpanSeconds>(), query::Unit::kWatts, nullptr});
  // "Midnight" every 1000 s.
  m.push_back({std::make_unique<SpanSeconds>(), query::Unit::kWh, [](int64_t t) { return t - t % 1000; }});
  LogIntervalSource source(
      records, [&] { return std::optional<int64_t>(records.last); }, std::move(m));
  auto batch = source.read(1900, 50, 4);  // 1900..2100: crosses "midnight" at 2000
  ASSERT_TRUE(batch.ok()) << batch.error();
  ASSERT_EQ(batch->intervals.size(), 4u);
  EXPECT_EQ(batch->scanned_to, 2100);
  const std::map<int64_t, std::pair<double, double>> expected = {
      {1900, {50, 950}}, {1950, {50, 1000}}, {2000, {50, 50}}, {2050, {50, 100}}};
  for (const IntervalValues& iv : batch->intervals) {
    ASSERT_EQ(iv.values.size(), 2u);
    EXPECT_EQ(iv.values[0], expected.at(iv.begin).first) << iv.begin;
    EXPECT_EQ(iv.values[1], expected.at(iv.begin).second) << iv.begin;
  }
}

TEST(LogIntervalSource, ASpanBeforeTheFirstRecordStartsAtTheFirstRecord) {
  EveryTenSeconds records;
  records.first = 1500;
  std::vector<LogIntervalSource::Measurement> m;
  m.push_back({std::make_unique<SpanSeconds>(), query::Unit::kWh, [](int64_t t) { return t - t % 1000; }});
  LogIntervalSource source(
      records, [&] { return std::optional<int64_t>(records.last); }, std::move(m));
  auto batch = source.read(1500, 100, 2);
  ASSERT_TRUE(batch.ok()) << batch.error();
  ASSERT_EQ(batch->intervals.size(), 2u);
  EXPECT_EQ(batch->intervals[0].values[0], 100);  // 1000 is before the log: its first record
  EXPECT_EQ(batch->intervals[1].values[0], 200);
}

}  // namespace
}  // namespace iw::upload
