#include "server/config_endpoint.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

TEST(ConfigSha256, IsUrlSafeBase64OfTheDigest) {
  // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
  EXPECT_EQ(config_sha256("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=");
  EXPECT_EQ(config_sha256("").size(), 44u);
}

// A config containing "bad" is invalid; one containing "empty" drops every input and needs
// confirm=inputs.
struct FakeConfig {
  std::string text = R"({"device":{"name":"A"}})";
  int replaced = 0;
  ConfigConfirmations last;
  ConfigAccess access() {
    return {[this] { return text; },
            [this](const std::string& t, const ConfigConfirmations& confirmed) {
              last = confirmed;
              if (t.find("bad") != std::string::npos)
                return ConfigWriteResult{Status::InvalidArgument("inputs[1].model: unknown"), ""};
              if (t.find("empty") != std::string::npos && !confirmed.inputs) {
                return ConfigWriteResult{Status::InvalidArgument("it has no inputs"), "inputs"};
              }
              text = t;
              ++replaced;
              return ConfigWriteResult{};
            }};
  }
};

HttpRequest post(std::string body, std::string hash = "", Params params = {}) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/config";
  r.body = std::move(body);
  r.params = std::move(params);
  if (!hash.empty()) r.headers.emplace_back("x-configsha256", std::move(hash));
  return r;
}

std::string header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(ConfigEndpoint, GetCarriesTheHashOfWhatItReturns) {
  FakeConfig cfg;
  ConfigEndpoint endpoint(cfg.access());
  const HttpResponse r = endpoint.get(HttpRequest{});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, cfg.text);
  EXPECT_EQ(header(r, "X-configSHA256"), config_sha256(cfg.text));
}

TEST(ConfigEndpoint, AWriteBasedOnAnOldReadIsAConflict) {
  FakeConfig cfg;
  ConfigEndpoint endpoint(cfg.access());
  const std::string read_hash = config_sha256(cfg.text);
  const HttpResponse first = endpoint.post(post(R"({"device":{"name":"B"}})", read_hash));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(header(first, "X-configSHA256"), config_sha256(R"({"device":{"name":"B"}})"));
  // A second client still holding the first hash is refused, and nothing changes.
  const HttpResponse second = endpoint.post(post(R"({"device":{"name":"C"}})", read_hash));
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(second.body, "Config not current");
  EXPECT_EQ(cfg.text, R"({"device":{"name":"B"}})");
  EXPECT_EQ(cfg.replaced, 1);
}

TEST(ConfigEndpoint, WithoutAHashTheWriteIsUnconditional) {
  FakeConfig cfg;
  ConfigEndpoint endpoint(cfg.access());
  EXPECT_EQ(endpoint.post(post(R"({"x":1})")).status, 200);
  EXPECT_EQ(cfg.text, R"({"x":1})");
}

TEST(ConfigEndpoint, AnInvalidConfigIsRefusedWithItsReasonAndTheOldOneStays) {
  FakeConfig cfg;
  ConfigEndpoint endpoint(cfg.access());
  const std::string before = cfg.text;
  const HttpResponse r = endpoint.post(post(R"({"bad":1})", config_sha256(before)));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("inputs[1].model: unknown"), std::string::npos) << r.body;
  EXPECT_EQ(cfg.text, before);
  EXPECT_EQ(endpoint.post(post("")).status, 400);
  EXPECT_EQ(cfg.replaced, 0);
}

TEST(ConfigEndpoint, AnUnconfirmedChangeIs409NamingTheConfirmation) {
  FakeConfig cfg;
  ConfigEndpoint endpoint(cfg.access());
  const HttpResponse r = endpoint.post(post(R"({"empty":1})"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, "config not applied; the running config is unchanged:\nit has no inputs");
  EXPECT_EQ(header(r, "X-Config-Confirm"), "inputs");
  EXPECT_EQ(cfg.replaced, 0);
  const HttpResponse confirmed = endpoint.post(post(R"({"empty":1})", "", {{"confirm", "inputs"}}));
  EXPECT_EQ(confirmed.status, 200);
  EXPECT_EQ(cfg.replaced, 1);
  EXPECT_EQ(header(confirmed, "X-Config-Confirm"), "");
}

TEST(ConfigEndpoint, ConfirmTakesAListOrRepeatsAndRefusesOtherWords) {
  FakeConfig cfg;
  ConfigEndpoint endpoint(cfg.access());
  ASSERT_EQ(endpoint.post(post("{}", "", {{"confirm", "source,inputs"}})).status, 200);
  EXPECT_TRUE(cfg.last.inputs && cfg.last.source);
  ASSERT_EQ(endpoint.post(post("{}", "", {{"confirm", "source"}})).status, 200);
  EXPECT_TRUE(cfg.last.source && !cfg.last.inputs);
  ASSERT_EQ(endpoint.post(post("{}", "", {{"confirm", "inputs"}, {"confirm", "source"}})).status, 200);
  EXPECT_TRUE(cfg.last.inputs && cfg.last.source);
  ASSERT_EQ(endpoint.post(post("{}")).status, 200);
  EXPECT_FALSE(cfg.last.inputs || cfg.last.source);
  const HttpResponse r = endpoint.post(post("{}", "", {{"confirm", "everything"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "confirm: \"everything\" is not inputs or source");
  EXPECT_EQ(cfg.replaced, 4);
}

}  // namespace
}  // namespace iw::server
