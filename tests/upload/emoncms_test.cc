// Emoncms: config section, request bytes (hand-computed and checked with the openssl CLI),
// answer parsing, and posts against the test server that decrypts and checks the HMAC.
#include "upload/emoncms.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "config/emoncms_config.h"
#include "upload/emoncms_crypto.h"
#include "upload/emoncms_server.h"

namespace iw::upload {
namespace {

using nlohmann::json;
using testing::EmoncmsFailure;
using testing::EmoncmsTestServer;
using ::testing::HasSubstr;

constexpr const char* kWriteKey = "5d2a8c6e0f1b3a4c7e9d0b2f4a6c8e1d";
constexpr const char* kReadKey = "0000000000000000000000000000beef";
constexpr const char* kIvHex = "000102030405060708090a0b0c0d0e0f";

json section(const std::string& url = "http://emoncms.example/emoncms", const std::string& userid = "") {
  return json{{"type", "emoncms"},
              {"revision", 4},
              {"url", url},
              {"node", "IotaWatt"},
              {"apikey", kWriteKey},
              {"userid", userid},
              {"postInterval", 10},
              {"bulksend", 2},
              {"begdate", 0},
              {"stop", false},
              {"user", ""},
              {"pwd", ""},
              {"outputs", json::array({{{"name", "1"}, {"units", "Watts"}, {"script", "@1"}},
                                       {{"name", "3"}, {"units", "Volts"}, {"script", "@0"}}})}};
}

config::EmoncmsSettings settings_of(const json& j) {
  auto s = config::parse_emoncms_settings(j);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error());
  return s.value();
}

emoncms::Block fixed_iv() { return emoncms::Block{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}; }

std::unique_ptr<EmoncmsProtocol> protocol(const json& j) {
  auto p = EmoncmsProtocol::create(settings_of(j), fixed_iv);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error());
  return std::move(p).value();
}

const std::vector<IntervalValues> kTwoIntervals = {
    {1700000000, 1700000010, {1234.5678, 240.123}},
    {1700000010, 1700000020, {std::nullopt, 239.9}},
};
constexpr const char* kTwoIntervalsText =
    R"(time=1699999990&data=[[10,"IotaWatt",1234.57,null,240.12],[20,"IotaWatt",null,null,239.9]])";

std::string header(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

// ---- config -------------------------------------------------------------------------------

TEST(EmoncmsConfig, ReadsTheSectionAsTheUiWritesIt) {
  const config::EmoncmsSettings s = settings_of(section("http://emoncms.example/emoncms/?x=1", "77"));
  EXPECT_EQ(s.url, "http://emoncms.example/emoncms");
  EXPECT_EQ(s.node, "IotaWatt");
  EXPECT_EQ(s.apikey, kWriteKey);
  EXPECT_EQ(s.userid, "77");
  EXPECT_TRUE(s.encrypted());
  EXPECT_EQ(s.post_interval_s, 10);
  EXPECT_EQ(s.bulksend, 2);
  EXPECT_EQ(s.revision, 4);
  ASSERT_EQ(s.outputs.size(), 2u);
  EXPECT_EQ(s.outputs[1].input_key, 3);
  EXPECT_EQ(s.outputs[1].output.units, "Volts");
  EXPECT_EQ(config::describe_emoncms(s),
            "url=http://emoncms.example/emoncms node=IotaWatt interval=10s bulksend=2 encrypted outputs=2");
}

TEST(EmoncmsConfig, UrlWithoutSchemeIsHttpAndUpperCaseKeyIsStoredLowerCase) {
  json j = section("emoncms.example:8080/");
  j["apikey"] = "5D2A8C6E0F1B3A4C7E9D0B2F4A6C8E1D";
  j["userid"] = 12;  // a number is a user id too
  const config::EmoncmsSettings s = settings_of(j);
  EXPECT_EQ(s.url, "http://emoncms.example:8080");
  EXPECT_EQ(s.apikey, kWriteKey);
  EXPECT_EQ(s.userid, "12");
}

TEST(EmoncmsConfig, EveryProblemNamesItsKeyAndNoSecretIsEchoed) {
  json j = section("ftp://x");
  j["apikey"] = "secretsecretsecret";
  j["postInterval"] = 7;
  j["bulksend"] = 0;
  j["node"] = "bad/node";
  j["userid"] = "u1";
  j["outputs"][1]["name"] = "1";
  const auto s = config::parse_emoncms_settings(j);
  ASSERT_FALSE(s.ok());
  const std::string e = s.error();
  EXPECT_THAT(e, HasSubstr("emoncms.url: \"ftp://x\" is not an http:// or https:// URL"));
  EXPECT_THAT(e, HasSubstr("emoncms.apikey: is 18 characters with non-hex characters; expected 32 hex digits"));
  EXPECT_THAT(e, HasSubstr("emoncms.postInterval: 7 is not a multiple of 5"));
  EXPECT_THAT(e, HasSubstr("emoncms.bulksend: 0 is less than 1"));
  EXPECT_THAT(e, HasSubstr("emoncms.node: \"bad/node\" is not a node name"));
  EXPECT_THAT(e, HasSubstr("emoncms.userid: \"u1\" is not a user id"));
  EXPECT_THAT(e, HasSubstr("emoncms.outputs[1].name: input key 1 does not follow 1"));
  EXPECT_EQ(e.find("secretsecret"), std::string::npos);
}

TEST(EmoncmsConfig, MissingRequiredKeysAreNamed) {
  const auto s = config::parse_emoncms_settings(json{{"type", "emoncms"}});
  ASSERT_FALSE(s.ok());
  for (const char* key :
       {"emoncms.url: missing", "emoncms.node: missing", "emoncms.apikey: missing", "emoncms.outputs: missing"}) {
    EXPECT_THAT(s.error(), HasSubstr(key));
  }
  EXPECT_THAT(config::parse_emoncms_settings(json::array()).error(),
              HasSubstr("emoncms: an empty array is not an object"));
  json empty = section();
  empty["outputs"] = json::array();
  EXPECT_THAT(config::parse_emoncms_settings(empty).error(), HasSubstr("emoncms.outputs: is empty"));
  json bad = section();
  bad["outputs"][0]["name"] = "30";
  bad["outputs"][1].erase("script");
  EXPECT_THAT(config::parse_emoncms_settings(bad).error(),
              HasSubstr("emoncms.outputs[1]: has no \"script\" (original syntax) or \"expr\""));
  bad["outputs"][1]["script"] = "@0";
  EXPECT_THAT(config::parse_emoncms_settings(bad).error(),
              HasSubstr("emoncms.outputs[0].name: \"30\" is not an Emoncms input key (an integer 1..29)"));
}

TEST(EmoncmsConfig, UnknownUnitIsReportedWhenTheProtocolIsMade) {
  json j = section();
  j["outputs"][1]["units"] = "Wats";
  const auto p = EmoncmsProtocol::create(settings_of(j));
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.error(), HasSubstr("emoncms.outputs[1].units: \"Wats\" is not a unit"));
}

// ---- crypto known answers ------------------------------------------------------------------

TEST(EmoncmsCrypto, AesCbcMatchesNistSp800_38aAndPadsAFullBlock) {
  const auto key = emoncms::decode_write_key("2b7e151628aed2a6abf7158809cf4f3c").value();
  const emoncms::Block iv = fixed_iv();
  std::string plain;
  for (const char* h = "6bc1bee22e409f96e93d7e117393172a"; *h != 0; h += 2)
    plain += static_cast<char>(std::stoi(std::string(h, 2), nullptr, 16));
  const std::string c = emoncms::aes128_cbc_encrypt(key, iv, plain);
  ASSERT_EQ(c.size(), 32u);  // 16 bytes of data + a whole block of padding
  std::string hex;
  for (unsigned char b : c) hex += fmt::format("{:02x}", b);
  // First block: SP800-38A F.2.1; second: the 16 x 0x10 pad block (openssl enc -aes-128-cbc).
  EXPECT_EQ(hex, "7649abac8119b246cee98e9b12e9197d8964e0b149c10b7b682e6e39aaeb731c");
}

TEST(EmoncmsCrypto, KeyDecodingAcceptsBothCasesAndRejectsOthers) {
  EXPECT_EQ(emoncms::decode_write_key("ABCDEF0123456789abcdef0123456789").value()[0], 0xab);
  EXPECT_FALSE(emoncms::decode_write_key("abc").ok());
  EXPECT_FALSE(emoncms::decode_write_key("zz2a8c6e0f1b3a4c7e9d0b2f4a6c8e1d").ok());
}

// ---- request bytes -------------------------------------------------------------------------

TEST(EmoncmsRequest, PlainBulkBodyIsExactlyWhatTheOriginalSends) {
  const auto p = protocol(section());
  const HttpRequest r = p->post_request(kTwoIntervals);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://emoncms.example/emoncms/input/bulk");
  EXPECT_EQ(r.body, kTwoIntervalsText);
  EXPECT_EQ(header(r, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(header(r, "Authorization"), std::string("Bearer ") + kWriteKey);
}

TEST(EmoncmsRequest, ValuesUseScriptPrecisionNanIsNullAndMissingKeysAreNull) {
  json j = section();
  j["outputs"] = json::array({{{"name", "2"}, {"units", "kWh"}, {"script", "@1"}},
                              {{"name", "4"}, {"units", "PF"}, {"script", "@1"}},
                              {{"name", "5"}, {"units", "Watts"}, {"script", "@1"}}});
  const auto p = protocol(j);
  const std::vector<IntervalValues> one = {{600, 610, {1.23456789, 0.5, std::nan("")}}};
  EXPECT_EQ(p->plaintext(one), R"(time=590&data=[[10,"IotaWatt",null,1.2345679,null,0.5,null]])");
}

TEST(EmoncmsRequest, EncryptedBodyMatchesOpensslCli) {
  const auto p = protocol(section("http://emoncms.example/emoncms", "77"));
  const HttpRequest r = p->post_request(kTwoIntervals);
  // printf IV; openssl enc -aes-128-cbc -K <key> -iv <iv> | base64 | tr '+/' '-_'
  EXPECT_EQ(
      r.body,
      "AAECAwQFBgcICQoLDA0ODxZfto1iVAMnCEtC3a_lus4bwEJOdmsOZU38OSh3QiTgRAROh1v2V-gU5nvN6fakT5JUXbKctW16IuGtlFyXmUlr"
      "pO0kLpxu4y0K-Hlp3BayCpmaBX9yHuFfYDdvWdPX0Q==");
  EXPECT_EQ(header(r, "Content-Type"), "aes128cbc");
  // openssl dgst -sha256 -mac HMAC -macopt hexkey:<key>
  EXPECT_EQ(header(r, "Authorization"), "77:e1017df569ea1ab334dd6db571bf3059be244b48c5ac2c74f717331b73ff68ba");
  EXPECT_EQ(r.url, "http://emoncms.example/emoncms/input/bulk");
  // openssl dgst -sha256 -binary | base64 | tr '+/' '-_'
  EXPECT_EQ(EmoncmsProtocol::expected_answer(kTwoIntervalsText), "AXbAGkMv5rUmfvrk2unhdYWk14SXVc0vfe56zHkl1QY=");
  EXPECT_EQ(p->parse_post_response({200, {}, "AXbAGkMv5rUmfvrk2unhdYWk14SXVc0vfe56zHkl1QY="}).outcome,
            PostOutcome::kAccepted);
}

TEST(EmoncmsRequest, LastPointQueryIsBearerInBothModes) {
  for (const std::string userid : {"", "77"}) {
    json j = section("http://emoncms.example/emoncms", userid);
    j["node"] = "My Iota";
    const auto r = protocol(j)->last_point_request();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->method, "GET");
    EXPECT_EQ(r->url, "http://emoncms.example/emoncms/input/get?node=My%20Iota");
    EXPECT_EQ(header(*r, "Authorization"), std::string("Bearer ") + kWriteKey);
  }
}

// ---- answers -------------------------------------------------------------------------------

TEST(EmoncmsAnswer, LastPointIsTheNewestInputTime) {
  const auto p = protocol(section());
  const auto t = p->parse_last_point(
      {200,
       {},
       R"({"1":{"time":1795525150,"value":230.2,"processList":""},"3":{"time":1795525160,"value":1},"9":{"time":null}})"});
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t.value(), 1795525160);
  const auto none = p->parse_last_point({200, {}, R"("Node does not exist")"});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value().has_value());
}

TEST(EmoncmsAnswer, LastPointFailuresNameWhatWasWrong) {
  const auto p = protocol(section());
  const std::pair<HttpResponse, std::string> cases[] = {
      {{401, {}, "Invalid API key"}, "refused the API key for input/get (HTTP 401: Invalid API key)"},
      {{500, {}, "oops"}, "HTTP 500 to input/get: oops"},
      {{200, {}, "<html>"}, "not a JSON object of inputs: <html>"},
      {{200, {}, R"({"success": false, "message": "Username or password empty"})"},
       "refused input/get: Username or password empty"},
      {{200, {}, R"({"1":{"time":"soon"}})"}, "input \"1\" has time \"soon\""},
      {{200, {}, R"({"1":5})"}, "input \"1\" is not an object"},
  };
  for (const auto& [answer, message] : cases) {
    const auto t = p->parse_last_point(answer);
    ASSERT_FALSE(t.ok()) << answer.body;
    EXPECT_THAT(t.error(), HasSubstr(message));
  }
}

TEST(EmoncmsAnswer, PlainPostVerdicts) {
  const auto p = protocol(section());
  testing::expect_answer_verdicts(
      *p, {
              {{200, {}, "ok"}, PostOutcome::kAccepted, ""},
              {{200, {}, R"({"success": false, "message": "Format error, json string supplied is not valid"})"},
               PostOutcome::kRejected,
               "refused the data: Format error"},
              {{200, {}, ""}, PostOutcome::kRetry, "empty body"},
              {{200, {}, "<html>busy</html>"}, PostOutcome::kRetry, "Invalid response: <html>busy</html>"},
              {{401, {}, "Invalid API key"}, PostOutcome::kRejected, "HTTP 401: Invalid API key"},
              {{403, {}, "Forbidden"}, PostOutcome::kRejected, "HTTP 403: Forbidden"},
              {{429, {}, "slow down"}, PostOutcome::kRetry, "HTTP 429"},
              {{500, {}, "Internal Server Error"}, PostOutcome::kRetry, "HTTP 500: Internal Server Error"},
              {{0, {}, ""}, PostOutcome::kRetry, "HTTP 0"},
          });
}

TEST(EmoncmsAnswer, EncryptedPostVerdicts) {
  const auto p = protocol(section("http://e.example", "77"));
  (void)p->post_request(kTwoIntervals);
  const std::string hash = EmoncmsProtocol::expected_answer(kTwoIntervalsText);
  struct Case {
    std::string body;
    PostOutcome outcome;
    std::string message;
  };
  const Case cases[] = {
      {hash, PostOutcome::kAccepted, ""},
      {"ok", PostOutcome::kRetry, "not the hash of the post"},
      {EmoncmsProtocol::expected_answer("other"), PostOutcome::kRetry, "not the hash of the post"},
      {"invalid data", PostOutcome::kRejected, "\"invalid data\" (the HMAC does not match"},
      {"User not found", PostOutcome::kRejected, "no Emoncms user has this userid"},
      {"missing authorization header", PostOutcome::kRejected, "did not arrive"},
      {"authorization header format should be userid:hmac", PostOutcome::kRejected, "was not userid:hmac"},
      {"no content in post body", PostOutcome::kRejected, "the body did not arrive"},
      {R"({"success": false, "message": "Format error"})", PostOutcome::kRejected, "Format error"},
  };
  for (const Case& c : cases) {
    const PostVerdict v = p->parse_post_response({200, {}, c.body});
    EXPECT_EQ(v.outcome, c.outcome) << c.body;
    EXPECT_THAT(v.message, HasSubstr(c.message));
  }
  // A second post changes the hash the server must answer.
  (void)p->post_request(std::span(kTwoIntervals).first(1));
  EXPECT_EQ(p->parse_post_response({200, {}, hash}).outcome, PostOutcome::kRetry);
}

// ---- against the test server ---------------------------------------------------------------

std::vector<IntervalValues> day_of_intervals(int64_t start, int count) {
  std::vector<IntervalValues> out;
  for (int i = 0; i < count; ++i) {
    const int64_t b = start + 10 * i;
    std::optional<double> watts = 1000 + 10.25 * i;
    if (i % 7 == 3) watts.reset();  // no data for that output
    out.push_back({b, b + 10, {watts, 230 + 0.01 * i}});
  }
  return out;
}

// Posts `intervals` in requests of `batch`, retrying a kRetry at most 3 times.
void post_all(const EmoncmsProtocol& p, const std::vector<IntervalValues>& intervals, size_t batch) {
  for (size_t i = 0; i < intervals.size(); i += batch) {
    const auto part = std::span(intervals).subspan(i, std::min(batch, intervals.size() - i));
    PostVerdict v;
    for (int attempt = 0; attempt < 3; ++attempt) {
      v = p.parse_post_response(testing::send(p.post_request(part)));
      if (v.outcome != PostOutcome::kRetry) break;
    }
    ASSERT_EQ(v.outcome, PostOutcome::kAccepted) << v.message;
  }
}

// The server holds one value per (interval, output), equal to the interval's value at the
// output's precision; missing values hold 0 (Emoncms stores null as 0).
void expect_stored(const EmoncmsTestServer& server, const std::vector<IntervalValues>& intervals) {
  const auto inputs = server.points();
  ASSERT_EQ(inputs.size(), intervals.size() * 3);  // keys 1, 2 (null filler), 3
  for (size_t i = 0; i < intervals.size(); ++i) {
    const auto& row = std::span(inputs).subspan(3 * i, 3);
    EXPECT_EQ(row[0].time, intervals[i].begin);
    EXPECT_EQ(row[0].node, "IotaWatt");
    EXPECT_EQ(row[0].input, "1");
    EXPECT_NEAR(row[0].value, intervals[i].values[0].value_or(0), 0.005);
    EXPECT_EQ(row[1].value, 0);
    EXPECT_EQ(row[2].input, "3");
    EXPECT_NEAR(row[2].value, *intervals[i].values[1], 0.005);
  }
}

class EmoncmsServerTest : public ::testing::TestWithParam<bool> {
 protected:
  bool encrypted() const { return GetParam(); }
  std::unique_ptr<EmoncmsProtocol> make(const std::string& key = kWriteKey) {
    json j = section(server_.url(), encrypted() ? "77" : "");
    j["apikey"] = key;
    auto p = EmoncmsProtocol::create(settings_of(j));  // random IVs, as in use
    EXPECT_TRUE(p.ok());
    return std::move(p).value();
  }
  EmoncmsTestServer server_{"77", kWriteKey, kReadKey};
};

TEST_P(EmoncmsServerTest, StoredPointsEqualTheIntervalsAndResumeFromInputGet) {
  const auto p = make();
  const auto before = p->parse_last_point(testing::send(*p->last_point_request()));
  ASSERT_TRUE(before.ok()) << before.error();
  EXPECT_FALSE(before.value().has_value());  // "Node does not exist"

  const auto intervals = day_of_intervals(1790000000, 200);
  post_all(*p, intervals, 7);
  expect_stored(server_, intervals);

  const auto after = p->parse_last_point(testing::send(*p->last_point_request()));
  ASSERT_TRUE(after.ok()) << after.error();
  EXPECT_EQ(after.value(), intervals.back().begin);
}

TEST_P(EmoncmsServerTest, WrongKeyIsRefusedAsTheRealServerDoes) {
  const auto p = make("ffffffffffffffffffffffffffffffff");
  const PostVerdict v = p->parse_post_response(testing::send(p->post_request(day_of_intervals(1790000000, 3))));
  EXPECT_EQ(v.outcome, PostOutcome::kRejected);
  EXPECT_THAT(v.message, HasSubstr(encrypted() ? "\"invalid data\"" : "HTTP 401: Invalid API key"));
  EXPECT_TRUE(server_.points().empty());
  const auto last = p->parse_last_point(testing::send(*p->last_point_request()));
  ASSERT_FALSE(last.ok());
  EXPECT_THAT(last.error(), HasSubstr("HTTP 401"));
}

TEST_P(EmoncmsServerTest, FailureAnswersMapToOutcomes) {
  const auto p = make();
  const auto intervals = day_of_intervals(1790000000, 4);
  const std::vector<testing::FailureCase<EmoncmsFailure>> cases = {
      {EmoncmsFailure::kServerError, PostOutcome::kRetry, "HTTP 500"},
      {EmoncmsFailure::kGarbage, PostOutcome::kRetry, "Invalid response"},
      {EmoncmsFailure::kSlow, PostOutcome::kRetry, "HTTP 0"},
      {EmoncmsFailure::kWrongHash, PostOutcome::kRetry, "Invalid response"},
      {EmoncmsFailure::kUnauthorized, PostOutcome::kRejected, "HTTP 401"},
      {EmoncmsFailure::kForbidden, PostOutcome::kRejected, "HTTP 403"},
  };
  testing::expect_failure_verdicts(*p, server_, intervals, cases);
}

INSTANTIATE_TEST_SUITE_P(PlainAndEncrypted, EmoncmsServerTest, ::testing::Bool(),
                         [](const auto& param_info) { return param_info.param ? "Encrypted" : "Plain"; });

TEST(EmoncmsServerAlphabet, ServerAcceptsStandardAlphabetAndRejectsUpperCaseHmac) {
  EmoncmsTestServer server("77", kWriteKey, kReadKey);
  const auto p = protocol(section(server.url(), "77"));
  HttpRequest r = p->post_request(kTwoIntervals);
  std::replace(r.body.begin(), r.body.end(), '-', '+');
  std::replace(r.body.begin(), r.body.end(), '_', '/');
  EXPECT_EQ(p->parse_post_response(testing::send(r)).outcome, PostOutcome::kAccepted);
  for (auto& [k, v] : r.headers) {
    if (k == "Authorization") std::transform(v.begin(), v.end(), v.begin(), ::toupper);
  }
  const PostVerdict v = p->parse_post_response(testing::send(r));
  EXPECT_EQ(v.outcome, PostOutcome::kRejected);
  EXPECT_THAT(v.message, HasSubstr("invalid data"));
}

}  // namespace
}  // namespace iw::upload
