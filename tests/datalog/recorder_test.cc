#include "datalog/recorder.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "datalog/datalog_testing.h"

namespace iw::datalog {
namespace {

using testing::MakeRecord;
using testing::TempDir;
using testing::TestLayout;

constexpr int64_t kT0 = 1700006400;  // a multiple of 86400
constexpr int64_t kNs = 1'000'000'000;

std::unique_ptr<Log> OpenOrDie(const std::string& dir, const LogOptions& o) { return testing::OpenQuietOrDie(dir, o); }

// The times of every record of `log`.
std::vector<int64_t> Times(const Log& log) {
  std::vector<int64_t> out;
  const Status st = log.scan(0, INT64_MAX / 2, [&](const Record& r) {
    out.push_back(r.time);
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

// Feeds `recorder` checkpoints as the daemon's sampler does, one per `step_s`, from `from` to `to`.
void Feed(Recorder& recorder, int64_t from, int64_t to, int64_t step_s = 1) {
  for (int64_t t = from; t <= to; t += step_s) {
    if (auto r = Recorder::checkpoint_record(t * kNs, MakeRecord(TestLayout(), t).channels)) recorder.write(*r, {});
  }
}

std::unique_ptr<Recorder> Make(const TempDir& dir, const RecorderSettings& settings, const LogOptions& current) {
  return std::make_unique<Recorder>(OpenOrDie(dir.sub("current"), current),
                                    OpenOrDie(dir.sub("history"), history_log_options(TestLayout())), settings);
}

// One-minute segments: retention has something to delete within an hour.
LogOptions MinuteSegments() {
  LogOptions o = current_log_options(TestLayout());
  o.span_slots = 60 / kCurrentIntervalS;
  return o;
}

class RecorderTest : public ::testing::Test {
 protected:
  void Feed(int64_t from, int64_t to, int64_t step_s = 1) { datalog::Feed(*recorder_, from, to, step_s); }

  TempDir dir_;
  std::unique_ptr<Recorder> recorder_ = Make(dir_, {}, current_log_options(TestLayout()));
};

TEST(RecorderCadence, OnlyWholeMultiplesOfTheCurrentInterval) {
  EXPECT_TRUE(Recorder::makes_record(kT0 * kNs));
  EXPECT_TRUE(Recorder::makes_record((kT0 + kCurrentIntervalS) * kNs));
  EXPECT_FALSE(Recorder::makes_record((kT0 + 1) * kNs));
  EXPECT_FALSE(Recorder::makes_record((kT0 + 4) * kNs));
  EXPECT_FALSE(Recorder::makes_record((kT0 + 5) * kNs + 1));        // a nanosecond late
  EXPECT_FALSE(Recorder::makes_record((kT0 + 5) * kNs - 1));        // a nanosecond early
  EXPECT_FALSE(Recorder::makes_record((kT0 + 5) * kNs + kNs / 2));  // 5.5 s
  EXPECT_FALSE(Recorder::checkpoint_record((kT0 + 7) * kNs, {}).has_value());
}

TEST(RecorderCadence, RecordOfACheckpoint) {
  std::vector<measure::ChannelCounters> counters(3);
  counters[0].seconds.set(7'000'000);
  counters[1].seconds.set(9'000'000);  // the longest measured channel gives the monitored time
  counters[2].seconds.set(8'000'000);
  counters[1].wh_import.set(1234);
  auto r = Recorder::checkpoint_record((kT0 + 10) * kNs, counters);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->time, kT0 + 10);
  EXPECT_EQ(r->monitored_us, 9'000'000);
  ASSERT_EQ(r->channels.size(), 3u);
  EXPECT_EQ(r->channels[1].wh_import.micros(), 1234);
  EXPECT_EQ(r->flags, 0u);
}

TEST_F(RecorderTest, CurrentEveryFiveSecondsHistoryEveryMinute) {
  Feed(kT0 + 1, kT0 + 180);
  std::vector<int64_t> current, history;
  for (int64_t t = kT0 + 5; t <= kT0 + 180; t += 5) current.push_back(t);
  EXPECT_EQ(Times(recorder_->current()), current);
  EXPECT_EQ(Times(recorder_->history()), (std::vector<int64_t>{kT0 + 60, kT0 + 120, kT0 + 180}));
  // The history record is the current record of the same time.
  auto h = recorder_->history().read(kT0 + 120);
  auto c = recorder_->current().read(kT0 + 120);
  ASSERT_TRUE(h.ok() && h.value() && c.ok() && c.value());
  EXPECT_EQ(h.value()->monitored_us, c.value()->monitored_us);
  for (size_t ch = 0; ch < TestLayout().size(); ++ch) {
    EXPECT_EQ(h.value()->channels[ch].wh_import.micros(), c.value()->channels[ch].wh_import.micros());
    EXPECT_EQ(h.value()->channels[ch].vh.micros(), c.value()->channels[ch].vh.micros());
  }
  const Record want = MakeRecord(TestLayout(), kT0 + 120);
  EXPECT_EQ(h.value()->channels[1].wh_import.micros(), want.channels[1].wh_import.micros());
}

TEST_F(RecorderTest, AGapIsLeftAndNotFilled) {
  Feed(kT0 + 5, kT0 + 10);
  Feed(kT0 + 185, kT0 + 245);  // the sampler stopped for three minutes
  std::vector<int64_t> current = {kT0 + 5, kT0 + 10};
  for (int64_t t = kT0 + 185; t <= kT0 + 245; t += 5) current.push_back(t);
  EXPECT_EQ(Times(recorder_->current()), current);
  // The minutes 60, 120 and 180 fell in the gap: history has no record of them.
  EXPECT_EQ(Times(recorder_->history()), (std::vector<int64_t>{kT0 + 240}));
}

TEST_F(RecorderTest, CheckpointsOffTheGridMakeNoRecord) {
  // Checkpoints 3 s after each 5 s boundary (a source whose clock is not on the grid).
  Feed(kT0 + 3, kT0 + 63, 5);
  EXPECT_TRUE(Times(recorder_->current()).empty());
  EXPECT_TRUE(Times(recorder_->history()).empty());
}

TEST_F(RecorderTest, TimeGoingBackIsSkipped) {
  Feed(kT0 + 5, kT0 + 120, 5);
  Feed(kT0 + 60, kT0 + 60);  // the clock stepped back a minute
  EXPECT_EQ(recorder_->current().last_time(), kT0 + 120);
  EXPECT_EQ(Times(recorder_->history()), (std::vector<int64_t>{kT0 + 60, kT0 + 120}));
  Feed(kT0 + 125, kT0 + 125);  // and logging goes on when time passes the newest record
  EXPECT_EQ(recorder_->current().last_time(), kT0 + 125);
  EXPECT_EQ(recorder_->resume_point()->time, kT0 + 125);
}

TEST_F(RecorderTest, SideLogsGetTheirRecordsOfTheSameTime) {
  auto side_options = current_log_options({measure::ChannelKind::kCurrent});
  std::shared_ptr<Log> side = OpenOrDie(dir_.sub("side"), side_options);
  recorder_->set_side_logs({{"solar", side}});
  for (int64_t t = kT0 + 5; t <= kT0 + 15; t += 5) {
    Record s;
    s.time = t;
    s.channels.resize(1);
    s.channels[0].wh_import.set(t);
    const Record r = MakeRecord(TestLayout(), t);
    recorder_->write(r, std::span<const Record>(&s, 1));
  }
  EXPECT_EQ(Times(*side), (std::vector<int64_t>{kT0 + 5, kT0 + 10, kT0 + 15}));
  auto r = side->read(kT0 + 10);
  ASSERT_TRUE(r.ok() && r.value());
  EXPECT_EQ(r.value()->channels[0].wh_import.micros(), kT0 + 10);
  const auto status = recorder_->status();
  ASSERT_EQ(status.size(), 3u);
  EXPECT_EQ(status[2].id, "solar");
  EXPECT_EQ(status[2].appended, 3u);
  EXPECT_EQ(status[2].last_key, kT0 + 15);
}

TEST_F(RecorderTest, AWriteErrorIsReportedUntilAWriteSucceeds) {
  Feed(kT0 + 5, kT0 + 5);
  Record wrong = MakeRecord(TestLayout(), kT0 + 10);
  wrong.channels.pop_back();  // not the log's layout: the append is refused
  recorder_->write(wrong, {});
  auto status = recorder_->status();
  ASSERT_EQ(status.size(), 2u);
  EXPECT_EQ(status[0].id, "Current");
  EXPECT_FALSE(status[0].error.empty());
  EXPECT_TRUE(status[1].error.empty());
  Feed(kT0 + 15, kT0 + 15);
  EXPECT_TRUE(recorder_->status()[0].error.empty());
  EXPECT_EQ(Times(recorder_->current()), (std::vector<int64_t>{kT0 + 5, kT0 + 15}));
}

TEST(RecorderRetention, RunsAtTheFirstRecordThenHourly) {
  TempDir dir;
  RecorderSettings settings;
  settings.current = {120, 0};  // two minutes
  auto recorder = Make(dir, settings, MinuteSegments());
  Feed(*recorder, kT0 + 5, kT0 + 5);  // the first record: retention runs (nothing to delete yet)
  Feed(*recorder, kT0 + 10, kT0 + kRetentionEveryS, 5);
  // An hour of one-minute segments, none deleted between two runs.
  EXPECT_EQ(recorder->current().info().segments.size(), static_cast<size_t>(kRetentionEveryS / 60 + 1));
  Feed(*recorder, kT0 + kRetentionEveryS + 5, kT0 + kRetentionEveryS + 5);  // an hour after the first run
  // Segments that end two minutes or more before now are gone: the three newest are left.
  const auto segments = recorder->current().info().segments;
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments.front().start, kT0 + kRetentionEveryS - 120);
  // History has no limit by default.
  EXPECT_EQ(Times(recorder->history()).size(), static_cast<size_t>(kRetentionEveryS / 60));
}

TEST(RecorderRetention, FirstRecordAfterARestartDeletesWhatIsTooOld) {
  TempDir dir;
  {
    auto log = OpenOrDie(dir.sub("current"), MinuteSegments());
    for (int64_t t = kT0 + 5; t <= kT0 + 600; t += 5) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), t)).ok());
  }
  RecorderSettings settings;
  settings.current = {120, 0};
  auto recorder = Make(dir, settings, MinuteSegments());
  EXPECT_EQ(recorder->current().info().segments.size(), 11u);
  Feed(*recorder, kT0 + 605, kT0 + 605);
  EXPECT_EQ(recorder->current().info().segments.size(), 3u);
}

TEST(RecorderRetention, NoLimitsDeleteNothing) {
  TempDir dir;
  RecorderSettings settings;
  settings.current = {0, 0};
  settings.history = {0, 0};
  auto recorder = Make(dir, settings, MinuteSegments());
  Feed(*recorder, kT0 + 5, kT0 + kRetentionEveryS + 5, 5);
  EXPECT_EQ(recorder->current().info().segments.size(), static_cast<size_t>(kRetentionEveryS / 60 + 1));
}

TEST(RecorderSettings, FromConfig) {
  config::Config config;
  RecorderSettings s = settings_of(config);
  EXPECT_EQ(s.current.max_age_s, 2 * 366 * 86400);  // two years
  EXPECT_EQ(s.history.max_age_s, 0);                // forever
  EXPECT_EQ(s.current.max_total_bytes, 0);
  EXPECT_EQ(s.sync_interval_s, 60);

  config.logdays = 30;
  EXPECT_EQ(settings_of(config).current.max_age_s, 30 * 86400);
  config.datalog.current_days = 10;  // wins over logdays
  config.datalog.history_days = 400;
  config.datalog.max_mb = 2;
  config.datalog.sync_seconds = 5;
  s = settings_of(config);
  EXPECT_EQ(s.current.max_age_s, 10 * 86400);
  EXPECT_EQ(s.history.max_age_s, 400 * 86400);
  EXPECT_EQ(s.current.max_total_bytes, 2 * 1024 * 1024);
  EXPECT_EQ(s.history.max_total_bytes, 2 * 1024 * 1024);
  EXPECT_EQ(s.sync_interval_s, 5);
}

}  // namespace
}  // namespace iw::datalog
