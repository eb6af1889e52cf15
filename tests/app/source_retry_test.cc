// SourceRetry: bounded backoff, one log line per change of error, ticks while waiting (the
// watchdog's food), and a stop once an attempt opened the source.
#include "app/source_retry.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

namespace iw::app {
namespace {

using namespace std::chrono_literals;

// Collects what the default logger says during a test.
class CapturedLog {
 public:
  CapturedLog() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256)) {
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~CapturedLog() {
    auto& sinks = spdlog::default_logger()->sinks();
    std::erase(sinks, sink_);
  }
  int count(const std::string& text) const {
    int n = 0;
    for (const auto& line : sink_->last_formatted()) n += line.find(text) != std::string::npos;
    return n;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

const Status kMissing = Status::Unavailable("cannot open /dev/spidev7.0: No such file or directory");

TEST(SourceRetry, IdleWhileTheSourceRuns) {
  std::atomic<int> attempts{0}, ticks{0};
  SourceRetry retry(
      {.first = 5ms, .longest = 10ms, .tick = 5ms}, [&] { return ++attempts, kMissing; }, [&] { ++ticks; });
  retry.watch(Status::Ok());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(attempts, 0);
  EXPECT_EQ(ticks, 0);
  EXPECT_EQ(retry.state().error, "");
}

TEST(SourceRetry, BackoffDoublesUpToTheLongestDelay) {
  CapturedLog log;
  std::atomic<int> attempts{0}, ticks{0};
  SourceRetry retry(
      {.first = 20ms, .longest = 80ms, .tick = 10ms}, [&] { return ++attempts, kMissing; }, [&] { ++ticks; });
  const auto start = std::chrono::steady_clock::now();
  retry.watch(kMissing);
  std::this_thread::sleep_for(1000ms);
  const double waited_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  retry.stop();
  // Attempts at 20, 60, 140, 220 ... ms: 20 + 40 + 80 k. Never more often than that; a loaded
  // machine may make them rarer, never a busy loop.
  const int most = 2 + static_cast<int>((waited_ms - 60) / 80) + 1;
  EXPECT_LE(attempts, most);
  EXPECT_GE(attempts, 4);
  EXPECT_GE(ticks, attempts) << "ticks go on between attempts (they feed the watchdog)";
  EXPECT_EQ(log.count("No such file or directory"), 1) << "logged once, not per attempt";
}

TEST(SourceRetry, StateSaysWhyAndCounts) {
  std::atomic<int> attempts{0};
  SourceRetry retry(
      {.first = 10ms, .longest = 10s, .tick = 5ms}, [&] { return ++attempts, kMissing; }, [] {});
  retry.watch(kMissing);
  std::this_thread::sleep_for(200ms);
  const SourceRetryState s = retry.state();
  EXPECT_EQ(s.error, kMissing.message());
  EXPECT_EQ(s.attempts, static_cast<uint64_t>(attempts.load()));
  EXPECT_GE(s.attempts, 1u);
  EXPECT_GT(s.next_in_s, 0);
  EXPECT_LE(s.next_in_s, 10);
}

TEST(SourceRetry, ANewErrorIsLoggedOnceMore) {
  CapturedLog log;
  std::atomic<int> attempts{0};
  SourceRetry retry(
      {.first = 5ms, .longest = 10ms, .tick = 5ms},
      [&] { return ++attempts < 3 ? kMissing : Status::Unavailable("cannot open /dev/spidev7.0: Permission denied"); },
      [] {});
  retry.watch(kMissing);
  std::this_thread::sleep_for(300ms);
  retry.stop();
  EXPECT_GE(attempts, 5);
  EXPECT_EQ(log.count("No such file or directory"), 1);
  EXPECT_EQ(log.count("Permission denied"), 1);
  EXPECT_EQ(retry.state().error, "cannot open /dev/spidev7.0: Permission denied");
}

// The attempt that works switches the daemon over; it says so with watch(Ok) from the retry
// thread, as Daemon::reopen_source does through switch_to.
TEST(SourceRetry, StopsOnceTheSourceOpens) {
  std::atomic<int> attempts{0};
  SourceRetry* self = nullptr;
  SourceRetry retry(
      {.first = 5ms, .longest = 10ms, .tick = 5ms},
      [&] {
        if (++attempts < 3) return kMissing;
        self->watch(Status::Ok());
        return Status::Ok();
      },
      [] {});
  self = &retry;
  retry.watch(kMissing);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(retry.state().error, "");
  // A later config whose device is missing starts it again.
  retry.watch(kMissing);
  EXPECT_EQ(retry.state().error, kMissing.message());
}

}  // namespace
}  // namespace iw::app
