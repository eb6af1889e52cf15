// The invariant "a channel's counters never decrease across the datalog, whatever the config
// changes and restarts": a channel a newer layout does not use continues, after a restart, from
// the newest record that held it (Log::last_holding, Recorder::resume_counters), and `check`
// reports a counter that does decrease.
#include <gtest/gtest.h>

#include "datalog/check.h"
#include "datalog/datalog_testing.h"
#include "datalog/log.h"
#include "datalog/recorder.h"

namespace iw::datalog {
namespace {

using K = measure::ChannelKind;
using testing::MakeRecord;
using testing::TempDir;
using testing::TestLayout;
constexpr int64_t kT0 = 1700006400;  // a multiple of 86400, as the other datalog tests

// TestLayout with channel 2 (a CT) deleted.
Layout Without2() {
  Layout layout = TestLayout();
  layout[2] = K::kUnused;
  return layout;
}

LogOptions Options(const Layout& layout) { return current_log_options(layout); }

std::unique_ptr<Log> OpenOrDie(const std::string& dir, const LogOptions& o) { return testing::OpenQuietOrDie(dir, o); }

// Appends MakeRecord(layout, t) for t in [from, to], every 5 s.
void Append(Log& log, const Layout& layout, int64_t from, int64_t to) {
  log.set_layout(layout);
  for (int64_t t = from; t <= to; t += 5) ASSERT_TRUE(log.append(MakeRecord(layout, t)).ok()) << t;
}

// Channel 2 in [kT0 + 5, kT0 + 50], deleted in [kT0 + 55, kT0 + 100], back at kT0 + 105 (from
// zero when `from_zero`, as before counters were resumed per channel) until kT0 + 120.
void WriteDeletedAndAddedBack(const std::string& dir, bool from_zero) {
  auto log = OpenOrDie(dir, Options(TestLayout()));
  Append(*log, TestLayout(), kT0 + 5, kT0 + 50);
  Append(*log, Without2(), kT0 + 55, kT0 + 100);  // deleted: not a decrease
  log->set_layout(TestLayout());
  Record back = MakeRecord(TestLayout(), kT0 + 105);
  if (from_zero) back.channels[2] = measure::ChannelCounters{};
  ASSERT_TRUE(log->append(back).ok());
  Append(*log, TestLayout(), kT0 + 110, kT0 + 120);
}

TEST(LastHolding, FindsTheNewestRecordOfTheNewestSegmentThatUsesTheChannel) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options(TestLayout()));
  Append(*log, TestLayout(), kT0 + 5, kT0 + 100);
  Append(*log, Without2(), kT0 + 105, kT0 + 200);  // a new segment: channel 2 deleted
  auto held = log->last_holding(2);
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(held.value());
  EXPECT_EQ(held.value()->time, kT0 + 100);
  EXPECT_TRUE(held.value()->holds(2));
  EXPECT_EQ(held.value()->channels[2].wh_import.micros(),
            MakeRecord(TestLayout(), kT0 + 100).channels[2].wh_import.micros());
  // A channel the newest segment uses: the newest record. One no segment uses: none.
  EXPECT_EQ(log->last_holding(1).value()->time, kT0 + 200);
  EXPECT_FALSE(log->last_holding(3).value());
  EXPECT_FALSE(log->last_holding(99).value());
  // The newest record does not hold channel 2; its zeros are not counters.
  EXPECT_FALSE(log->last().value()->holds(2));
}

TEST(LastHolding, ASegmentThatUsesTheChannelButHasNoRecordIsPassedOver) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options(TestLayout()));
  Append(*log, TestLayout(), kT0 + 5, kT0 + 50);
  Append(*log, Without2(), kT0 + 55, kT0 + 100);
  Append(*log, TestLayout(), kT0 + 105, kT0 + 105);
  EXPECT_EQ(log->last_holding(2).value()->time, kT0 + 105);
  log.reset();
  // Reopened read-only, as another process sees it.
  auto ro = Log::OpenReadOnly(dir.path());
  ASSERT_TRUE(ro.ok());
  EXPECT_EQ(ro.value()->last_holding(2).value()->time, kT0 + 105);
}

TEST(ResumeCounters, AChannelDeletedBeforeARestartContinuesFromItsLastRecord) {
  TempDir dir;
  {
    Recorder recorder(OpenOrDie(dir.sub("current"), Options(TestLayout())),
                      OpenOrDie(dir.sub("history"), history_log_options(TestLayout())), {});
    for (int64_t t = kT0 + 5; t <= kT0 + 300; t += 5) recorder.write(MakeRecord(TestLayout(), t), {});
    recorder.reconfigure(Without2(), {});
    for (int64_t t = kT0 + 305; t <= kT0 + 600; t += 5) recorder.write(MakeRecord(Without2(), t), {});
  }
  // The restart: the logs open with the layout of the config, which still lacks channel 2.
  Recorder recorder(OpenOrDie(dir.sub("current"), Options(Without2())),
                    OpenOrDie(dir.sub("history"), history_log_options(Without2())), {});
  ASSERT_EQ(recorder.resume_point()->time, kT0 + 600);
  const auto counters = recorder.resume_counters(6);
  ASSERT_EQ(counters.size(), 6u);
  const Record before = MakeRecord(TestLayout(), kT0 + 300);
  const Record newest = MakeRecord(Without2(), kT0 + 600);
  EXPECT_EQ(counters[2].wh_import.micros(), before.channels[2].wh_import.micros());
  EXPECT_EQ(counters[2].ah.micros(), before.channels[2].ah.micros());
  EXPECT_EQ(counters[1].wh_import.micros(), newest.channels[1].wh_import.micros());
  EXPECT_EQ(counters[0].vh.micros(), newest.channels[0].vh.micros());
  EXPECT_EQ(counters[3].wh_import.micros(), 0);  // never used
  EXPECT_EQ(counters[5].wh_import.micros(), 0);  // beyond every layout
}

TEST(ResumeCounters, TheHistoryLogAnswersWhenTheCurrentLogNoLongerHoldsTheChannel) {
  TempDir dir;
  // The current log only ever saw the layout without channel 2 (retention deleted the rest).
  auto history = OpenOrDie(dir.sub("history"), history_log_options(TestLayout()));
  Append(*history, TestLayout(), kT0 + 60, kT0 + 60);
  auto current = OpenOrDie(dir.sub("current"), Options(Without2()));
  Append(*current, Without2(), kT0 + 3600, kT0 + 3700);
  Recorder recorder(std::move(current), std::move(history), {});
  EXPECT_EQ(recorder.resume_counters(5)[2].wh_import.micros(),
            MakeRecord(TestLayout(), kT0 + 60).channels[2].wh_import.micros());
}

TEST(CheckCounters, ACounterThatDecreasesIsReportedAcrossLayouts) {
  TempDir dir;
  WriteDeletedAndAddedBack(dir.path(), true);
  auto report = check(dir.path());
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report.value().decrease_count, 1);
  ASSERT_EQ(report.value().decreases.size(), 1u);
  EXPECT_EQ(report.value().decreases[0].channel, 2u);
  EXPECT_EQ(report.value().decreases[0].after, kT0 + 50);
  EXPECT_EQ(report.value().decreases[0].time, kT0 + 105);
  EXPECT_FALSE(report.value().damage_found());  // the bytes are good
  EXPECT_NE(format_report(report.value()).find("channel 2 at 1700006505 is below the record at 1700006450"),
            std::string::npos)
      << format_report(report.value());
}

TEST(CheckCounters, CountersThatContinueAcrossADeletionAreNotReported) {
  TempDir dir;
  WriteDeletedAndAddedBack(dir.path(), false);
  auto report = check(dir.path());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().decrease_count, 0);
  EXPECT_EQ(format_report(report.value()).find("counter decreases"), std::string::npos);
}

}  // namespace
}  // namespace iw::datalog
