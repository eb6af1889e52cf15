// A full disk and failing I/O under a Log, on the fault-injecting Env (testing/fault_env.h):
// FORMAT.md promises that a failed append names the file and the error, leaves the log
// consistent (the slot stays empty), and that a later append works once space returns.
#include <gtest/gtest.h>

#include <string>

#include "datalog/check.h"
#include "datalog/datalog_testing.h"
#include "datalog/log.h"
#include "testing/fault_env.h"

namespace iw::datalog {
namespace {

using iw::testing::Fault;
using iw::testing::FaultEnv;
using iw::testing::FsOp;
using iw::testing::op_bit;
using testing::MakeRecord;
using testing::Matches;
using testing::TempDir;
using testing::TestLayout;

constexpr int64_t kT0 = 1700006400;  // a day boundary

LogOptions Options(FaultEnv* env) {
  LogOptions o;
  o.interval_s = 5;
  o.span_slots = 720;  // an hour: the tests cross a segment boundary cheaply
  o.layout = TestLayout();
  o.sync_interval_s = 60;
  o.env = env;
  return o;
}

// Every slot from `from` to `to` holds its record, and check finds no damage.
void ExpectIntact(const std::string& dir, FaultEnv* env, int64_t from, int64_t to) {
  auto log = Log::OpenReadOnly(dir, env);
  ASSERT_TRUE(log.ok()) << log.error();
  for (int64_t t = from; t <= to; t += 5) {
    auto r = log.value()->read(t);
    ASSERT_TRUE(r.ok() && r.value()) << "record " << t << " missing";
    EXPECT_TRUE(Matches(TestLayout(), *r.value()));
  }
  CheckOptions options;
  options.env = env;
  auto report = check(dir, options);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_FALSE(report->damage_found()) << format_report(report.value());
}

TEST(DiskFull, AnAppendThatHitsEnospcNamesTheFileAndALaterOneWorks) {
  TempDir tmp;
  FaultEnv env;
  auto log = Log::Open(tmp.path(), Options(&env));
  ASSERT_TRUE(log.ok()) << log.error();
  for (int64_t t = kT0 + 5; t <= kT0 + 100; t += 5) ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), t)).ok());
  // The disk fills: three writes fail, the first after writing part of its record.
  Fault full;
  full.ops = op_bit(FsOp::kWrite);
  full.path_part = ".iwl";
  full.count = 3;
  full.err = ENOSPC;
  full.partial_bytes = 100;
  env.add_fault(full);
  for (int64_t t = kT0 + 105; t <= kT0 + 115; t += 5) {
    Status st = log.value()->append(MakeRecord(TestLayout(), t));
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find(tmp.path() + "/000001700006400.iwl"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("No space left on device"), std::string::npos) << st.message();
    EXPECT_EQ(log.value()->last_time(), kT0 + 100);
  }
  EXPECT_EQ(env.faults_injected(), 3);
  EXPECT_EQ(log.value()->append_errors(), 3u);
  // The partly written slot was undone: nothing damaged, the log ends where it did.
  ExpectIntact(tmp.path(), &env, kT0 + 5, kT0 + 100);
  auto gone = log.value()->read(kT0 + 105);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone.value().has_value());
  // Space returns: appends go on after the gap.
  for (int64_t t = kT0 + 120; t <= kT0 + 200; t += 5) {
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), t)).ok()) << t;
  }
  log.value().reset();
  ExpectIntact(tmp.path(), &env, kT0 + 120, kT0 + 200);
  auto reopened = Log::Open(tmp.path(), Options(&env));
  ASSERT_TRUE(reopened.ok()) << reopened.error();
  EXPECT_EQ(reopened.value()->last_time(), kT0 + 200);
}

TEST(DiskFull, ASyncThatFailsIsReportedAndTheNextOneWorks) {
  TempDir tmp;
  FaultEnv env;
  auto log = Log::Open(tmp.path(), Options(&env));
  ASSERT_TRUE(log.ok()) << log.error();
  Fault eio;
  eio.ops = op_bit(FsOp::kSync);
  eio.path_part = ".iwl";
  eio.skip = 1;  // the new segment's header sync goes through
  eio.err = EIO;
  env.add_fault(eio);
  Status failed;
  int64_t t = kT0 + 5;
  for (; t <= kT0 + 60 && failed.ok(); t += 5) failed = log.value()->append(MakeRecord(TestLayout(), t));
  ASSERT_FALSE(failed.ok()) << "no sync within a minute of records";
  EXPECT_NE(failed.message().find("written but not synced"), std::string::npos) << failed.message();
  EXPECT_NE(failed.message().find("Input/output error"), std::string::npos) << failed.message();
  EXPECT_NE(failed.message().find(".iwl"), std::string::npos) << failed.message();
  for (; t <= kT0 + 200; t += 5) ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), t)).ok()) << t;
  ASSERT_TRUE(log.value()->sync().ok());
  // Synced now: a power cut keeps everything.
  log.value().reset();
  (void)env.power_cut(1);
  ExpectIntact(tmp.path(), &env, kT0 + 5, kT0 + 200);
}

TEST(DiskFull, ANewSegmentThatCannotBeCreatedIsRetriedByTheNextAppend) {
  TempDir tmp;
  FaultEnv env;
  auto log = Log::Open(tmp.path(), Options(&env));
  ASSERT_TRUE(log.ok()) << log.error();
  const int64_t boundary = kT0 + 3600;  // the next segment of an hour's span
  for (int64_t t = boundary - 100; t < boundary; t += 5)
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), t)).ok());
  Fault full;
  full.ops = op_bit(FsOp::kCreate) | op_bit(FsOp::kWrite);
  full.path_part = ".tmp";
  full.count = 2;
  env.add_fault(full);
  for (int64_t t = boundary; t < boundary + 10; t += 5) {
    Status st = log.value()->append(MakeRecord(TestLayout(), t));
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find(".iwl.tmp"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("No space left on device"), std::string::npos) << st.message();
  }
  for (int64_t t = boundary + 10; t <= boundary + 60; t += 5) {
    ASSERT_TRUE(log.value()->append(MakeRecord(TestLayout(), t)).ok()) << t;
  }
  log.value().reset();
  ExpectIntact(tmp.path(), &env, boundary + 10, boundary + 60);
  ExpectIntact(tmp.path(), &env, boundary - 100, boundary - 5);
  for (const auto& name : testing::ListNames(tmp.path())) EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
}

}  // namespace
}  // namespace iw::datalog
