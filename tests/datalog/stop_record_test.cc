#include "datalog/stop_record.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "datalog/datalog_testing.h"
#include "datalog/recorder.h"

namespace iw::datalog {
namespace {

using testing::TempDir;
using testing::TestLayout;

// Counters a checkpoint at `time_s` would carry: distinct per channel and per counter.
std::vector<measure::ChannelCounters> CountersAt(int64_t time_s, size_t channels) {
  std::vector<measure::ChannelCounters> out(channels);
  for (size_t ch = 0; ch < channels; ++ch) {
    const auto base = static_cast<double>(time_s) + 0.25 * static_cast<double>(ch);
    out[ch].wh_import.set(static_cast<int64_t>(base * 1e6) + 1);
    out[ch].wh_export.set(static_cast<int64_t>(base * 1e6) + 2);
    out[ch].vah.set(static_cast<int64_t>(base * 1e6) + 3);
    out[ch].varh.set(static_cast<int64_t>(base * 1e6) + 4);
    out[ch].vh.set(static_cast<int64_t>(base * 1e6) + 5);
    out[ch].ah.set(static_cast<int64_t>(base * 1e6) + 6);
    out[ch].hzh.set(static_cast<int64_t>(base * 1e6) + 7);
    out[ch].seconds.set(time_s * 1'000'000);
  }
  return out;
}

TEST(StopRecord, NoFileIsNoStopRecord) {
  TempDir dir;
  auto read = read_stop_record(dir.path());
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_FALSE(read.value().has_value());
}

TEST(StopRecord, ReadsBackWhatWasWrittenForTheChannelsTheLayoutUses) {
  TempDir dir;
  const Layout layout = TestLayout();  // VT, CT, CT, unused, CT
  const int64_t t = 1'700'000'003;     // a checkpoint second, not on a 5 s record
  ASSERT_TRUE(write_stop_record(dir.path(), layout, record_of(t, CountersAt(t, layout.size()))).ok());
  auto read = read_stop_record(dir.path());
  ASSERT_TRUE(read.ok() && read.value()) << (read.ok() ? "none" : read.error());
  const Record& r = *read.value();
  EXPECT_EQ(r.time, t);
  EXPECT_EQ(r.monitored_us, t * 1'000'000);
  const auto expected = CountersAt(t, layout.size());
  EXPECT_TRUE(r.holds(0) && r.holds(1) && r.holds(2) && r.holds(4));
  EXPECT_FALSE(r.holds(3));
  EXPECT_EQ(r.channels[0].vh.micros(), expected[0].vh.micros());
  EXPECT_EQ(r.channels[0].hzh.micros(), expected[0].hzh.micros());
  for (size_t ch : {1, 2, 4}) {
    EXPECT_EQ(r.channels[ch].wh_import.micros(), expected[ch].wh_import.micros()) << ch;
    EXPECT_EQ(r.channels[ch].wh_export.micros(), expected[ch].wh_export.micros()) << ch;
    EXPECT_EQ(r.channels[ch].vah.micros(), expected[ch].vah.micros()) << ch;
    EXPECT_EQ(r.channels[ch].varh.micros(), expected[ch].varh.micros()) << ch;
    EXPECT_EQ(r.channels[ch].ah.micros(), expected[ch].ah.micros()) << ch;
  }
}

// A record holds whole micro-units; a counter's fraction of one is rounded up, never down, so a
// counter resumed from the record is never below the value published before the stop.
TEST(StopRecord, FractionsOfAMicroUnitAreRoundedUp) {
  TempDir dir;
  const Layout layout = TestLayout();
  std::vector<measure::ChannelCounters> counters = CountersAt(200, layout.size());
  counters[1].wh_import.set(counters[1].wh_import.micros(), 0.25);
  counters[1].wh_export.set(counters[1].wh_export.micros(), 0.0);
  ASSERT_TRUE(write_stop_record(dir.path(), layout, record_of(200, counters)).ok());
  auto read = read_stop_record(dir.path());
  ASSERT_TRUE(read.ok() && read.value());
  EXPECT_EQ(read.value()->channels[1].wh_import.micros(), counters[1].wh_import.micros() + 1);
  EXPECT_GE(read.value()->channels[1].wh_import.value(), counters[1].wh_import.value());
  EXPECT_EQ(read.value()->channels[1].wh_export.micros(), counters[1].wh_export.micros());
}

TEST(StopRecord, MoreCountersThanTheLayoutAreCut) {
  TempDir dir;
  const Layout layout = TestLayout();
  ASSERT_TRUE(write_stop_record(dir.path(), layout, record_of(60, CountersAt(60, layout.size() + 3))).ok());
  auto read = read_stop_record(dir.path());
  ASSERT_TRUE(read.ok() && read.value());
  EXPECT_EQ(read.value()->channels.size(), layout.size());
  EXPECT_FALSE(read.value()->holds(layout.size()));
}

// Every single flipped byte and every truncation is refused with the file's name: a torn or
// damaged stop record must never set counters.
TEST(StopRecord, AnyDamageIsAnErrorNamingTheFile) {
  TempDir dir;
  const Layout layout = TestLayout();
  ASSERT_TRUE(write_stop_record(dir.path(), layout, record_of(100, CountersAt(100, layout.size()))).ok());
  const std::string path = stop_record_path(dir.path());
  std::string good;
  {
    std::ifstream in(path, std::ios::binary);
    good.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(good.size(), 100u);
  const auto refused = [&](const std::string& bytes, const std::string& what) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    auto read = read_stop_record(dir.path());
    EXPECT_FALSE(read.ok()) << what;
    if (!read.ok()) {
      EXPECT_NE(read.error().find(path), std::string::npos) << read.error();
    }
  };
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    refused(bad, "byte " + std::to_string(i) + " flipped");
  }
  for (size_t n : {size_t{0}, size_t{10}, good.size() / 2, good.size() - 1}) refused(good.substr(0, n), "cut");
  refused(good + "x", "a byte appended");
}

TEST(StopRecord, IsResumedOnlyWhenNewerThanEveryRecord) {
  Record stop;
  stop.time = 103;
  EXPECT_TRUE(later_than_newest(stop, std::nullopt));
  Record newest;
  newest.time = 100;
  EXPECT_TRUE(later_than_newest(stop, newest));
  newest.time = 103;
  EXPECT_FALSE(later_than_newest(stop, newest));
  newest.time = 105;
  EXPECT_FALSE(later_than_newest(stop, newest));
}

}  // namespace
}  // namespace iw::datalog
