// The "webhook" config section: defaults, every key, errors that name the key, and the secret
// kept through a save.
#include "config/webhook_config.h"

#include <gtest/gtest.h>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {
namespace {

using nlohmann::json;

json base_config() {
  return json::parse(R"({
    "device": {"name": "Shed", "channels": 2},
    "inputs": [
      {"channel": 0, "name": "Voltage", "type": "VT", "model": "generic", "cal": 19},
      {"channel": 1, "name": "Kettle", "type": "CT", "model": "generic", "cal": 100}
    ]})");
}

Result<std::optional<WebhookConfig>> parse(const json& webhook) {
  json doc = base_config();
  doc["webhook"] = webhook;
  auto cfg = parse_config(doc, ModelCatalog::builtin());
  if (!cfg) return cfg.status();
  return webhook_config(cfg.value());
}

std::string error_of(const json& webhook) {
  auto r = parse(webhook);
  return r ? std::string("(no error)") : r.error();
}

TEST(WebhookConfig, AbsentOrDisabledMeansNoWebhook) {
  auto cfg = parse_config(base_config(), ModelCatalog::builtin());
  ASSERT_TRUE(cfg);
  auto absent = webhook_config(cfg.value());
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent.value());
  auto disabled = parse({{"enabled", false}, {"url", "ftp://x"}});
  ASSERT_TRUE(disabled) << disabled.error();
  EXPECT_FALSE(disabled.value());
}

TEST(WebhookConfig, EveryKeyIsRead) {
  auto r = parse({{"url", "https://hooks.example.com/iotawatt?x=1"}, {"secret", "s3cret"}, {"timeout_s", 60}});
  ASSERT_TRUE(r) << r.error();
  ASSERT_TRUE(r.value());
  EXPECT_EQ(r.value()->url, "https://hooks.example.com/iotawatt?x=1");
  EXPECT_EQ(r.value()->secret, "s3cret");
  EXPECT_EQ(r.value()->timeout_s, 60);
  EXPECT_EQ(r.value()->ca_file, "");
  auto plain = parse({{"url", "http://192.0.2.7:8123/api/webhook/iota"}});
  ASSERT_TRUE(plain) << plain.error();
  EXPECT_EQ(plain.value()->timeout_s, 10);  // the default
  EXPECT_EQ(plain.value()->secret, "");
}

TEST(WebhookConfig, AUrlNeedsHttpOrHttpsAndAHost) {
  EXPECT_EQ(error_of({{"url", "ftp://host/path"}}), "webhook.url: must start with http:// or https://");
  EXPECT_EQ(error_of({{"url", "host/path"}}), "webhook.url: must start with http:// or https://");
  EXPECT_EQ(error_of({{"url", "https:///path"}}), "webhook.url: must name a host");
  EXPECT_EQ(error_of({{"url", "https://user:pw@host/"}}), "webhook.url: must not hold a user name or password");
  EXPECT_EQ(error_of({{"url", "https://host/a b"}}), "webhook.url: must not contain spaces or line breaks");
  EXPECT_EQ(error_of(json::object()), "webhook.url: required: the address events are POSTed to");
  EXPECT_NE(error_of({{"url", 5}}).find("webhook.url"), std::string::npos);
}

TEST(WebhookConfig, TimeoutIsOneToSixtySeconds) {
  EXPECT_EQ(error_of({{"url", "https://h/"}, {"timeout_s", 0}}), "webhook.timeout_s: must be 1-60");
  EXPECT_EQ(error_of({{"url", "https://h/"}, {"timeout_s", 61}}), "webhook.timeout_s: must be 1-60");
  EXPECT_NE(error_of({{"url", "https://h/"}, {"timeout_s", "ten"}}).find("webhook.timeout_s"), std::string::npos);
  EXPECT_EQ(parse({{"url", "https://h/"}, {"timeout_s", 1}}).value()->timeout_s, 1);
}

TEST(WebhookConfig, EveryProblemIsReportedWithItsKey) {
  const std::string e = error_of({{"url", "gopher://h"},
                                  {"timeout_s", 99},
                                  {"ca_file", "/nonexistent/ca.pem"},
                                  {"secret", 1},
                                  {"sekret", "typo"}});
  EXPECT_NE(e.find("webhook.url:"), std::string::npos) << e;
  EXPECT_NE(e.find("webhook.timeout_s:"), std::string::npos) << e;
  EXPECT_NE(e.find("webhook.ca_file: cannot read \"/nonexistent/ca.pem\""), std::string::npos) << e;
  EXPECT_NE(e.find("webhook.secret:"), std::string::npos) << e;
  EXPECT_NE(e.find("webhook.sekret"), std::string::npos) << e;
  EXPECT_NE(error_of("https://h/").find("webhook: \"https://h/\" is not an object"), std::string::npos)
      << error_of("https://h/");
}

// The secret is written back with the config (the web app sends the stored config back whole;
// a secret dropped on the way would silently stop the signing).
TEST(WebhookConfig, TheSecretIsKeptThroughASave) {
  json doc = base_config();
  doc["webhook"] = {{"url", "https://h/"}, {"secret", "s3cret"}};
  auto cfg = parse_config(doc, ModelCatalog::builtin());
  ASSERT_TRUE(cfg) << cfg.error();
  auto again = parse_config(serialize_text(cfg.value()), ModelCatalog::builtin());
  ASSERT_TRUE(again) << again.error();
  auto w = webhook_config(again.value());
  ASSERT_TRUE(w && w.value()) << (w ? "" : w.error());
  EXPECT_EQ(w.value()->secret, "s3cret");
}

}  // namespace
}  // namespace iw::config
