#include "datalog/log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "datalog/check.h"
#include "datalog/datalog_testing.h"
#include "datalog/format.h"

namespace iw::datalog {
namespace {

using testing::MakeRecord;
using testing::Matches;
using testing::TempDir;
using testing::TestLayout;

constexpr int64_t kT0 = 1700006400;  // a multiple of 86400

LogOptions Options(int64_t span_slots = 17280) {
  LogOptions o;
  o.interval_s = 5;
  o.span_slots = span_slots;
  o.layout = TestLayout();
  o.sync_interval_s = 3600;  // fsyncs are slow on some disks; SyncInterval tests them
  return o;
}

std::unique_ptr<Log> OpenOrDie(const std::string& dir, const LogOptions& o) {
  auto log = Log::Open(dir, o);
  EXPECT_TRUE(log.ok()) << log.error();
  return log.ok() ? std::move(log.value()) : nullptr;
}

std::optional<Record> Read(const Log& log, int64_t t) {
  auto r = log.read(t);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : std::nullopt;
}

TEST(Log, RoundTripAndReopen) {
  TempDir dir;
  {
    auto log = OpenOrDie(dir.path(), Options());
    EXPECT_FALSE(log->last_time());
    for (int64_t k = 1; k <= 100; ++k) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
    EXPECT_EQ(log->last_time(), kT0 + 500);
    for (int64_t k = 1; k <= 100; ++k) {
      auto r = Read(*log, kT0 + 5 * k);
      ASSERT_TRUE(r);
      EXPECT_TRUE(Matches(TestLayout(), *r));
      EXPECT_EQ(r->flags, k == 1 ? kFlagStart : 0u);
    }
  }
  auto log = OpenOrDie(dir.path(), Options());
  EXPECT_EQ(log->last_time(), kT0 + 500);
  auto first = log->first();
  ASSERT_TRUE(first.ok() && first.value());
  EXPECT_EQ(first.value()->time, kT0 + 5);
  ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 505)).ok());
  EXPECT_EQ(Read(*log, kT0 + 505)->flags, kFlagStart);  // first record after a restart
  EXPECT_EQ(log->info().segments.size(), 1u);
}

TEST(Log, PositionIsComputedFromTime) {
  // O(1): the record for t is at header + ((t - start) / interval) * record_size.
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options());
  for (int64_t k : {1, 2, 3, 1000, 17279}) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
  const std::string path = dir.path() + "/" + format::segment_name(kT0);
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  const size_t rs = format::record_size(TestLayout());
  std::vector<uint8_t> buf(rs);
  const off_t offset = static_cast<off_t>(format::header_size(TestLayout().size()) + 1000 * rs);
  ASSERT_EQ(::pread(fd, buf.data(), rs, offset), static_cast<ssize_t>(rs));
  ::close(fd);
  Record r;
  EXPECT_EQ(format::decode_record(TestLayout(), buf.data(), rs, kT0 + 5000, &r), format::SlotState::kGood);
  EXPECT_TRUE(Matches(TestLayout(), r));
}

TEST(Log, ClockStepBackIsRefused) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options());
  ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 100)).ok());
  Status same = log->append(MakeRecord(TestLayout(), kT0 + 100));
  ASSERT_FALSE(same.ok());
  EXPECT_NE(same.message().find("not after the last record"), std::string::npos) << same.message();
  EXPECT_FALSE(log->append(MakeRecord(TestLayout(), kT0 + 50)).ok());
  EXPECT_FALSE(log->append(MakeRecord(TestLayout(), kT0 + 103)).ok());  // not on the interval
  Record wrong = MakeRecord(TestLayout(), kT0 + 105);
  wrong.channels.pop_back();
  EXPECT_FALSE(log->append(wrong).ok());
  EXPECT_EQ(log->last_time(), kT0 + 100);
  EXPECT_FALSE(Read(*log, kT0 + 50));
  // Still refused after a restart: the order survives on disk.
  log.reset();
  log = OpenOrDie(dir.path(), Options());
  EXPECT_FALSE(log->append(MakeRecord(TestLayout(), kT0 + 95)).ok());
  EXPECT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 105)).ok());
}

TEST(Log, ForwardStepLeavesAGap) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options());
  ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5)).ok());
  ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 10)).ok());
  ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 3600)).ok());  // an hour later
  EXPECT_FALSE(Read(*log, kT0 + 15));
  EXPECT_FALSE(Read(*log, kT0 + 3595));
  auto r = log->at_or_before(kT0 + 3599);
  ASSERT_TRUE(r.ok() && r.value());
  EXPECT_EQ(r.value()->time, kT0 + 10);
  r = log->at_or_before(kT0 + 3600);
  EXPECT_EQ(r.value()->time, kT0 + 3600);
  r = log->at_or_before(kT0 + 999999);  // after the last record: the last
  EXPECT_EQ(r.value()->time, kT0 + 3600);
  r = log->at_or_before(kT0);  // before the first
  EXPECT_FALSE(r.value());
  std::vector<int64_t> seen;
  ASSERT_TRUE(log->scan(kT0, kT0 + 7200,
                        [&](const Record& rec) {
                          seen.push_back(rec.time);
                          return true;
                        })
                  .ok());
  EXPECT_EQ(seen, (std::vector<int64_t>{kT0 + 5, kT0 + 10, kT0 + 3600}));
}

TEST(Log, SegmentRolloverAndMissingSegments) {
  TempDir dir;
  const int64_t span = 120;  // slots: 600 s per segment; kT0 is on a boundary
  auto log = OpenOrDie(dir.path(), Options(span));
  std::vector<int64_t> times;
  for (int64_t t = kT0 + 5; t < kT0 + 1500; t += 5) times.push_back(t);
  for (int64_t t = kT0 + 5000; t < kT0 + 5100; t += 5) times.push_back(t);  // skip 5 segments
  for (int64_t t : times) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), t)).ok());
  auto info = log->info();
  ASSERT_EQ(info.segments.size(), 4u);
  EXPECT_EQ(info.segments[0].start, kT0);
  EXPECT_EQ(info.segments[1].start, kT0 + 600);
  EXPECT_EQ(info.segments[3].start, kT0 + 4800);
  EXPECT_EQ(info.first_time, kT0 + 5);
  EXPECT_EQ(info.last_time, kT0 + 5095);
  for (int64_t t : times) {
    auto r = Read(*log, t);
    ASSERT_TRUE(r) << t;
    EXPECT_TRUE(Matches(TestLayout(), *r));
  }
  auto r = log->at_or_before(kT0 + 4999);  // in missing segments: skipped for free
  ASSERT_TRUE(r.ok() && r.value());
  EXPECT_EQ(r.value()->time, kT0 + 1495);
  int64_t count = 0;
  ASSERT_TRUE(log->scan(0, INT64_MAX, [&](const Record&) { return ++count, true; }).ok());
  EXPECT_EQ(count, static_cast<int64_t>(times.size()));
  log.reset();
  log = OpenOrDie(dir.path(), Options(span));
  EXPECT_EQ(log->last_time(), kT0 + 5095);
}

TEST(Log, LayoutChangeStartsANewSegmentMidSpan) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options());
  for (int64_t k = 1; k <= 10; ++k) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
  log.reset();
  LogOptions wider = Options();
  wider.layout = testing::IotaWattLayout();
  log = OpenOrDie(dir.path(), wider);
  for (int64_t k = 11; k <= 20; ++k) {
    ASSERT_TRUE(log->append(MakeRecord(wider.layout, kT0 + 5 * k)).ok());
  }
  auto info = log->info();
  ASSERT_EQ(info.segments.size(), 2u);
  EXPECT_EQ(info.segments[0].end, kT0 + 55);  // ended by the next one
  EXPECT_EQ(info.segments[1].start, kT0 + 55);
  auto old_rec = Read(*log, kT0 + 50);
  ASSERT_TRUE(old_rec);
  EXPECT_EQ(old_rec->channels.size(), TestLayout().size());
  EXPECT_TRUE(Matches(TestLayout(), *old_rec));
  auto new_rec = Read(*log, kT0 + 55);
  ASSERT_TRUE(new_rec);
  EXPECT_TRUE(Matches(wider.layout, *new_rec));
  log.reset();
  log = OpenOrDie(dir.path(), wider);
  EXPECT_EQ(log->last_time(), kT0 + 100);
}

// set_layout() on an open log (an input deleted live: the same number of channels, one of them
// unused now): the next record starts a new segment. It went into the old segment before, encoded
// with the new layout, and read back as damaged.
TEST(Log, LiveLayoutChangeStartsANewSegment) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options());
  for (int64_t k = 1; k <= 10; ++k) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
  Layout fewer = TestLayout();
  fewer[2] = measure::ChannelKind::kUnused;
  log->set_layout(fewer);
  for (int64_t k = 11; k <= 20; ++k) ASSERT_TRUE(log->append(MakeRecord(fewer, kT0 + 5 * k)).ok());
  ASSERT_EQ(log->info().segments.size(), 2u);
  EXPECT_EQ(log->info().segments[1].start, kT0 + 55);
  auto new_rec = Read(*log, kT0 + 55);
  ASSERT_TRUE(new_rec);
  EXPECT_TRUE(Matches(fewer, *new_rec));
  EXPECT_TRUE(Matches(TestLayout(), *Read(*log, kT0 + 50)));
  log.reset();
  auto report = check(dir.path());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().damaged_count, 0);
  EXPECT_EQ(report.value().records, 20);
}

TEST(Log, OneWriterAtATimeAndReadOnlyOpen) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options());
  ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5)).ok());
  auto second = Log::Open(dir.path(), Options());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("in use"), std::string::npos);
  auto ro = Log::OpenReadOnly(dir.path());
  ASSERT_TRUE(ro.ok()) << ro.error();
  EXPECT_EQ(ro.value()->interval(), 5);
  EXPECT_EQ(ro.value()->last_time(), kT0 + 5);
  EXPECT_FALSE(ro.value()->append(MakeRecord(TestLayout(), kT0 + 10)).ok());
  log.reset();
  LogOptions other = Options();
  other.interval_s = 60;
  auto wrong = Log::Open(dir.path(), other);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().find("interval"), std::string::npos);
  EXPECT_EQ(testing::ListNames(dir.path()).size(), 2u);  // LOCK and the segment, untouched
}

TEST(Log, ConcurrentReadersWhileAppending) {
  TempDir dir;
  auto log = OpenOrDie(dir.path(), Options(200));
  std::atomic<bool> done{false};
  std::atomic<int64_t> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto last = log->last();
        if (!last.ok()) {
          ++bad;
          continue;
        }
        if (!last.value()) continue;
        if (!Matches(TestLayout(), *last.value())) ++bad;
        auto r = log->at_or_before(last.value()->time - 7);
        if (!r.ok() || (r.value() && !Matches(TestLayout(), *r.value()))) ++bad;
        ++reads;
      }
    });
  }
  for (int64_t k = 1; k <= 3000; ++k) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

TEST(Log, RetentionByAgeAndSize) {
  TempDir dir;
  const int64_t span = 120;  // 600 s
  auto log = OpenOrDie(dir.path(), Options(span));
  for (int64_t t = kT0 + 5; t < kT0 + 5000; t += 5) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), t)).ok());
  ASSERT_EQ(log->info().segments.size(), 9u);
  ASSERT_EQ(log->first().value()->time, kT0 + 5);  // remembered from here on
  // By age: segments ending at or before now - max_age go.
  auto rep = log->retain({.max_age_s = 2000, .max_total_bytes = 0}, kT0 + 5000);
  ASSERT_TRUE(rep.ok()) << rep.error();
  EXPECT_EQ(rep->deleted.size(), 5u);  // those ending at kT0+600 .. kT0+3000
  auto info = log->info();
  ASSERT_EQ(info.segments.size(), 4u);
  EXPECT_EQ(info.first_time, kT0 + 3000);
  EXPECT_EQ(log->first().value()->time, kT0 + 3000);  // retention forgets the old first record
  EXPECT_FALSE(Read(*log, kT0 + 2995));
  EXPECT_TRUE(Read(*log, kT0 + 3000));
  // By size: oldest first until it fits.
  const int64_t one = info.segments[0].file_bytes;
  rep = log->retain({.max_age_s = 0, .max_total_bytes = 2 * one + 1}, kT0 + 5000);
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->deleted.size(), 2u);
  EXPECT_EQ(log->info().first_time, kT0 + 4200);
  // Never the segment being written, whatever the policy.
  rep = log->retain({.max_age_s = 1, .max_total_bytes = 1}, kT0 + 100000);
  ASSERT_TRUE(rep.ok());
  ASSERT_EQ(log->info().segments.size(), 1u);
  EXPECT_EQ(log->last_time(), kT0 + 4995);
  EXPECT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5000)).ok());
  // Files set aside are never retention's business.
  EXPECT_EQ(testing::ListNames(dir.path()).size(), 2u);
}

TEST(Log, BatchAppendEqualsOneByOne) {
  TempDir one_dir, batch_dir;
  std::vector<Record> records;
  for (int64_t t = kT0 + 5; t < kT0 + 3000; t += 5) {
    if (t > kT0 + 1000 && t < kT0 + 1300) continue;  // a gap inside the batch
    records.push_back(MakeRecord(TestLayout(), t));
  }
  {
    auto one = OpenOrDie(one_dir.path(), Options(120));
    for (const auto& r : records) ASSERT_TRUE(one->append(r).ok());
    auto batch = OpenOrDie(batch_dir.path(), Options(120));
    ASSERT_TRUE(batch->append_batch(records).ok());
    EXPECT_EQ(batch->last_time(), one->last_time());
    EXPECT_EQ(batch->appends(), records.size());
  }
  // Byte for byte the same files.
  const auto names = testing::ListNames(one_dir.path());
  ASSERT_EQ(names, testing::ListNames(batch_dir.path()));
  for (const auto& name : names) {
    auto slurp = [](const std::string& path) {
      std::string out;
      const int fd = ::open(path.c_str(), O_RDONLY);
      char buf[4096];
      for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
      ::close(fd);
      return out;
    };
    EXPECT_EQ(slurp(one_dir.sub(name)), slurp(batch_dir.sub(name))) << name;
  }
  // An out-of-order record stops the batch there; the records before it are written.
  auto log = OpenOrDie(batch_dir.path(), Options(120));
  std::vector<Record> more = {MakeRecord(TestLayout(), kT0 + 3000), MakeRecord(TestLayout(), kT0 + 3005),
                              MakeRecord(TestLayout(), kT0 + 2000), MakeRecord(TestLayout(), kT0 + 3010)};
  Status st = log->append_batch(more);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("not after the last record"), std::string::npos);
  EXPECT_EQ(log->last_time(), kT0 + 3005);
}

TEST(Log, SyncIntervalBoundsUnsyncedRecords) {
  TempDir dir;
  LogOptions o = Options();
  o.sync_interval_s = 60;
  auto log = OpenOrDie(dir.path(), o);
  for (int64_t k = 1; k <= 120; ++k) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
  EXPECT_EQ(log->syncs(), 10u);  // 600 s of records, one sync per 60 s
  o.sync_interval_s = 0;
  log.reset();
  log = OpenOrDie(dir.path(), o);
  for (int64_t k = 121; k <= 130; ++k) ASSERT_TRUE(log->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
  EXPECT_EQ(log->syncs(), 10u);  // every record
}

}  // namespace
}  // namespace iw::datalog
