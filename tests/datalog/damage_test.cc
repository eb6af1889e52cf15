// Break segments on purpose (flip, truncate, zero-fill, append garbage, bad header) and assert
// exactly what check reports, what readers see, and that repair keeps every good record.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>
#include <set>

#include "datalog/check.h"
#include "datalog/datalog_testing.h"
#include "datalog/format.h"
#include "datalog/log.h"

namespace iw::datalog {
namespace {

using testing::MakeRecord;
using testing::Matches;
using testing::TempDir;
using testing::TestLayout;

constexpr int64_t kT0 = 1700006400;
constexpr int64_t kSpan = 120;  // 600 s segments
const int64_t kRs = static_cast<int64_t>(format::record_size(TestLayout()));
const int64_t kHs = static_cast<int64_t>(format::header_size(TestLayout().size()));

LogOptions Options() {
  LogOptions o;
  o.interval_s = 5;
  o.span_slots = kSpan;
  o.layout = TestLayout();
  o.sync_interval_s = 3600;  // fsyncs are slow on some disks; SyncInterval tests them
  return o;
}

// Writes records kT0+5 .. kT0+5*n and closes the log.
void Fill(const std::string& dir, int64_t n) {
  auto log = Log::Open(dir, Options());
  ASSERT_TRUE(log.ok()) << log.error();
  for (int64_t k = 1; k <= n; ++k) ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok());
}

std::string SegPath(const std::string& dir, int64_t start) { return dir + "/" + format::segment_name(start); }
int64_t Offset(int64_t t) {  // offset of t's slot in its 600 s segment
  return kHs + ((t - kT0) % 600) / 5 * kRs;
}
int64_t SegStart(int64_t t) { return kT0 + (t - kT0) / 600 * 600; }

void WriteBytes(const std::string& path, int64_t offset, const std::vector<uint8_t>& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), offset), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}
void FlipByte(const std::string& path, int64_t offset) {
  const int fd = ::open(path.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  uint8_t b = 0;
  ASSERT_EQ(::pread(fd, &b, 1, offset), 1);
  b ^= 0x40;
  ASSERT_EQ(::pwrite(fd, &b, 1, offset), 1);
  ::close(fd);
}
int64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

std::set<int64_t> GoodTimes(const std::string& dir) {
  std::set<int64_t> times;
  auto log = Log::OpenReadOnly(dir);
  EXPECT_TRUE(log.ok()) << log.error();
  if (!log.ok()) return times;
  EXPECT_TRUE(log.value()
                  ->scan(0, INT64_MAX,
                         [&](const Record& r) {
                           EXPECT_TRUE(Matches(TestLayout(), r)) << r.time;
                           times.insert(r.time);
                           return true;
                         })
                  .ok());
  return times;
}

CheckReport CheckOrDie(const std::string& dir) {
  auto r = check(dir);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? r.value() : CheckReport{};
}

TEST(Damage, CleanLogChecksClean) {
  TempDir dir;
  Fill(dir.path(), 300);
  CheckReport r = CheckOrDie(dir.path());
  EXPECT_FALSE(r.damage_found()) << format_report(r);
  EXPECT_EQ(r.records, 300);
  EXPECT_EQ(r.segments.size(), 3u);
  EXPECT_EQ(r.gap_count, 0);
  EXPECT_EQ(r.first_time, kT0 + 5);
  EXPECT_EQ(r.last_time, kT0 + 1500);
}

TEST(Damage, FlippedByteIsDetectedSkippedAndRepaired) {
  TempDir dir;
  Fill(dir.path(), 300);
  const int64_t t = kT0 + 5 * 100;
  FlipByte(SegPath(dir.path(), SegStart(t)), Offset(t) + 50);
  CheckReport r = CheckOrDie(dir.path());
  EXPECT_TRUE(r.damage_found());
  EXPECT_EQ(r.damaged_count, 1);
  ASSERT_EQ(r.damaged.size(), 1u);
  EXPECT_EQ(r.damaged[0].time, t);
  EXPECT_EQ(r.damaged[0].offset, Offset(t));
  EXPECT_EQ(r.damaged[0].file, SegPath(dir.path(), SegStart(t)));
  EXPECT_EQ(r.records, 299);
  EXPECT_EQ(r.gap_count, 1);  // readers see the damaged slot as missing
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].from, t);
  EXPECT_EQ(r.gaps[0].to, t + 5);
  {
    auto log = Log::OpenReadOnly(dir.path());
    ASSERT_TRUE(log.ok());
    EXPECT_FALSE(log.value()->read(t).value());
    EXPECT_EQ(log.value()->at_or_before(t).value()->time, t - 5);
  }
  const auto before = GoodTimes(dir.path());
  auto rep = repair(dir.path());
  ASSERT_TRUE(rep.ok()) << rep.error();
  EXPECT_EQ(rep->damaged_count, 1);
  EXPECT_FALSE(rep->actions.empty());
  EXPECT_EQ(GoodTimes(dir.path()), before);
  r = CheckOrDie(dir.path());
  EXPECT_FALSE(r.damage_found()) << format_report(r);
  EXPECT_EQ(r.records, 299);
  EXPECT_EQ(r.gap_slots, 1);
}

TEST(Damage, TruncatedTailIsTornRecordAndAppendsContinue) {
  TempDir dir;
  Fill(dir.path(), 100);  // last in segment kT0 (slots 1..100)
  const std::string path = SegPath(dir.path(), kT0);
  ASSERT_EQ(::truncate(path.c_str(), FileSize(path) - kRs / 2), 0);
  CheckReport r = CheckOrDie(dir.path());
  EXPECT_EQ(r.damaged_count, 1);
  EXPECT_EQ(r.records, 99);
  EXPECT_EQ(r.last_time, kT0 + 495);
  {
    auto log = Log::Open(dir.path(), Options());
    ASSERT_TRUE(log.ok()) << log.error();
    EXPECT_EQ(log.value()->last_time(), kT0 + 495);
    // The next record goes into the torn slot and replaces it.
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 500)).ok());
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 505)).ok());
  }
  r = CheckOrDie(dir.path());
  EXPECT_FALSE(r.damage_found()) << format_report(r);
  EXPECT_EQ(r.records, 101);
}

TEST(Damage, TruncatedIntoHeaderIsSetAside) {
  TempDir dir;
  Fill(dir.path(), 200);  // segments kT0 (119 records) and kT0+600 (81)
  const std::string newest = SegPath(dir.path(), kT0 + 600);
  ASSERT_EQ(::truncate(newest.c_str(), 20), 0);
  CheckReport r = CheckOrDie(dir.path());
  ASSERT_EQ(r.bad_headers.size(), 1u);
  EXPECT_NE(r.bad_headers[0].find(newest), std::string::npos);
  EXPECT_EQ(r.records, 119);
  auto log = Log::Open(dir.path(), Options());
  ASSERT_TRUE(log.ok()) << log.error();
  EXPECT_EQ(log.value()->last_time(), kT0 + 595);
  ASSERT_EQ(log.value()->info().set_aside.size(), 1u);
  EXPECT_EQ(FileSize(newest + ".damaged"), 20);  // renamed, not deleted
  // Writing resumes; the new segment takes the free name.
  ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 1005)).ok());
  EXPECT_TRUE(Matches(TestLayout(), *log.value()->read(kT0 + 1005).value()));
}

TEST(Damage, ZeroFilledRecordsAreGapsPartialZeroFillIsDamage) {
  TempDir dir;
  Fill(dir.path(), 100);
  const std::string path = SegPath(dir.path(), kT0);
  WriteBytes(path, Offset(kT0 + 50), std::vector<uint8_t>(3 * kRs, 0));   // slots 10..12
  WriteBytes(path, Offset(kT0 + 200), std::vector<uint8_t>(kRs / 3, 0));  // part of slot 40
  CheckReport r = CheckOrDie(dir.path());
  EXPECT_EQ(r.damaged_count, 1);
  ASSERT_EQ(r.damaged.size(), 1u);
  EXPECT_EQ(r.damaged[0].time, kT0 + 200);
  EXPECT_EQ(r.records, 96);
  EXPECT_EQ(r.gap_count, 2);
  EXPECT_EQ(r.gap_slots, 4);
  const auto before = GoodTimes(dir.path());
  EXPECT_EQ(before.size(), 96u);
  ASSERT_TRUE(repair(dir.path()).ok());
  EXPECT_EQ(GoodTimes(dir.path()), before);
  EXPECT_FALSE(CheckOrDie(dir.path()).damage_found());
}

TEST(Damage, AppendedGarbageIsDamageThenOverwritten) {
  TempDir dir;
  Fill(dir.path(), 50);
  const std::string path = SegPath(dir.path(), kT0);
  std::mt19937 rng(42);
  std::vector<uint8_t> garbage(static_cast<size_t>(3 * kRs + 10));
  for (auto& b : garbage) b = static_cast<uint8_t>(rng());
  WriteBytes(path, FileSize(path), garbage);
  CheckReport r = CheckOrDie(dir.path());
  EXPECT_EQ(r.damaged_count, 4);  // 3 whole slots and a partial one
  EXPECT_EQ(r.records, 50);
  EXPECT_EQ(r.last_time, kT0 + 250);
  {
    auto log = Log::Open(dir.path(), Options());
    ASSERT_TRUE(log.ok());
    EXPECT_EQ(log.value()->last_time(), kT0 + 250);
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 255)).ok());
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 260)).ok());
  }
  r = CheckOrDie(dir.path());
  EXPECT_EQ(r.damaged_count, 2);  // the garbage not overwritten yet
  EXPECT_EQ(r.records, 52);
  {
    auto log = Log::Open(dir.path(), Options());
    ASSERT_TRUE(log.ok());
    EXPECT_EQ(log.value()->last_time(), kT0 + 260);  // found across the garbage at the end
  }
  ASSERT_TRUE(repair(dir.path()).ok());
  r = CheckOrDie(dir.path());
  EXPECT_FALSE(r.damage_found()) << format_report(r);
  EXPECT_EQ(r.records, 52);
  EXPECT_EQ(FileSize(path), Offset(kT0 + 265));  // the damaged tail was truncated away
}

TEST(Damage, BytesAfterTheLastSlotAreTrailingGarbage) {
  TempDir dir;
  Fill(dir.path(), 200);
  const std::string path = SegPath(dir.path(), kT0);
  const int64_t end = kHs + kSpan * kRs;
  WriteBytes(path, end, std::vector<uint8_t>(100, 0xAB));
  CheckReport r = CheckOrDie(dir.path());
  EXPECT_EQ(r.trailing_bytes, 100);
  EXPECT_EQ(r.damaged_count, 0);
  EXPECT_TRUE(r.damage_found());
  ASSERT_TRUE(repair(dir.path()).ok());
  EXPECT_EQ(FileSize(path), end);
  EXPECT_FALSE(CheckOrDie(dir.path()).damage_found());
  EXPECT_EQ(GoodTimes(dir.path()).size(), 200u);
}

TEST(Damage, BadHeaderIsRenamedAsideByRepair) {
  TempDir dir;
  Fill(dir.path(), 300);
  const std::string middle = SegPath(dir.path(), kT0 + 600);
  FlipByte(middle, 17);  // the start field
  CheckReport r = CheckOrDie(dir.path());
  ASSERT_EQ(r.bad_headers.size(), 1u);
  EXPECT_EQ(r.records, 300 - 120);
  EXPECT_EQ(r.gap_count, 1);
  auto rep = repair(dir.path());
  ASSERT_TRUE(rep.ok()) << rep.error();
  EXPECT_EQ(FileSize(middle), -1);
  EXPECT_GT(FileSize(middle + ".damaged"), 0);
  r = CheckOrDie(dir.path());
  EXPECT_FALSE(r.damage_found()) << format_report(r);
  EXPECT_EQ(r.set_aside.size(), 1u);
  EXPECT_EQ(r.records, 180);
}

TEST(Damage, UnfinishedSegmentCreationIsReportedAndRemoved) {
  TempDir dir;
  Fill(dir.path(), 10);
  const std::string tmp = SegPath(dir.path(), kT0 + 600) + ".tmp";
  WriteBytes(tmp, 0, std::vector<uint8_t>(30, 0x11));  // a header cut short by a crash
  CheckReport r = CheckOrDie(dir.path());
  EXPECT_EQ(r.temp_files.size(), 1u);
  EXPECT_FALSE(r.damage_found());
  {
    auto ro = Log::OpenReadOnly(dir.path());  // readers leave it alone
    ASSERT_TRUE(ro.ok());
    EXPECT_EQ(ro.value()->last_time(), kT0 + 50);
  }
  EXPECT_EQ(FileSize(tmp), 30);
  auto log = Log::Open(dir.path(), Options());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(FileSize(tmp), -1);
  ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 605)).ok());
}

TEST(Damage, ReadOnlyOpenSkipsBadSegmentsWithoutRenaming) {
  TempDir dir;
  Fill(dir.path(), 300);
  const std::string oldest = SegPath(dir.path(), kT0);
  FlipByte(oldest, 3);  // magic
  auto ro = Log::OpenReadOnly(dir.path());
  ASSERT_TRUE(ro.ok()) << ro.error();
  EXPECT_EQ(ro.value()->info().set_aside.size(), 1u);
  EXPECT_GT(FileSize(oldest), 0);
  EXPECT_EQ(ro.value()->first().value()->time, kT0 + 600);
  EXPECT_EQ(ro.value()->last_time(), kT0 + 1500);
}

TEST(Damage, RepairRefusesWhileAWriterHoldsTheLog) {
  TempDir dir;
  Fill(dir.path(), 10);
  auto log = Log::Open(dir.path(), Options());
  ASSERT_TRUE(log.ok());
  auto rep = repair(dir.path());
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.error().find("in use"), std::string::npos);
  EXPECT_TRUE(check(dir.path()).ok());  // check is fine
}

TEST(Damage, RandomDamageNeverCostsAGoodRecord) {
  // Many rounds of random flips, zero runs, truncations and garbage over several segments:
  // repair keeps exactly the records that were good before it, and leaves a clean log.
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    TempDir dir;
    Fill(dir.path(), 400);
    for (int k = 0; k < 6; ++k) {
      const int64_t t = kT0 + 5 * (1 + static_cast<int64_t>(rng() % 400));
      const std::string path = SegPath(dir.path(), SegStart(t));
      switch (rng() % 4) {
        case 0:
          FlipByte(path, Offset(t) + static_cast<int64_t>(rng() % kRs));
          break;
        case 1:
          WriteBytes(path, Offset(t) + 3, std::vector<uint8_t>(rng() % (2 * kRs), 0));
          break;
        case 2: {
          std::vector<uint8_t> g(rng() % (3 * kRs) + 1);
          for (auto& b : g) b = static_cast<uint8_t>(rng());
          WriteBytes(path, Offset(t) + static_cast<int64_t>(rng() % kRs), g);
          break;
        }
        default:
          if (FileSize(path) > Offset(t)) {
            ASSERT_EQ(::truncate(path.c_str(), Offset(t) + 7), 0);
          }
      }
    }
    const auto before = GoodTimes(dir.path());
    CheckReport r = CheckOrDie(dir.path());
    EXPECT_EQ(r.records, static_cast<int64_t>(before.size()));
    auto rep = repair(dir.path());
    ASSERT_TRUE(rep.ok()) << rep.error();
    EXPECT_EQ(GoodTimes(dir.path()), before) << "round " << round;
    r = CheckOrDie(dir.path());
    EXPECT_FALSE(r.damage_found()) << format_report(r);
    // And the log opens and takes new records.
    auto log = Log::Open(dir.path(), Options());
    ASSERT_TRUE(log.ok()) << log.error();
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), kT0 + 5 * 401)).ok());
  }
}

}  // namespace
}  // namespace iw::datalog
