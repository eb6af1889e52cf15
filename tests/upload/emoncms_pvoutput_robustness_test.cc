// Robustness of the answer parsers: each parse_* function reads thousands of mutated answers
// (bytes flipped, inserted, deleted, truncated, repeated; status codes changed). None may
// throw, and none may take garbage for success: every accepted answer must still be what the
// protocol documents as success. Deterministic (fixed seeds), a few milliseconds per parser.
#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "upload/emoncms.h"
#include "upload/pvoutput.h"

namespace iw::upload {
namespace {

constexpr int kMutations = 3000;
constexpr int kStatuses[] = {0, 200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 503};

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  HttpResponse operator()(const HttpResponse& base) {
    HttpResponse r = base;
    const int edits = pick(1, 4);
    for (int i = 0; i < edits; ++i) edit(r.body);
    if (pick(0, 5) == 0) r.status = kStatuses[pick(0, std::size(kStatuses) - 1)];
    return r;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  char byte() { return static_cast<char>(pick(0, 255)); }

  void edit(std::string& s) {
    const int pos = s.empty() ? 0 : pick(0, static_cast<int>(s.size()) - 1);
    switch (pick(0, 5)) {
      case 0:
        if (!s.empty()) s[static_cast<size_t>(pos)] = byte();
        break;
      case 1:
        s.insert(s.begin() + pos, byte());
        break;
      case 2:
        if (!s.empty()) s.erase(static_cast<size_t>(pos), 1);
        break;
      case 3:
        s.resize(static_cast<size_t>(pos));
        break;
      case 4:
        s.insert(static_cast<size_t>(pos), s.substr(static_cast<size_t>(pos), static_cast<size_t>(pick(1, 12))));
        break;
      default: {  // a printable character, which keeps structure parseable more often
        if (!s.empty()) s[static_cast<size_t>(pos)] = "0123456789,:;\"{}[]-_=ok "[pick(0, 24)];
        break;
      }
    }
  }

  std::mt19937 rng_;
};

std::unique_ptr<EmoncmsProtocol> emoncms_protocol(bool encrypted) {
  config::EmoncmsSettings s;
  s.url = "http://e.example";
  s.node = "IotaWatt";
  s.apikey = "5d2a8c6e0f1b3a4c7e9d0b2f4a6c8e1d";
  s.userid = encrypted ? "7" : "";
  s.outputs = {{1, {"1", "Watts", "@1"}}};
  return std::move(EmoncmsProtocol::create(s)).value();
}

const std::vector<IntervalValues> kIntervals = {{1790000000, 1790000010, {1234.5}},
                                                {1790000010, 1790000020, {1200.25}}};

TEST(EmoncmsRobustness, PlainPostAnswersAcceptOnlyOk) {
  const auto p = emoncms_protocol(false);
  Mutator mutate(1);
  int accepted = 0;
  for (int i = 0; i < kMutations; ++i) {
    const HttpResponse r = mutate({200, {}, i % 2 ? "ok" : R"({"success": false, "message": "Format error"})"});
    PostVerdict v;
    ASSERT_NO_THROW(v = p->parse_post_response(r));
    if (v.outcome == PostOutcome::kAccepted) {
      ++accepted;
      EXPECT_EQ(r.status, 200);
      EXPECT_EQ(r.body.substr(0, 2), "ok") << r.body;
    } else {
      EXPECT_FALSE(v.message.empty());
    }
  }
  EXPECT_GT(accepted, 0);  // the mutations leave some valid answers: the check above ran
}

TEST(EmoncmsRobustness, EncryptedPostAnswersAcceptOnlyTheHash) {
  const auto p = emoncms_protocol(true);
  const std::string hash = EmoncmsProtocol::expected_answer(p->plaintext(kIntervals));
  (void)p->post_request(kIntervals);
  Mutator mutate(2);
  int accepted = 0;
  for (int i = 0; i < kMutations; ++i) {
    const HttpResponse r = mutate({200, {}, i % 3 ? hash : "invalid data"});
    PostVerdict v;
    ASSERT_NO_THROW(v = p->parse_post_response(r));
    if (v.outcome == PostOutcome::kAccepted) {
      ++accepted;
      EXPECT_EQ(r.status, 200);
      EXPECT_EQ(r.body.substr(0, hash.size()), hash) << r.body;
    }
  }
  EXPECT_GT(accepted, 0);
}

TEST(EmoncmsRobustness, InputGetAnswersNeverThrowAndOnlyA200GivesATime) {
  const auto p = emoncms_protocol(false);
  Mutator mutate(3);
  int times = 0;
  for (int i = 0; i < kMutations; ++i) {
    const HttpResponse r =
        mutate({200,
                {},
                i % 4 ? R"({"1":{"time":1795525150,"value":230.2,"processList":""},"2":{"time":null}})"
                      : R"("Node does not exist")"});
    Result<std::optional<int64_t>> t = Status::InvalidArgument("not run");
    ASSERT_NO_THROW(t = p->parse_last_point(r));
    if (t.ok()) {
      EXPECT_EQ(r.status, 200) << r.body;
      if (t.value()) {
        ++times;
        EXPECT_NE(r.body.find("time"), std::string::npos) << r.body;
        EXPECT_GE(*t.value(), 0);
      }
    } else {
      EXPECT_FALSE(t.error().empty());
    }
  }
  EXPECT_GT(times, 0);
}

std::unique_ptr<PvoutputProtocol> pvoutput_protocol() {
  config::PvoutputSettings s;
  s.apikey = std::string(40, 'a');
  s.systemid = "1";
  s.outputs = {{config::PvoutputField::kGeneration, 0, {"generation", "Watts", "@1"}}};
  return std::move(PvoutputProtocol::create(s, std::move(query::load_iana_zone("Europe/Berlin")).value())).value();
}

TEST(PvoutputRobustness, PostAnswersAcceptOnlyOkOrAWellFormedEcho) {
  const auto p = pvoutput_protocol();
  const std::regex echo(R"(^(\d{8},\d\d:\d\d,[01])(;\d{8},\d\d:\d\d,[01])*[\r\n]*$)");
  Mutator mutate(4);
  int accepted = 0;
  const std::string bases[] = {"OK 200: Added Status", "20260601,10:55,1;20260601,11:00,0",
                               "Bad request 400: Date is older than 14 days [20260101]"};
  for (int i = 0; i < kMutations; ++i) {
    const HttpResponse r = mutate({i % 3 == 2 ? 400 : 200, {}, bases[i % 3]});
    PostVerdict v;
    ASSERT_NO_THROW(v = p->parse_post_response(r));
    if (v.outcome == PostOutcome::kAccepted) {
      ++accepted;
      EXPECT_EQ(r.status, 200);
      EXPECT_TRUE(r.body.starts_with("OK 200") || std::regex_match(r.body, echo)) << r.body;
    } else {
      EXPECT_FALSE(v.message.empty());
    }
  }
  EXPECT_GT(accepted, 0);
}

TEST(PvoutputRobustness, GetStatusAnswersGiveOnlyTheTimeTheyStartWith) {
  const auto p = pvoutput_protocol();
  const auto zone = std::move(query::load_iana_zone("Europe/Berlin")).value();
  Mutator mutate(5);
  int times = 0;
  for (int i = 0; i < kMutations; ++i) {
    const HttpResponse r = mutate(i % 4 ? HttpResponse{200, {}, "20260601,10:55,1234,2501,NaN,NaN,NaN,241.3,0.411"}
                                        : HttpResponse{400, {}, "Bad request 400: No status found"});
    Result<std::optional<int64_t>> t = Status::InvalidArgument("not run");
    ASSERT_NO_THROW(t = p->parse_last_point(r));
    if (!t.ok() || !t.value()) continue;
    ++times;
    EXPECT_EQ(r.status, 200);
    const cctz::civil_second local = zone->to_local(*t.value());
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%04d%02d%02d,%02d:%02d", static_cast<int>(local.year()), local.month(),
                  local.day(), local.hour(), local.minute());
    EXPECT_TRUE(r.body.starts_with(stamp)) << r.body << " read as " << stamp;
  }
  EXPECT_GT(times, 0);
}

TEST(PvoutputRobustness, GetSystemAnswersGiveOnlyRealIntervals) {
  const auto p = pvoutput_protocol();
  Mutator mutate(6);
  int ok = 0;
  for (int i = 0; i < kMutations; ++i) {
    const HttpResponse r = mutate({200, {}, "Sys,3000,2000,10,300,B,1,3000,I,N,20.0,No,20200101,52.5,13.4,5;x;1"});
    Result<PvoutputSystem> s = Status::InvalidArgument("not run");
    ASSERT_NO_THROW(s = p->parse_system(r));
    if (!s.ok()) continue;
    ++ok;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(3600 % s->status_interval_s, 0) << r.body;
  }
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace iw::upload
