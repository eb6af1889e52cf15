// Crash and resource tests in child processes: SIGKILL at random points while appending, and a
// file size limit (RLIMIT_FSIZE) standing in for a full disk.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <random>

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

LogOptions Options(int64_t span_slots) {
  LogOptions o;
  o.interval_s = 5;
  o.span_slots = span_slots;
  o.layout = TestLayout();
  o.sync_interval_s = 60;
  return o;
}

void WriteAll(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n <= 0) _exit(9);
    p += n;
    size -= static_cast<size_t>(n);
  }
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

TEST(Crash, KillNineNeverLosesAnAppendedRecord) {
  TempDir dir;
  LogOptions options = Options(120);  // 10-minute segments: kills land in rollovers too
  options.sync_interval_s = 300;      // kill -9 keeps the page cache: syncs do not matter here
  std::mt19937 rng(1234);
  std::vector<int64_t> reported;  // every time a child said append() returned ok for
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  int iterations = 0;
  for (; iterations < 50 && std::chrono::steady_clock::now() < deadline; ++iterations) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const unsigned seed = static_cast<unsigned>(rng());
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      auto log = Log::Open(dir.path(), options);
      if (!log.ok()) _exit(2);
      // Restart the way the daemon does: continue after the last record.
      std::mt19937 child_rng(seed);
      int64_t t = log.value()->last_time().value_or(kT0) + 5;
      for (;;) {
        if (child_rng() % 64 == 0) t += 5 * static_cast<int64_t>(child_rng() % 40);  // outage
        if (!log.value()->append(MakeRecord(TestLayout(), t)).ok()) _exit(3);
        WriteAll(fds[1], &t, sizeof t);
        t += 5;
      }
    }
    ::close(fds[1]);
    ::usleep(static_cast<useconds_t>(1000 + rng() % 15000));
    ::kill(pid, SIGKILL);
    const std::string bytes = ReadAll(fds[0]);
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
    for (size_t i = 0; i + sizeof(int64_t) <= bytes.size(); i += sizeof(int64_t)) {
      int64_t t;
      std::memcpy(&t, bytes.data() + i, sizeof t);
      reported.push_back(t);
    }
    // Every record reported so far is intact, and the log opens.
    auto log = Log::OpenReadOnly(dir.path());
    ASSERT_TRUE(log.ok()) << log.error();
    if (!reported.empty()) {
      ASSERT_GE(log.value()->last_time().value_or(0), reported.back());
    }
  }
  ASSERT_GT(reported.size(), 100u);
  auto log = Log::Open(dir.path(), options);
  ASSERT_TRUE(log.ok()) << log.error();
  for (int64_t t : reported) {
    auto r = log.value()->read(t);
    ASSERT_TRUE(r.ok() && r.value()) << "lost record " << t;
    ASSERT_TRUE(Matches(TestLayout(), *r.value())) << t;
  }
  // Counters continuous: strictly increasing, time after time, over the whole log.
  int64_t prev_time = 0, prev_monitored = -1, count = 0;
  ASSERT_TRUE(log.value()
                  ->scan(0, INT64_MAX,
                         [&](const Record& r) {
                           EXPECT_GT(r.time, prev_time);
                           EXPECT_GT(r.monitored_us, prev_monitored);
                           EXPECT_TRUE(Matches(TestLayout(), r));
                           prev_time = r.time;
                           prev_monitored = r.monitored_us;
                           ++count;
                           return true;
                         })
                  .ok());
  EXPECT_GE(count, static_cast<int64_t>(reported.size()));
  log.value().reset();
  auto report = check(dir.path());
  ASSERT_TRUE(report.ok());
  // A kill leaves the page cache intact; at most a record being written when the process
  // died is torn, and the next start writes over it.
  EXPECT_FALSE(report->damage_found()) << format_report(report.value());
  EXPECT_EQ(report->records, count);
  std::cout << "kill iterations: " << iterations << ", records reported: " << reported.size() << ", in log: " << count
            << "\n";
}

// The child's own checks: a failure prints why and exits non-zero.
#define CHILD_CHECK(cond, msg)                                      \
  do {                                                              \
    if (!(cond)) {                                                  \
      const std::string text = std::string(msg) + " (" #cond ")\n"; \
      WriteAll(err_fd, text.data(), text.size());                   \
      _exit(1);                                                     \
    }                                                               \
  } while (0)

TEST(Crash, FileSizeLimitIsAClearErrorAndAppendsResume) {
  TempDir dir;
  const int64_t rs = static_cast<int64_t>(format::record_size(TestLayout()));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    const int err_fd = fds[1];
    ::signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of being killed
    rlimit original;
    ::getrlimit(RLIMIT_FSIZE, &original);
    auto opened = Log::Open(dir.path(), Options(120));
    CHILD_CHECK(opened.ok(), "open");
    Log& log = *opened.value();
    for (int64_t k = 1; k <= 10; ++k) CHILD_CHECK(log.append(MakeRecord(TestLayout(), kT0 + 5 * k)).ok(), "append");
    // Room for 2.5 more records: the third is cut short.
    const std::string seg = dir.path() + "/" + format::segment_name(kT0);
    struct stat st;
    ::stat(seg.c_str(), &st);
    rlimit small = original;
    small.rlim_cur = static_cast<rlim_t>(st.st_size + 2 * rs + rs / 2);
    CHILD_CHECK(::setrlimit(RLIMIT_FSIZE, &small) == 0, "setrlimit");
    CHILD_CHECK(log.append(MakeRecord(TestLayout(), kT0 + 55)).ok(), "room for 11");
    CHILD_CHECK(log.append(MakeRecord(TestLayout(), kT0 + 60)).ok(), "room for 12");
    Status full = log.append(MakeRecord(TestLayout(), kT0 + 65));
    CHILD_CHECK(!full.ok(), "13 must fail");
    CHILD_CHECK(full.message().find(seg) != std::string::npos, "error names the file: " + full.message());
    CHILD_CHECK(full.message().find(std::strerror(EFBIG)) != std::string::npos, "error names errno: " + full.message());
    CHILD_CHECK(log.last_time() == kT0 + 60, "last unchanged");
    CHILD_CHECK(!log.append(MakeRecord(TestLayout(), kT0 + 70)).ok(), "still full");
    CHILD_CHECK(log.append_errors() == 2, "errors counted");
    // The failed slot is empty, not a torn record.
    {
      auto report = check(dir.path());
      CHILD_CHECK(report.ok() && !report->damage_found(), "no damage while full");
    }
    // Space returns.
    CHILD_CHECK(::setrlimit(RLIMIT_FSIZE, &original) == 0, "lift");
    CHILD_CHECK(log.append(MakeRecord(TestLayout(), kT0 + 75)).ok(), "append after lift");
    // A new segment cannot be created while full either; then it can.
    for (int64_t t = kT0 + 80; t < kT0 + 600; t += 5) CHILD_CHECK(log.append(MakeRecord(TestLayout(), t)).ok(), "fill");
    rlimit tiny = original;
    tiny.rlim_cur = 16;
    CHILD_CHECK(::setrlimit(RLIMIT_FSIZE, &tiny) == 0, "setrlimit tiny");
    Status no_segment = log.append(MakeRecord(TestLayout(), kT0 + 600));
    CHILD_CHECK(!no_segment.ok(), "new segment must fail");
    CHILD_CHECK(no_segment.message().find(".tmp") != std::string::npos, "names the file: " + no_segment.message());
    CHILD_CHECK(::setrlimit(RLIMIT_FSIZE, &original) == 0, "lift again");
    CHILD_CHECK(log.append(MakeRecord(TestLayout(), kT0 + 605)).ok(), "append in new segment");
    const std::string text = "ok: " + full.message() + " | " + no_segment.message() + "\n";
    WriteAll(err_fd, text.data(), text.size());
    _exit(0);
  }
  ::close(fds[1]);
  const std::string out = ReadAll(fds[0]);
  ::close(fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  std::cout << out;
  auto report = check(dir.path());
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->damage_found()) << format_report(report.value());
  EXPECT_EQ(report->records, 12 + 1 + (600 - 80) / 5 + 1);
  EXPECT_TRUE(report->temp_files.empty());
  EXPECT_EQ(report->gap_count, 2);  // the two refused records and the one refused at rollover
}

}  // namespace
}  // namespace iw::datalog
