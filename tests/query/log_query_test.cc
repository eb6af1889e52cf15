// The query engine over real datalogs: LogRecordSource choosing between the current and the
// history log, and Home Assistant's queries (protocols.md 1.3) end to end.
#include <gtest/gtest.h>

#include "datalog/datalog_testing.h"
#include "datalog/log.h"
#include "query/query_testing.h"
#include "query/record_source.h"
#include "query/runner.h"

namespace iw::query {
namespace {

using datalog::Log;
using datalog::Record;
using testing::kT0;

constexpr int64_t kLocalMidnight = kT0 - 3600;  // 2023-11-15T00:00 in UTC+1
constexpr int64_t kNow = kT0 + 6 * 3600;        // 07:00 local
constexpr int64_t kCurrentFrom = kNow - 2 * 3600;

// 5 s records from local midnight to kNow: 3 h of Main at 1000 W, then 4 h at 2000 W.
std::vector<Record> Day() {
  testing::RecordBuilder b(kLocalMidnight, 5);
  testing::Rates r;
  b.run(kLocalMidnight + 3 * 3600, r);
  r.main.watts = 2000;
  b.run(kNow, r);
  return b.records();
}

std::unique_ptr<Log> Write(const std::string& dir, datalog::LogOptions options, const std::vector<Record>& records) {
  options.sync_interval_s = 1 << 30;
  auto log = Log::Open(dir, options);
  EXPECT_TRUE(log.ok()) << log.error();
  if (!log.ok()) return nullptr;
  EXPECT_TRUE(log.value()->append_batch(records).ok());
  return std::move(log.value());
}

class LogQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Record> current, history;
    for (const auto& r : Day()) {
      if (r.time >= kCurrentFrom) current.push_back(r);
      if (r.time % 60 == 0) history.push_back(r);
    }
    current_ = Write(dir_.sub("current"), datalog::current_log_options(testing::TestLayout()), current);
    history_ = Write(dir_.sub("history"), datalog::history_log_options(testing::TestLayout()), history);
    ASSERT_TRUE(current_ && history_);
  }

  std::optional<Record> At(const RecordSource& source, int64_t t) {
    auto r = source.at_or_before(t);
    EXPECT_TRUE(r.ok()) << r.error();
    return r.ok() ? r.value() : std::nullopt;
  }

  // Runs `select` over [begin, end) with groups of `group_s` seconds (0: all), local UTC+1.
  std::string Query(const std::string& select, int64_t begin, int64_t end, int64_t group_s) {
    auto request = parse_query_request({{"select", select}, {"begin", "-"}, {"end", "-"}}, catalog_);
    EXPECT_TRUE(request.ok()) << request.error();
    if (!request.ok()) return "";
    QueryPlan plan{request.value(), begin, end, [=](int64_t t) { return group_s == 0 ? end : t + group_s; }, &zone_};
    std::string body;
    EXPECT_TRUE(run_query(plan, source_, [&](std::string_view s) {
                  body += s;
                  return true;
                }).ok());
    return body;
  }

  datalog::testing::TempDir dir_;
  std::unique_ptr<Log> current_, history_;
  LogRecordSource source_{nullptr, nullptr};
  SeriesCatalog catalog_ = SeriesCatalog::FromConfig(testing::TestConfig());
  testing::FixedOffsetZone zone_{3600};

  void UseBoth() { source_ = LogRecordSource(current_.get(), history_.get()); }
};

TEST_F(LogQueryTest, CurrentLogAnswersTheTimesItCovers) {
  UseBoth();
  EXPECT_EQ(At(source_, kNow - 5)->time, kNow - 5);  // a 5 s slot: from current
  EXPECT_EQ(At(source_, kCurrentFrom)->time, kCurrentFrom);
  EXPECT_EQ(At(source_, kNow + 3600)->time, kNow);  // after the end: the last record
}

TEST_F(LogQueryTest, OlderTimesComeFromHistory) {
  UseBoth();
  EXPECT_EQ(At(source_, kCurrentFrom - 5)->time, kCurrentFrom - 60);  // a 60 s slot
  EXPECT_EQ(At(source_, kT0 + 125)->time, kT0 + 120);
  EXPECT_EQ(At(source_, kLocalMidnight)->time, kLocalMidnight);
}

TEST_F(LogQueryTest, TimesBeforeTheDataReadTheOldestRecord) {
  UseBoth();
  auto r = At(source_, 946681200);  // 2000-01-01
  ASSERT_TRUE(r);
  EXPECT_EQ(r->time, kLocalMidnight);
  EXPECT_EQ(r->monitored_us, 0);
  EXPECT_EQ(source_.first_time().value(), kLocalMidnight);
}

TEST_F(LogQueryTest, OneLogOnly) {
  source_ = LogRecordSource(current_.get(), nullptr);
  EXPECT_EQ(At(source_, kT0)->time, kCurrentFrom);  // clamped to the current log's first
  EXPECT_EQ(At(source_, kNow - 5)->time, kNow - 5);
  EXPECT_EQ(source_.first_time().value(), kCurrentFrom);
  source_ = LogRecordSource(nullptr, history_.get());
  EXPECT_EQ(At(source_, kNow - 5)->time, kNow - 60);
  source_ = LogRecordSource(nullptr, nullptr);
  EXPECT_FALSE(At(source_, kNow));
  EXPECT_FALSE(source_.first_time().value());
}

TEST_F(LogQueryTest, EmptyCurrentLogFallsBackToHistory) {
  auto empty = Write(dir_.sub("empty"), datalog::current_log_options(testing::TestLayout()), {});
  source_ = LogRecordSource(empty.get(), history_.get());
  EXPECT_EQ(At(source_, kNow - 5)->time, kNow - 60);
  EXPECT_EQ(source_.first_time().value(), kLocalMidnight);
}

TEST_F(LogQueryTest, AGapLongerThanTheSearchBoundReadsTheRecordAfterIt) {
  auto options = datalog::current_log_options(testing::TestLayout());
  options.max_scan_slots = 10;  // 50 s
  const auto day = Day();
  std::vector<Record> records;
  for (const auto& r : day) {
    if (r.time <= kT0 || r.time >= kT0 + 600) records.push_back(r);  // a 600 s hole
  }
  auto log = Write(dir_.sub("gappy"), options, records);
  source_ = LogRecordSource(log.get(), nullptr);
  EXPECT_EQ(At(source_, kT0 + 30)->time, kT0);         // within the bound: before the hole
  EXPECT_EQ(At(source_, kT0 + 300)->time, kT0 + 600);  // beyond it: after the hole
  // So a group inside the hole is missing rather than averaged over the whole log.
  EXPECT_EQ(Query("[time.unix,Main.wh]", kT0 + 200, kT0 + 500, 100),
            "[[1700006600,null],[1700006700,null],[1700006800,null]]");
}

// protocols.md 1.3 item 4: the current values, begin=s-30s&end=s&group=30s.
TEST_F(LogQueryTest, HomeAssistantCurrentValues) {
  UseBoth();
  EXPECT_EQ(Query("[Voltage.volts,Main.watts,Total.watts,Solar.amps]", kNow - 30, kNow, 30), "[[240,2000,333,2.2]]");
}

// Item 5: today's energy, begin=d&end=s&group=all. Begin from history, end from current.
TEST_F(LogQueryTest, HomeAssistantIntegratedToday) {
  UseBoth();
  EXPECT_EQ(Query("[time.iso,Main.wh,Total.wh]", kLocalMidnight, kNow, 0), "[[\"2023-11-15T00:00:00\",11000,2331]]");
}

// Item 6: the energy since the last poll, UTC ISO begin and end 30 s apart, 3 decimals.
TEST_F(LogQueryTest, HomeAssistantIntervalEnergy) {
  UseBoth();
  const int64_t begin = kNow - 3600 + 45;
  EXPECT_EQ(Query("[time.iso,Main.wh.d3,Total.wh.d3]", begin, begin + 30, 0),
            "[[\"2023-11-15T06:00:45\",16.667,2.775]]");
}

// Item 8: lifetime energy from firstkey, or from 2000-01-01 (clamped to the oldest record).
TEST_F(LogQueryTest, HomeAssistantLifetimeEnergy) {
  UseBoth();
  EXPECT_EQ(Query("[time.iso,Main.wh.d3,Total.wh.d3]", 1600000000, kNow, 0), "[[\"2020-09-13T13:26:40\",11000,2331]]");
  EXPECT_EQ(Query("[time.iso,Main.wh.d3,Total.wh.d3]", 946681200, kNow, 0), "[[\"2000-01-01T00:00:00\",11000,2331]]");
  EXPECT_EQ(Query("[time.iso,Main.wh.d3,Total.wh.d3]", kLocalMidnight, kNow, 0),
            "[[\"2023-11-15T00:00:00\",11000,2331]]");
}

// Main (channel 1) deleted from 02:00 to 03:00 local, then added back by a version that
// restarted its counters from zero (a log from before counters were resumed per channel). The
// hours whose two records both hold Main's continuing counters answer; the hours with a record
// that does not hold Main, or whose counter went down, are missing (null), never negative.
TEST_F(LogQueryTest, AnIntervalWithADeletedOrResetChannelIsMissing) {
  const int64_t deleted = kLocalMidnight + 2 * 3600, readded = kLocalMidnight + 3 * 3600;
  datalog::Layout without_main = testing::TestLayout();
  without_main[1] = measure::ChannelKind::kUnused;
  auto options = datalog::current_log_options(testing::TestLayout());
  options.sync_interval_s = 1 << 30;
  datalog::testing::TempDir dir;
  auto log = Log::Open(dir.sub("reset"), options);
  ASSERT_TRUE(log.ok()) << log.error();
  measure::ChannelCounters base;
  for (Record r : Day()) {
    if (r.time == readded) base = r.channels[1];
    log.value()->set_layout(r.time > deleted && r.time < readded ? without_main : testing::TestLayout());
    if (r.time >= readded) {
      for (auto member :
           {&measure::ChannelCounters::wh_import, &measure::ChannelCounters::vah, &measure::ChannelCounters::varh,
            &measure::ChannelCounters::vh, &measure::ChannelCounters::ah}) {
        (r.channels[1].*member).set((r.channels[1].*member).micros() - (base.*member).micros());
      }
    }
    ASSERT_TRUE(log.value()->append(r).ok()) << r.time;
  }
  source_ = LogRecordSource(log.value().get(), nullptr);
  EXPECT_EQ(Query("[Main.wh]", kLocalMidnight, kLocalMidnight + 5 * 3600, 3600),
            "[[1000],[1000],[null],[2000],[2000]]");
  EXPECT_EQ(Query("[Main.wh]", kLocalMidnight + 5400, kLocalMidnight + 9000, 0), "[[null]]");   // ends without Main
  EXPECT_EQ(Query("[Main.wh]", kLocalMidnight + 9000, kLocalMidnight + 12600, 0), "[[null]]");  // begins without it
  EXPECT_EQ(Query("[Total.wh]", kLocalMidnight, kLocalMidnight + 5 * 3600, 3600), "[[333],[333],[333],[333],[333]]");
}

}  // namespace
}  // namespace iw::query
