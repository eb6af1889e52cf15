// The upload engine against a fake InfluxDB and a fake clock: bulk back-fill, live posting,
// outages with backoff, rejection, restarts from the saved cursor, and a server that is ahead
// of the cursor. The invariant every test checks: each interval with data arrives, in order,
// and (except where an answer was lost on purpose) exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/uploader_config.h"
#include "upload/fake_influx.h"
#include "upload/influx1.h"
#include "upload/pvoutput_policy.h"
#include "upload/uploader.h"

namespace iw::upload {
namespace {

using testing::FakeClock;
using testing::FakeInflux;
using testing::FakeSource;
using testing::ServerMode;

constexpr int64_t kT0 = 1'700'000'000;  // a multiple of 10

std::string temp_cursor(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("iw-engine-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / (name + ".json");
  std::filesystem::remove(path);
  return path.string();
}

Influx1Protocol protocol() {
  config::Influx1Config c;
  c.database = "iota";
  return Influx1Protocol(parse_base_url("http://127.0.0.1:8086").value(), c, "dev",
                         {{"Mains", "Watts", 1}, {"Solar", "Watts", 1}});
}

UploaderSettings settings(const std::string& cursor) {
  UploaderSettings s;
  s.name = "influxdb";
  s.type = "influxdb";
  s.target = "test";
  s.cursor_path = cursor;
  s.interval_s = 10;
  s.begdate = kT0;
  return s;
}

// Steps the uploader, jumping the clock to each wake-up, until `until_ms` or `max_steps`.
void run(Uploader& u, FakeClock& clock, int64_t until_ms, int max_steps = 100000) {
  for (int i = 0; i < max_steps && clock.now < until_ms; ++i) {
    const int64_t next = u.step(clock.now);
    clock.now = std::max(clock.now + 1, next);
  }
}

// Every interval start from `from` to `to` (exclusive) arrived exactly `times` times, and nothing else did.
void expect_each(const FakeInflux& server, int64_t from, int64_t to, int times = 1) {
  int64_t expected = 0;
  for (int64_t t = from; t < to; t += 10) {
    ++expected;
    auto it = server.deliveries.find(t);
    ASSERT_NE(it, server.deliveries.end()) << "missing interval " << t;
    EXPECT_EQ(it->second, times) << "interval " << t;
  }
  EXPECT_EQ(static_cast<int64_t>(server.deliveries.size()), expected);
}

TEST(StartPoint, LaterOfCursorAndServerWithinBegdateAndTheLog) {
  // Server ahead of the cursor: the server wins (the answer to the last post was lost).
  EXPECT_EQ(start_point(kT0, kT0 + 100, 10, 0, std::nullopt, kT0 + 500), kT0 + 110);
  // Server behind or empty: the cursor wins (no re-sending of what was acknowledged).
  EXPECT_EQ(start_point(kT0 + 200, kT0 + 100, 10, 0, std::nullopt, kT0 + 500), kT0 + 200);
  EXPECT_EQ(start_point(kT0 + 200, std::nullopt, 10, 0, std::nullopt, kT0 + 500), kT0 + 200);
  // Neither: begdate, else now (the original's choices).
  EXPECT_EQ(start_point(std::nullopt, std::nullopt, 10, kT0 + 3, std::nullopt, kT0 + 500), kT0 + 10);
  EXPECT_EQ(start_point(std::nullopt, std::nullopt, 10, 0, std::nullopt, kT0 + 507), kT0 + 500);
  // Never before begdate or the oldest record; an interval change aligns forward.
  EXPECT_EQ(start_point(kT0, std::nullopt, 10, kT0 + 50, std::nullopt, kT0 + 500), kT0 + 50);
  EXPECT_EQ(start_point(kT0, std::nullopt, 10, 0, kT0 + 80, kT0 + 500), kT0 + 80);
  EXPECT_EQ(start_point(kT0 + 30, std::nullopt, 60, 0, std::nullopt, kT0 + 500), 1'700'000'040);  // next multiple of 60
}

TEST(Engine, SendsABacklogInBulkWithinTheByteBudgetThenLive) {
  FakeSource source;
  source.last = kT0 + 7200;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  UploaderSettings s = settings(temp_cursor("bulk"));
  s.max_request_bytes = 8000;
  Uploader u(s, proto, server, source);
  run(u, clock, 60'000);
  expect_each(server, kT0, kT0 + 7200);
  // 720 intervals of ~80 bytes in requests of at most 8000 bytes: a handful, not 720.
  EXPECT_LT(server.writes, 20);
  EXPECT_GT(server.writes, 5);
  for (size_t b : server.body_sizes) EXPECT_LE(b, 8000u);
  EXPECT_EQ(u.status().state, UploaderState::kLive);
  EXPECT_EQ(u.status().backlog_intervals, 0);
  EXPECT_EQ(u.status().last_sent, kT0 + 7190);

  // Live: one request per new interval.
  const int before = server.writes;
  for (int i = 0; i < 5; ++i) {
    source.last += 10;
    run(u, clock, clock.now + 1000);
  }
  EXPECT_EQ(server.writes, before + 5);
  expect_each(server, kT0, kT0 + 7250);
}

TEST(Engine, A413SendsLessAtOnceWithoutBackoff) {
  FakeSource source;
  source.last = kT0 + 7200;
  FakeInflux server;
  server.max_body = 3000;
  FakeClock clock;
  const auto proto = protocol();
  Uploader u(settings(temp_cursor("413")), proto, server, source);
  run(u, clock, 2'000);  // no backoff: a few hundred steps of 1 ms
  expect_each(server, kT0, kT0 + 7200);
  for (size_t b : server.body_sizes) EXPECT_LE(b, 3000u);
  EXPECT_LT(server.requests - server.writes, 20);  // each 413 at least halves the request
  EXPECT_EQ(u.status().last_error, "");
}

TEST(Engine, BulksendWaitsForThatManyIntervals) {
  FakeSource source;
  source.last = kT0;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  UploaderSettings s = settings(temp_cursor("bulksend"));
  s.bulksend = 3;
  Uploader u(s, proto, server, source);
  run(u, clock, 1000);
  source.last = kT0 + 20;
  run(u, clock, clock.now + 5000);
  EXPECT_EQ(server.writes, 0);
  source.last = kT0 + 30;
  run(u, clock, clock.now + 5000);
  EXPECT_EQ(server.writes, 1);
  expect_each(server, kT0, kT0 + 30);
}

TEST(Engine, BacksOffExponentiallyWithJitterDuringAnOutageAndLosesNothing) {
  FakeSource source;
  source.last = kT0 + 600;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  UploaderSettings s = settings(temp_cursor("outage"));
  Uploader u(s, proto, server, source);
  run(u, clock, 1000);  // delivered so far
  server.mode = ServerMode::kDown;
  source.last = kT0 + 1200;
  std::vector<int64_t> waits;
  for (int i = 0; i < 12; ++i) {
    const int64_t next = u.step(clock.now);
    waits.push_back(next - clock.now);
    clock.now = next;
  }
  EXPECT_EQ(u.status().state, UploaderState::kRetrying);
  EXPECT_NE(u.status().last_error.find("Connection refused"), std::string::npos) << u.status().last_error;
  for (size_t i = 0; i < waits.size(); ++i) {
    const int64_t d = std::min<int64_t>(300'000, 1000LL << i);
    EXPECT_GE(waits[i], d / 2) << i;
    EXPECT_LE(waits[i], d) << i;
  }
  EXPECT_GE(waits.back(), 150'000);  // bounded at 5 min, never below half of it
  server.mode = ServerMode::kUp;
  run(u, clock, clock.now + 400'000);
  expect_each(server, kT0, kT0 + 1200);
  EXPECT_EQ(u.status().state, UploaderState::kLive);
  EXPECT_EQ(u.status().last_error, "");
}

TEST(Engine, ServerErrorsAndRateLimitsKeepThePointsAndHonourRetryAfter) {
  FakeSource source;
  source.last = kT0 + 100;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  Uploader u(settings(temp_cursor("429")), proto, server, source);
  u.step(clock.now);  // start
  server.mode = ServerMode::kTooMany;
  server.retry_after_s = 120;
  const int64_t next = u.step(clock.now + 200'000);
  EXPECT_GE(next - (clock.now + 200'000), 120'000);
  EXPECT_NE(u.status().last_error.find("429"), std::string::npos) << u.status().last_error;
  server.mode = ServerMode::kError500;
  clock.now = next;
  clock.now = u.step(clock.now);
  EXPECT_EQ(u.status().state, UploaderState::kRetrying);
  server.mode = ServerMode::kUp;
  run(u, clock, clock.now + 400'000);
  expect_each(server, kT0, kT0 + 100);
}

TEST(Engine, ARejectedPostIsReportedAndRetriedOnlyEveryTenMinutes) {
  FakeSource source;
  source.last = kT0 + 100;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  Uploader u(settings(temp_cursor("rejected")), proto, server, source);
  server.mode = ServerMode::kBadRequest;
  run(u, clock, 9 * 60'000);
  EXPECT_EQ(u.status().state, UploaderState::kRejected);
  EXPECT_NE(u.status().last_error.find("unable to parse"), std::string::npos) << u.status().last_error;
  EXPECT_EQ(server.requests, 2);  // the start-up query and one post: no tight loop
  run(u, clock, 31 * 60'000);
  EXPECT_EQ(server.requests, 2 + 3);  // at 10, 20 and 30 minutes
  server.mode = ServerMode::kUp;
  run(u, clock, 42 * 60'000);
  expect_each(server, kT0, kT0 + 100);
}

TEST(Engine, RestartContinuesFromTheSavedCursorWhenTheServerKnowsNothing) {
  FakeSource source;
  source.last = kT0 + 300;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  const std::string cursor = temp_cursor("restart");
  {
    Uploader u(settings(cursor), proto, server, source);
    run(u, clock, 1000);
  }
  expect_each(server, kT0, kT0 + 300);
  auto saved = load_cursor(cursor);
  ASSERT_TRUE(saved.ok() && saved.value());
  EXPECT_EQ(saved.value()->next, kT0 + 300);
  // The server loses everything (or the series was renamed): the cursor wins, history is not re-sent.
  server.deliveries.clear();
  source.last = kT0 + 400;
  Uploader again(settings(cursor), proto, server, source);
  run(again, clock, clock.now + 1000);
  expect_each(server, kT0 + 300, kT0 + 400);
}

TEST(Engine, ServerAheadOfTheCursorWinsSoACrashAfterThePostSendsNothingTwice) {
  FakeSource source;
  source.last = kT0 + 300;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  const std::string cursor = temp_cursor("ahead");
  {
    Uploader u(settings(cursor), proto, server, source);
    run(u, clock, 1000);
  }
  // As if the daemon was killed after the server took the points and before the cursor was saved.
  ASSERT_TRUE(save_cursor(cursor, Cursor{kT0 + 100, kT0 + 90, "test"}).ok());
  source.last = kT0 + 500;
  Uploader again(settings(cursor), proto, server, source);
  run(again, clock, clock.now + 1000);
  expect_each(server, kT0, kT0 + 500);
}

TEST(Engine, ALostAnswerResendsOnlyThatBatch) {
  FakeSource source;
  source.last = kT0 + 100;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  Uploader u(settings(temp_cursor("lost")), proto, server, source);
  run(u, clock, 1000);
  server.mode = ServerMode::kLoseAnswer;  // the server stores the points, the answer never comes
  source.last = kT0 + 120;
  clock.now = u.step(clock.now);
  server.mode = ServerMode::kUp;
  run(u, clock, clock.now + 10'000);
  // InfluxDB keys points by series and time, so the second copy overwrites the first; it is
  // counted here to show that only that batch was sent again.
  EXPECT_EQ(server.deliveries[kT0 + 100], 2);
  EXPECT_EQ(server.deliveries[kT0 + 110], 2);
  EXPECT_EQ(server.deliveries[kT0 + 90], 1);
  EXPECT_EQ(server.deliveries.size(), 12u);
}

TEST(Engine, GarbageAtStartUpFallsBackToTheCursorOrWaitsWithoutOne) {
  FakeSource source;
  source.last = kT0 + 100;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  const std::string cursor = temp_cursor("garbage");
  server.mode = ServerMode::kGarbage;
  Uploader u(settings(cursor), proto, server, source);
  run(u, clock, 5000);
  EXPECT_EQ(u.status().state, UploaderState::kStarting);
  EXPECT_NE(u.status().last_error.find("proxy error"), std::string::npos) << u.status().last_error;
  EXPECT_EQ(server.writes, 0);

  ASSERT_TRUE(save_cursor(cursor, Cursor{kT0 + 50, kT0 + 40, "test"}).ok());
  Uploader with_cursor(settings(cursor), proto, server, source);
  with_cursor.step(clock.now);
  server.mode = ServerMode::kUp;
  run(with_cursor, clock, clock.now + 5000);
  expect_each(server, kT0 + 50, kT0 + 100);
}

// A cursor file that is not one (a nesting attack included) is set aside, kept for a look,
// and the uploader starts as without one; the next save is a fresh private file.
TEST(Engine, ADamagedCursorIsSetAsideAndReplaced) {
  FakeSource source;
  source.last = kT0 + 100;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  const std::string cursor = temp_cursor("deep");
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "{\"a\":";  // 50 KB: under the size limit
  { std::ofstream(cursor) << deep; }
  auto loaded = load_cursor(cursor);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error(), cursor + ": not an uploader cursor: nesting deeper than 64 levels at byte 321");

  Uploader u(settings(cursor), proto, server, source);
  run(u, clock, 1000);
  expect_each(server, kT0, kT0 + 100);
  size_t aside = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(cursor).parent_path())) {
    if (e.path().filename().string().rfind("deep.json.bad-", 0) == 0) {
      ++aside;
      EXPECT_EQ(std::filesystem::file_size(e.path()), deep.size());
      std::filesystem::remove(e.path());
    }
  }
  EXPECT_EQ(aside, 1u);
  auto saved = load_cursor(cursor);
  ASSERT_TRUE(saved.ok() && saved.value()) << (saved.ok() ? "none" : saved.error());
  EXPECT_EQ(saved.value()->next, kT0 + 100);
  EXPECT_EQ(std::filesystem::status(cursor).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(Engine, ACursorLargerThanAnyCursorIsNotRead) {
  const std::string cursor = temp_cursor("large");
  { std::ofstream(cursor) << std::string(kMaxCursorBytes + 1, ' '); }
  auto loaded = load_cursor(cursor);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error(), cursor + ": larger than 65536 bytes");
}

// Each text is refused as a cursor with the same message, never read as a wrapped or cast
// number: a version that is a string made nlohmann throw, 1e300 made its cast undefined, and
// a "next" beyond int64 wrapped to a time before 1970.
TEST(Engine, ACursorWhoseNumbersAreNotTimesIsRefused) {
  const std::string cursor = temp_cursor("numbers");
  for (const char* text : {R"({"version":"1","next":1733000000})", R"({"version":1e300,"next":1733000000})",
                           R"({"version":1.5,"next":1733000000})", R"({"version":1,"next":18446744073709551615})",
                           R"({"version":1,"next":1733000000.5})", R"({"version":1,"next":-1})",
                           R"({"next":1733000000})", R"([1733000000])"}) {
    { std::ofstream(cursor) << text; }
    auto loaded = load_cursor(cursor);
    ASSERT_FALSE(loaded.ok()) << text;
    EXPECT_EQ(loaded.error(), cursor + ": not an uploader cursor (version 1 with a unix time \"next\")") << text;
  }
  { std::ofstream(cursor) << R"({"version":1,"next":1733000000,"last_sent":1e300})"; }
  auto loaded = load_cursor(cursor);
  ASSERT_TRUE(loaded.ok() && loaded.value()) << (loaded.ok() ? "none" : loaded.error());
  EXPECT_EQ(loaded.value()->next, 1733000000);
  EXPECT_EQ(loaded.value()->last_sent, std::nullopt);  // optional: a bad one is left out, as before
}

TEST(Engine, IntervalsWithoutMonitoredTimeAreSkippedAndTheCursorMovesPastThem) {
  FakeSource source;
  source.last = kT0 + 86400;
  source.gap_begin = kT0 + 100;
  source.gap_end = kT0 + 86300;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  Uploader u(settings(temp_cursor("gap")), proto, server, source);
  run(u, clock, 5000);
  EXPECT_EQ(server.deliveries.size(), 20u);
  EXPECT_EQ(server.deliveries.begin()->first, kT0);
  EXPECT_EQ(server.deliveries.rbegin()->first, kT0 + 86390);
  EXPECT_EQ(u.status().backlog_intervals, 0);
}

TEST(Engine, AStoppedUploaderSendsNothing) {
  FakeSource source;
  source.last = kT0 + 100;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  UploaderSettings s = settings(temp_cursor("stopped"));
  s.stopped = true;
  Uploader u(s, proto, server, source);
  run(u, clock, 3'600'000);
  EXPECT_EQ(server.requests, 0);
  EXPECT_EQ(u.status().state, UploaderState::kStopped);
}

// A policy that holds every request until `hold_ms`, cuts batches to `batch` intervals and
// counts what the engine tells it.
class ScriptedPolicy final : public UploadPolicy {
 public:
  int64_t hold_ms = 0;
  size_t batch = 7;
  int requests = 0, answers = 0;
  std::vector<int64_t> request_times;

  std::optional<int64_t> hold_until_ms(int64_t now_ms) const override {
    return now_ms < hold_ms ? std::optional<int64_t>(hold_ms) : std::nullopt;
  }
  void on_request(int64_t now_ms) override {
    ++requests;
    request_times.push_back(now_ms);
  }
  void on_answer(const HttpResponse&, int64_t) override { ++answers; }
  size_t batch_length(std::span<const IntervalValues> intervals) const override {
    return std::min(batch, intervals.size());
  }
};

// An uploader with a ScriptedPolicy over `intervals` intervals of the fake source.
struct PolicyRig {
  explicit PolicyRig(int64_t intervals) { source.last = kT0 + intervals * 10; }
  FakeSource source;
  FakeInflux server;
  FakeClock clock;
  Influx1Protocol proto = protocol();
  ScriptedPolicy policy;
};

TEST(EnginePolicy, NoRequestBeforeThePolicyAllowsAndBatchesAreCutWhereItSays) {
  PolicyRig rig(100);
  auto& [source, server, clock, proto, policy] = rig;
  policy.hold_ms = 50'000;
  Uploader u(settings(temp_cursor("policy-hold")), proto, server, source, &policy);
  run(u, clock, 49'000);
  EXPECT_EQ(server.requests, 0);  // not even the last-point question
  run(u, clock, 200'000);
  expect_each(server, kT0, kT0 + 1000);
  EXPECT_EQ(server.writes, (100 + 6) / 7);  // 100 intervals in batches of at most 7
  for (int64_t t : policy.request_times) EXPECT_GE(t, 50'000);
  EXPECT_EQ(policy.requests, server.requests);
  EXPECT_EQ(policy.answers, server.requests);
}

TEST(EnginePolicy, AnswersOfFailedRequestsReachThePolicyToo) {
  PolicyRig rig(10);
  auto& [source, server, clock, proto, policy] = rig;
  Uploader u(settings(temp_cursor("policy-fail")), proto, server, source, &policy);
  u.step(clock.now);  // start
  server.mode = ServerMode::kError500;
  run(u, clock, 5'000);
  const int failed = server.requests - 1;
  EXPECT_GT(failed, 0);
  server.mode = ServerMode::kDown;  // no answer at all: a request, no answer
  const int answers_before = policy.answers;
  run(u, clock, 60'000);
  EXPECT_EQ(policy.answers, answers_before);
  EXPECT_GT(policy.requests, answers_before);
  server.mode = ServerMode::kUp;
  run(u, clock, 400'000);
  expect_each(server, kT0, kT0 + 100, 1);
}

// Remembers, per post, the interval starts it carried and when it went (the fake clock).
class RecordingTransport final : public Transport {
 public:
  RecordingTransport(Transport& inner, const FakeClock& clock) : inner_(inner), clock_(clock) {}
  std::vector<std::vector<int64_t>> posts;
  std::vector<int64_t> times_ms;
  Result<HttpResponse> send(const HttpRequest& request) override {
    times_ms.push_back(clock_.now);
    if (request.url.find("/write") != std::string::npos) {
      std::vector<int64_t> stamps;
      std::istringstream in(request.body);
      for (std::string line; std::getline(in, line);) stamps.push_back(std::stoll(line.substr(line.rfind(' ') + 1)));
      stamps.erase(std::unique(stamps.begin(), stamps.end()), stamps.end());
      posts.push_back(std::move(stamps));
    }
    return inner_.send(request);
  }

 private:
  Transport& inner_;
  const FakeClock& clock_;
};

constexpr int64_t kDay = 86400;
constexpr int64_t kMidnight = 1'699'920'000;  // 2023-11-14 00:00 UTC

// PVOutput's 5-minute schedule in UTC, its wall clock `wall0` + the fake clock.
PvoutputPolicy pvoutput_policy(const FakeClock& clock, int64_t wall0) {
  std::shared_ptr<const query::TimeZone> utc = std::move(query::load_iana_zone("UTC")).value();
  return PvoutputPolicy(PvoutputSchedule(utc, 300, false), false, [&clock, wall0] { return wall0 + clock.now / 1000; });
}

UploaderSettings pvoutput_settings(const std::string& name) {
  UploaderSettings s = settings(temp_cursor(name));
  s.interval_s = 300;
  s.begdate = 0;
  return s;
}

// PVOutput's schedule as the engine's policy, with 5-minute statuses in UTC and 20 days of
// log: the start is the look-back limit (14 days), each post holds at most 30 statuses of one
// date, no hour holds more than 60 requests, and every status arrives once.
TEST(EnginePolicy, PvoutputScheduleLimitsRateAndBatchesByLocalDate) {
  FakeSource source;
  source.first = kMidnight - 20 * kDay;
  source.last = kMidnight + 2 * kDay;
  FakeInflux server;
  FakeClock clock;
  RecordingTransport transport(server, clock);
  const auto proto = protocol();
  const int64_t wall0 = source.last + 100;  // the wall clock runs with the fake clock
  PvoutputPolicy policy = pvoutput_policy(clock, wall0);
  Uploader u(pvoutput_settings("pvoutput-policy"), proto, transport, source, &policy);
  run(u, clock, 4 * 3600'000);

  const int64_t lookback = kMidnight + 2 * kDay - 14 * kDay;
  ASSERT_FALSE(server.deliveries.empty());
  EXPECT_EQ(server.deliveries.begin()->first, lookback);
  for (int64_t t = lookback; t < source.last; t += 300) EXPECT_EQ(server.deliveries[t], 1) << t;
  EXPECT_EQ(static_cast<int64_t>(server.deliveries.size()), (source.last - lookback) / 300);
  for (const auto& post : transport.posts) {
    ASSERT_FALSE(post.empty());
    EXPECT_LE(post.size(), 30u);
    EXPECT_EQ((post.front() - kMidnight + 100 * kDay) / kDay, (post.back() - kMidnight + 100 * kDay) / kDay)
        << post.front() << " " << post.back();
  }
  EXPECT_EQ(transport.posts.size(), 14u * 10u);  // a day of 288 statuses is 10 posts
  for (size_t i = 60; i < transport.times_ms.size(); ++i) {
    EXPECT_GE(transport.times_ms[i] - transport.times_ms[i - 60], 3600'000) << i;
  }
  EXPECT_GE(transport.times_ms.back(), 2 * 3600'000);  // 141 requests take over two hours
}

// An outage longer than the look-back limit: what PVOutput would refuse is skipped, not sent
// again and again; everything it still takes arrives once.
TEST(EnginePolicy, PvoutputOutageLongerThanTheLookBackSkipsToTheLimit) {
  FakeSource source;
  source.first = kMidnight - 30 * kDay;
  source.last = kMidnight;
  FakeInflux server;
  FakeClock clock;
  const auto proto = protocol();
  PvoutputPolicy policy = pvoutput_policy(clock, kMidnight + 100);
  Uploader u(pvoutput_settings("pvoutput-lookback"), proto, server, source, &policy);
  run(u, clock, 3600'000);  // an hour: 60 requests, about 6 of the 14 days
  const int64_t sent_before = server.deliveries.rbegin()->first;
  EXPECT_LT(sent_before, kMidnight - 6 * kDay);
  server.mode = ServerMode::kDown;
  run(u, clock, clock.now + 10 * kDay * 1000);  // ten days without PVOutput
  server.mode = ServerMode::kUp;
  run(u, clock, clock.now + 3600'000);
  const int64_t limit = kMidnight + 10 * kDay - 14 * kDay;  // the look-back at the end of the outage
  EXPECT_EQ(server.deliveries.upper_bound(sent_before)->first, limit);
  for (int64_t t = limit; t < source.last; t += 300) EXPECT_EQ(server.deliveries[t], 1) << t;
  EXPECT_EQ(u.status().state, UploaderState::kLive);
}

}  // namespace
}  // namespace iw::upload
