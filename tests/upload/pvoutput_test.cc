// PVOutput: config section, status bytes (hand-computed), answer parsing, the schedule (rate
// limit, batching, look-back), and uploads against the test server with a simulated clock.
#include "upload/pvoutput.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "config/pvoutput_config.h"
#include "upload/pvoutput_schedule.h"
#include "upload/pvoutput_server.h"

namespace iw::upload {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::PvoutputFailure;
using testing::PvoutputTestServer;

constexpr const char* kApiKey = "0123456789abcdef0123456789abcdef01234567";
constexpr int64_t kJune1At0855Utc = 1780304100;       // 10:55 in Berlin (CEST)
constexpr int64_t kBerlinMidnightJune1 = 1780264800;  // 2026-05-31 22:00 UTC

std::shared_ptr<const query::TimeZone> berlin() {
  static const std::shared_ptr<const query::TimeZone> zone = std::move(query::load_iana_zone("Europe/Berlin")).value();
  return zone;
}

json section(bool donation = false) {
  return json{{"type", "pvoutput"},
              {"revision", 2},
              {"apikey", kApiKey},
              {"systemid", "4242"},
              {"interval", 300},
              {"begdate", 0},
              {"reload", false},
              {"stop", false},
              {"donation", donation},
              {"outputs", json::array({{{"name", "consumption"}, {"units", "Watts"}, {"script", "@1+@2"}},
                                       {{"name", "generation"}, {"units", "Watts"}, {"script", "@3"}},
                                       {{"name", "extended_2(v8)"}, {"units", "Amps"}, {"script", "@4"}},
                                       {{"name", "voltage"}, {"units", "Volts"}, {"script", "@0"}}})}};
}

config::PvoutputSettings settings_of(const json& j) {
  auto s = config::parse_pvoutput_settings(j);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error());
  return s.value();
}

std::unique_ptr<PvoutputProtocol> protocol(const json& j, std::shared_ptr<const query::TimeZone> zone = berlin()) {
  auto p = PvoutputProtocol::create(settings_of(j), std::move(zone));
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error());
  return std::move(p).value();
}

std::string header(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

// ---- config -------------------------------------------------------------------------------

TEST(PvoutputConfig, ReadsTheSectionAsTheUiWritesIt) {
  const config::PvoutputSettings s = settings_of(section(true));
  EXPECT_EQ(s.apikey, kApiKey);
  EXPECT_EQ(s.systemid, "4242");
  EXPECT_EQ(s.status_interval_s, 300);
  EXPECT_TRUE(s.donation);
  EXPECT_EQ(s.url, "https://pvoutput.org");
  ASSERT_EQ(s.outputs.size(), 4u);
  EXPECT_EQ(s.outputs[2].field, config::PvoutputField::kExtended);
  EXPECT_EQ(s.outputs[2].extended, 2);
  EXPECT_EQ(config::describe_pvoutput(s),
            "system=4242 interval=300s donation outputs=consumption,generation,extended_2(v8),voltage");
}

TEST(PvoutputConfig, EveryProblemNamesItsKeyAndTheKeyIsNeverEchoed) {
  json j = section();
  j["apikey"] = "not-a-key-but-a-secret";
  j["systemid"] = "12a";
  j["interval"] = 120;
  j["outputs"][0]["name"] = "generation";
  j["outputs"][2]["name"] = "extended_7";
  const auto s = config::parse_pvoutput_settings(j);
  ASSERT_FALSE(s.ok());
  const std::string e = s.error();
  EXPECT_THAT(e, HasSubstr("pvoutput.apikey: is 22 characters; expected 40 hex digits"));
  EXPECT_THAT(e, HasSubstr("pvoutput.systemid: \"12a\" is not a system id"));
  EXPECT_THAT(e, HasSubstr("pvoutput.interval: 120 is not a PVOutput status interval"));
  EXPECT_THAT(e, HasSubstr("pvoutput.outputs[1].name: \"generation\" feeds the same PVOutput value"));
  EXPECT_THAT(
      e, HasSubstr("pvoutput.outputs[2].name: \"extended_7\" is not generation, consumption, voltage or extended_1"));
  EXPECT_EQ(e.find("secret"), std::string::npos);
  const auto missing = config::parse_pvoutput_settings(json::object());
  for (const char* key : {"pvoutput.apikey: missing", "pvoutput.systemid: missing", "pvoutput.outputs: missing"}) {
    EXPECT_THAT(missing.error(), HasSubstr(key));
  }
}

// ---- request bytes -------------------------------------------------------------------------

TEST(PvoutputRequest, ColumnsFollowPvoutputFieldOrder) {
  const auto p = protocol(section(true));
  const auto& c = p->columns();
  ASSERT_EQ(c.size(), 6u);
  const int fields[] = {1, 2, 3, 4, 6, 8};
  const size_t outputs[] = {1, 1, 0, 0, 3, 2};
  for (size_t i = 0; i < c.size(); ++i) {
    EXPECT_EQ(c[i].field, fields[i]);
    EXPECT_EQ(c[i].output, outputs[i]);
  }
  EXPECT_EQ(c[0].unit, query::Unit::kWh);
  EXPECT_EQ(c[0].span, PvoutputSpan::kSinceLocalMidnight);
  EXPECT_EQ(c[1].unit, query::Unit::kWatts);
  EXPECT_EQ(c[1].span, PvoutputSpan::kInterval);
  EXPECT_EQ(c[5].unit, query::Unit::kAmps);
  EXPECT_EQ(protocol(section(false))->columns().size(), 5u);  // v7..v12 need donation mode
}

TEST(PvoutputRequest, BatchBodyIsLocalTimeAndFieldsAsTheOriginalWritesThem) {
  const auto p = protocol(section(true));
  const std::vector<IntervalValues> two = {
      // v1 v2 v3 v4 v6 v8; consumption power negative -> both consumption fields empty
      {kJune1At0855Utc, kJune1At0855Utc + 300, {1234.4, 2500.6, 800, -5, 241.26, 3.14159}},
      {kJune1At0855Utc + 300, kJune1At0855Utc + 600, {std::nullopt, 10, 900.6, 700.2, std::nullopt, std::nullopt}},
  };
  const HttpRequest r = p->post_request(two);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://pvoutput.org/service/r2/addbatchstatus.jsp");
  EXPECT_EQ(r.body, "data=20260601,10:55,1234,2501,,,,241.3,,3.142;20260601,11:00,,,901,700,,,,");
  EXPECT_EQ(header(r, "X-Pvoutput-Apikey"), kApiKey);
  EXPECT_EQ(header(r, "X-Pvoutput-SystemId"), "4242");
  EXPECT_EQ(header(r, "X-Rate-Limit"), "1");
  EXPECT_EQ(header(r, "Content-Type"), "application/x-www-form-urlencoded");
  const auto plain = protocol(section(false));
  EXPECT_EQ(plain->status_entry({kJune1At0855Utc, kJune1At0855Utc + 300, {1234.4, 2500.6, 800, -5, 241.26}}),
            "20260601,10:55,1234,2501,,,,241.3");
}

TEST(PvoutputRequest, OtherServicesAndTheirAnswers) {
  const auto p = protocol(section());
  EXPECT_EQ(p->last_point_request()->url, "https://pvoutput.org/service/r2/getstatus.jsp");
  EXPECT_EQ(p->last_point_request()->body, "");
  EXPECT_EQ(p->system_request().url, "https://pvoutput.org/service/r2/getsystem.jsp");
  EXPECT_EQ(p->system_request().body, "donations=1");
  const auto system = p->parse_system({200, {}, "Sys,3000,2000,10,300,B,1,3000,I,N,20.0,No,20200101,52.5,13.4,10;x;1"});
  ASSERT_TRUE(system.ok()) << system.error();
  EXPECT_EQ(system->status_interval_s, 600);
  EXPECT_TRUE(system->donation);
  EXPECT_THAT(p->parse_system({200, {}, "Sys,3000"}).error(), HasSubstr("item 15"));
  EXPECT_THAT(p->parse_system({401, {}, "Unauthorized 401: Invalid API Key"}).error(), HasSubstr("HTTP 401"));
}

// ---- answers -------------------------------------------------------------------------------

TEST(PvoutputAnswer, LastStatusIsLocalTimeConvertedToUtc) {
  const auto p = protocol(section());
  const auto t = p->parse_last_point({200, {}, "20260601,10:55,1234,2501,NaN,NaN,NaN,241.3,0.411"});
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t.value(), kJune1At0855Utc);
  const auto none = p->parse_last_point({400, {}, "Bad request 400: No status found"});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());
  for (const auto& [answer, message] : std::vector<std::pair<HttpResponse, std::string>>{
           {{401, {}, "Unauthorized 401: Invalid API Key"},
            "HTTP 401 to getstatus.jsp: Unauthorized 401: Invalid API Key"},
           {{200, {}, "20261301,10:55,1"}, "does not start with yyyymmdd,hh:mm"},
           {{200, {}, "20260601,25:00"}, "does not start with yyyymmdd,hh:mm"},
           {{200, {}, ""}, "does not start with"},
       }) {
    const auto r = p->parse_last_point(answer);
    ASSERT_FALSE(r.ok()) << answer.body;
    EXPECT_THAT(r.error(), HasSubstr(message));
  }
}

TEST(PvoutputAnswer, PostVerdicts) {
  const auto p = protocol(section());
  testing::expect_answer_verdicts(
      *p,
      {
          {{200, {}, "OK 200: Added Status"}, PostOutcome::kAccepted, ""},
          {{200, {}, "20260601,10:55,1;20260601,11:00,1"}, PostOutcome::kAccepted, ""},
          {{200, {}, "20260601,10:55,1;20260601,11:00,0\r\n"}, PostOutcome::kAccepted, "did not add 1 of the statuses"},
          {{200, {}, "<html>"}, PostOutcome::kRetry, "Invalid response: <html>"},
          {{200, {}, ""}, PostOutcome::kRetry, "Invalid response"},
          {{400, {}, "Bad request 400: Load in progress"}, PostOutcome::kRetry, "Load in progress"},
          {{400, {}, "Bad request 400: Date is older than 14 days [20260101]"},
           PostOutcome::kRejected,
           "Date is older than 14 days"},
          {{400, {}, "Bad request 400: Date is in the future [20270101]"},
           PostOutcome::kRejected,
           "Date is in the future"},
          {{400, {}, "Bad request 400: Moon Powered"}, PostOutcome::kRejected, "Moon Powered"},
          {{401, {}, "Unauthorized 401: Invalid System ID"}, PostOutcome::kRejected, "Invalid System ID"},
          {{403, {{"X-Rate-Limit-Reset", "1780304100"}}, "Forbidden 403: Exceeded number requests per hour"},
           PostOutcome::kRetry,
           "Rate-Limit exceeded (Forbidden 403: Exceeded number requests per hour). Resume at 10:55"},
          {{403, {}, "Forbidden 403: Donation Mode"}, PostOutcome::kRejected, "HTTP 403: Forbidden 403: Donation Mode"},
          {{503, {}, "busy"}, PostOutcome::kRetry, "HTTP 503: busy"},
          {{0, {}, ""}, PostOutcome::kRetry, "HTTP 0"},
      });
}

// ---- schedule ------------------------------------------------------------------------------

TEST(PvoutputSchedule, LookBackIsLocalMidnightFourteenDaysAgoNotZero) {
  const PvoutputSchedule s(berlin(), 300, false);
  // Fixed precedence bug: the limit is 14 local days back, far from 0.
  EXPECT_EQ(s.lookback_limit(kJune1At0855Utc), kBerlinMidnightJune1 - 14 * 86400);
  // 90 days back is March 3, winter time (+01:00): local midnight is an hour later in UTC.
  EXPECT_EQ(PvoutputSchedule(berlin(), 300, true).lookback_limit(kJune1At0855Utc),
            kBerlinMidnightJune1 - 90 * 86400 + 3600);
  EXPECT_EQ(s.local_midnight(kJune1At0855Utc), kBerlinMidnightJune1);
}

TEST(PvoutputSchedule, StartPointPrecedence) {
  const PvoutputSchedule s(berlin(), 300, false);
  const int64_t now = kJune1At0855Utc;
  const int64_t limit = s.lookback_limit(now);
  // After the last status.
  EXPECT_EQ(s.start_point({now - 3600, now, 0, 0, false}), now - 3300);
  // A last status older than the limit, no status at all, or reload: the limit.
  EXPECT_EQ(s.start_point({now - 30 * 86400, now, 0, 0, false}), limit);
  EXPECT_EQ(s.start_point({std::nullopt, now, 0, 0, false}), limit);
  EXPECT_EQ(s.start_point({now - 3600, now, 0, 0, true}), limit);
  // The log's start and begdate are floors, aligned up to the status interval.
  EXPECT_EQ(s.start_point({std::nullopt, now, now - 86400 + 7, 0, false}), now - 86400 + 300);
  EXPECT_EQ(s.start_point({now - 7200, now, 0, now - 3599, false}), now - 3300);
}

TEST(PvoutputSchedule, AlignsInLocalTimeInAQuarterHourZone) {
  const std::shared_ptr<const query::TimeZone> kathmandu = std::move(query::load_iana_zone("Asia/Kathmandu")).value();
  const PvoutputSchedule s(kathmandu, 600, false);
  const int64_t t = kJune1At0855Utc;  // 14:40 in Kathmandu (+05:45)
  EXPECT_EQ(s.align_down(t), t);
  EXPECT_EQ(s.align_down(t + 599), t);
  EXPECT_EQ(s.align_up(t + 1), t + 600);
  const int64_t utc_aligned = t - t % 600;  // 14:35 local: not a status time
  EXPECT_NE(s.align_down(utc_aligned), utc_aligned);
}

TEST(PvoutputSchedule, BatchesHoldAtMostThirtyStatusesOfOneLocalDate) {
  const PvoutputSchedule s(berlin(), 300, false);
  std::vector<IntervalValues> iv;
  for (int64_t t = kBerlinMidnightJune1 - 3600; t < kBerlinMidnightJune1 + 86400; t += 300)
    iv.push_back({t, t + 300, {}});
  EXPECT_EQ(s.batch_length(iv), 12u);  // 23:00..23:55 of May 31, then June 1 starts
  EXPECT_EQ(s.batch_length(std::span(iv).subspan(12)), 30u);
  EXPECT_EQ(PvoutputSchedule(berlin(), 300, true).batch_length(std::span(iv).subspan(12)), 100u);
  EXPECT_EQ(s.batch_length(std::span(iv).last(5)), 5u);
  EXPECT_EQ(s.batch_length({}), 0u);
}

TEST(PvoutputSchedule, RateLimitSlidesOverTheLastHourAndHonoursTheServer) {
  PvoutputSchedule s(berlin(), 300, false);
  const int64_t t0 = kJune1At0855Utc;
  for (int i = 0; i < 60; ++i) {
    EXPECT_FALSE(s.wait_until(t0 + i).has_value()) << i;
    s.record_request(t0 + i);
  }
  EXPECT_EQ(s.wait_until(t0 + 60), t0 + 3600);  // the first request leaves the window then
  EXPECT_FALSE(s.wait_until(t0 + 3600).has_value());
  PvoutputSchedule fresh(berlin(), 300, false);
  fresh.observe(
      {403, {{"x-rate-limit-reset", std::to_string(t0 + 900)}}, "Forbidden 403: Exceeded number requests per hour"},
      t0);
  EXPECT_EQ(fresh.wait_until(t0), t0 + 900);
  PvoutputSchedule told(berlin(), 300, false);
  told.observe({200, {{"X-Rate-Limit-Remaining", "0"}, {"X-Rate-Limit-Reset", std::to_string(t0 + 120)}}, "OK 200"},
               t0);
  EXPECT_EQ(told.wait_until(t0 + 1), t0 + 120);
  PvoutputSchedule no_header(berlin(), 300, false);
  no_header.observe({403, {}, "Forbidden 403: Exceeded number requests per hour"}, t0);
  EXPECT_EQ(no_header.wait_until(t0), t0 + 3600);
}

// ---- against the test server ---------------------------------------------------------------

// A sunny day: generation W follows a half sine from 06:00 to 18:00 local; consumption and
// volts vary; Wh are summed from local midnight as an engine would query them.
std::vector<IntervalValues> simulated(const PvoutputProtocol& p, const PvoutputSchedule& s, int64_t from, int64_t to) {
  std::vector<IntervalValues> out;
  double gen_wh = 0;
  double cons_wh = 0;
  int64_t day = s.local_midnight(from);
  for (int64_t t = s.local_midnight(from); t < to; t += 300) {
    if (s.local_midnight(t) != day) {
      day = s.local_midnight(t);
      gen_wh = cons_wh = 0;
    }
    const double hour = static_cast<double>(t - day) / 3600.0;
    const double gen_w = hour > 6 && hour < 18 ? 3000 * std::sin(std::numbers::pi * (hour - 6) / 12) : 0;
    const double cons_w = 400 + 37 * static_cast<double>((t / 300) % 9);
    gen_wh += gen_w * 300 / 3600;
    cons_wh += cons_w * 300 / 3600;
    if (t < from) continue;
    EXPECT_EQ(p.columns().size(), 5u);
    out.push_back({t, t + 300, {gen_wh, gen_w, cons_wh, cons_w, 229.5 + 0.1 * static_cast<double>((t / 300) % 20)}});
  }
  return out;
}

// What an engine does with the schedule: start point, batches, rate limit (the simulated clock
// jumps to the time the schedule names), retries of kRetry. Returns the requests sent.
int upload(const PvoutputProtocol& p, PvoutputSchedule& s, PvoutputTestServer& server,
           std::span<const IntervalValues> todo, int64_t& now) {
  int requests = 0;
  while (!todo.empty()) {
    if (auto wait = s.wait_until(now)) now = *wait;
    server.set_now(now);
    const size_t n = s.batch_length(todo);
    s.record_request(now);
    const HttpResponse answer = testing::send(p.post_request(todo.first(n)));
    s.observe(answer, now);
    ++requests;
    const PostVerdict v = p.parse_post_response(answer);
    EXPECT_NE(v.outcome, PostOutcome::kRejected) << v.message;
    if (v.outcome == PostOutcome::kRejected) return requests;
    if (v.outcome == PostOutcome::kAccepted) todo = todo.subspan(n);
    now += 2;
  }
  return requests;
}

class PvoutputServerTest : public ::testing::Test {
 protected:
  std::unique_ptr<PvoutputProtocol> make(const std::string& key = kApiKey) {
    json j = section();
    j["url"] = server_.url();
    j["apikey"] = key;
    j["outputs"].erase(2);  // no extended value: not a donation account
    return protocol(j);
  }
  PvoutputTestServer server_{kApiKey, "4242", berlin(), 5, false};
  PvoutputSchedule schedule_{berlin(), 300, false};
};

TEST_F(PvoutputServerTest, TwoDaysOfBacklogArriveAsStatusesEqualToTheIntervals) {
  const auto p = make();
  int64_t now = kBerlinMidnightJune1 + 2 * 86400 + 20 * 3600;  // June 3, 20:00 local
  server_.set_now(now);
  const auto last = p->parse_last_point(testing::send(*p->last_point_request()));
  ASSERT_TRUE(last.ok()) << last.error();
  EXPECT_FALSE(last.value().has_value());
  const int64_t start = schedule_.start_point({last.value(), now, now - 2 * 86400 - 3 * 3600 + 17, 0, false});
  EXPECT_EQ(start, now - 2 * 86400 - 3 * 3600 + 300);  // the log's start, aligned up

  const auto intervals = simulated(*p, schedule_, start, now - 300);
  ASSERT_GT(intervals.size(), 500u);
  const int requests = upload(*p, schedule_, server_, intervals, now);
  EXPECT_LE(requests, static_cast<int>(intervals.size() / 30 + 4));  // full batches, a short one per day
  EXPECT_EQ(server_.refused_for_rate(), 0);

  const auto stored = server_.statuses();
  ASSERT_EQ(stored.size(), intervals.size());
  for (const IntervalValues& iv : intervals) {
    const cctz::civil_second local = berlin()->to_local(iv.begin);
    const std::string key = fmt::format("{:04}{:02}{:02} {:02}:{:02}", local.year(), local.month(), local.day(),
                                        local.hour(), local.minute());
    ASSERT_TRUE(stored.count(key)) << key;
    const auto& v = stored.at(key).values;
    ASSERT_EQ(v.size(), 6u) << key;
    EXPECT_NEAR(std::stod(v[0]), *iv.values[0], 0.5) << key;
    EXPECT_NEAR(std::stod(v[1]), *iv.values[1], 0.5) << key;
    EXPECT_NEAR(std::stod(v[2]), *iv.values[2], 0.5) << key;
    EXPECT_NEAR(std::stod(v[3]), *iv.values[3], 0.5) << key;
    EXPECT_EQ(v[4], "");  // temperature
    EXPECT_NEAR(std::stod(v[5]), *iv.values[4], 0.05) << key;
  }
  const auto after = p->parse_last_point(testing::send(*p->last_point_request()));
  ASSERT_TRUE(after.ok()) << after.error();
  EXPECT_EQ(after.value(), intervals.back().begin);
  const auto system = p->parse_system(testing::send(p->system_request()));
  ASSERT_TRUE(system.ok()) << system.error();
  EXPECT_EQ(system->status_interval_s, 300);
  EXPECT_FALSE(system->donation);
}

TEST_F(PvoutputServerTest, RateLimitRefusalIsARetryAndTheScheduleWaitsForTheReset) {
  const auto p = make();
  const int64_t now = kJune1At0855Utc;
  server_.set_now(now);
  const auto intervals = simulated(*p, schedule_, now - 3600, now);
  // An engine that ignored the schedule: the 61st request in the hour is refused.
  for (int i = 0; i < 60; ++i) {
    ASSERT_EQ(p->parse_post_response(testing::send(p->post_request(std::span(intervals).first(1)))).outcome,
              PostOutcome::kAccepted)
        << i;
  }
  const HttpResponse refused = testing::send(p->post_request(std::span(intervals).first(1)));
  const PostVerdict v = p->parse_post_response(refused);
  EXPECT_EQ(v.outcome, PostOutcome::kRetry);
  EXPECT_THAT(v.message, HasSubstr("Transaction Rate-Limit exceeded"));
  EXPECT_THAT(v.message, HasSubstr("Resume at 11:55"));  // an hour after 10:55 local
  schedule_.observe(refused, now);
  EXPECT_EQ(schedule_.wait_until(now), now + 3600);
  server_.set_now(now + 3600);
  EXPECT_EQ(p->parse_post_response(testing::send(p->post_request(std::span(intervals).first(1)))).outcome,
            PostOutcome::kAccepted);
}

TEST_F(PvoutputServerTest, LookBackLimitIsWhatTheServerStillAccepts) {
  const auto p = make();
  int64_t now = kJune1At0855Utc;
  server_.set_now(now);
  const int64_t start = schedule_.start_point({now - 30 * 86400, now, 0, 0, false});
  const auto at_limit = simulated(*p, schedule_, start, start + 3600);
  EXPECT_EQ(upload(*p, schedule_, server_, at_limit, now), 1);
  EXPECT_EQ(server_.statuses().size(), at_limit.size());
  // One day older than the limit: refused for good, as the original's unbounded start was.
  const auto too_old = simulated(*p, schedule_, start - 86400, start - 86400 + 600);
  const PostVerdict v = p->parse_post_response(testing::send(p->post_request(too_old)));
  EXPECT_EQ(v.outcome, PostOutcome::kRejected);
  EXPECT_THAT(v.message, HasSubstr("Date is older than 14 days"));
}

TEST_F(PvoutputServerTest, FailureAnswersMapToOutcomes) {
  const auto p = make();
  server_.set_now(kJune1At0855Utc);
  const auto intervals = simulated(*p, schedule_, kJune1At0855Utc - 900, kJune1At0855Utc);
  const std::vector<testing::FailureCase<PvoutputFailure>> cases = {
      {PvoutputFailure::kServerError, PostOutcome::kRetry, "HTTP 500"},
      {PvoutputFailure::kGarbage, PostOutcome::kRetry, "Invalid response"},
      {PvoutputFailure::kSlow, PostOutcome::kRetry, "HTTP 0"},
      {PvoutputFailure::kUnauthorized, PostOutcome::kRejected, "Invalid API Key"},
      {PvoutputFailure::kRateLimited, PostOutcome::kRetry, "Rate-Limit exceeded"},
      {PvoutputFailure::kLoadInProgress, PostOutcome::kRetry, "Load in progress"},
  };
  testing::expect_failure_verdicts(*p, server_, intervals, cases);
  EXPECT_EQ(server_.statuses().size(), intervals.size());
}

TEST_F(PvoutputServerTest, WrongKeyOrSystemIsRejected) {
  const auto wrong_key = make("ffffffffffffffffffffffffffffffffffffffff");
  const auto intervals = simulated(*wrong_key, schedule_, kJune1At0855Utc - 600, kJune1At0855Utc);
  const PostVerdict v = wrong_key->parse_post_response(testing::send(wrong_key->post_request(intervals)));
  EXPECT_EQ(v.outcome, PostOutcome::kRejected);
  EXPECT_THAT(v.message, HasSubstr("Unauthorized 401: Invalid API Key"));
  json j = section();
  j["url"] = server_.url();
  j["systemid"] = "1";
  j["outputs"].erase(2);
  const auto wrong_system = protocol(j);
  EXPECT_THAT(wrong_system->parse_post_response(testing::send(wrong_system->post_request(intervals))).message,
              HasSubstr("Invalid System ID"));
  EXPECT_TRUE(server_.statuses().empty());
}

}  // namespace
}  // namespace iw::upload
