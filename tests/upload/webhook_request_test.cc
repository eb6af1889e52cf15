// The webhook's request: the body's shape, and a signature that the receiver's own tools
// (openssl dgst) compute the same.
#include "upload/webhook_request.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "query/event_json.h"

namespace iw::upload {
namespace {

using nlohmann::json;

measure::StepEvent kettle_on() {
  measure::StepEvent e;
  e.time_ns = 1733001234560000000;
  e.channel = 1;
  e.kind = measure::StepKind::kOn;
  e.before_w = 1.2;
  e.after_w = 2011.9;
  e.delta_w = 2010.7;
  e.after_amps = 8.74;
  return e;
}

// What `openssl dgst -sha256 -hmac <secret>` prints for `body`: the hex digest alone.
std::string openssl_hmac(const std::string& body, const std::string& secret) {
  const std::string path = ::testing::TempDir() + "webhook-body-" + std::to_string(getpid());
  std::ofstream(path, std::ios::binary) << body;
  const std::string cmd = "openssl dgst -sha256 -hmac '" + secret + "' < " + path + " 2>&1";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
    pclose(p);
  }
  std::remove(path.c_str());
  const size_t eq = out.rfind("= ");
  return eq == std::string::npos ? "(openssl said: " + out + ")" : out.substr(eq + 2, 64);
}

TEST(WebhookRequest, TheBodyNamesTheDeviceAndCarriesEachEventAsGetEventsDoes) {
  const std::vector<measure::StepEvent> events = {kettle_on(), kettle_on()};
  const json body = json::parse(webhook_body("Shed", events, {"Voltage", "Kettle"}));
  EXPECT_EQ(body["device"], "Shed");
  ASSERT_EQ(body["events"].size(), 2u);
  EXPECT_EQ(body["events"][0], query::event_json(events[0], "Kettle"));
  EXPECT_EQ(body["events"][0]["name"], "Kettle");
  EXPECT_EQ(body["events"][0]["kind"], "on");
  EXPECT_FALSE(body.contains("test"));
  // A channel without an input now has no name.
  measure::StepEvent gone = kettle_on();
  gone.channel = 7;
  EXPECT_EQ(json::parse(webhook_body("Shed", {&gone, 1}, {"Voltage"}))["events"][0]["name"], "");
  EXPECT_EQ(json::parse(webhook_body("Shed", {}, {}, true))["test"], true);
}

TEST(WebhookRequest, TheSignatureIsTheHmacSha256OfTheBody) {
  // RFC 4231 test case 2.
  EXPECT_EQ(webhook_signature("what do ya want for nothing?", "Jefe"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A real body, checked with the command line README gives the receiver.
  const std::string body = webhook_body("Shed", std::vector<measure::StepEvent>{kettle_on()}, {"Voltage", "Kettle"});
  EXPECT_EQ(webhook_signature(body, "s3cret"), "sha256=" + openssl_hmac(body, "s3cret"));
  EXPECT_NE(webhook_signature(body, "s3cret"), webhook_signature(body, "s3cres"));
}

TEST(WebhookRequest, ARequestIsAJsonPostSignedOnlyWithASecret) {
  const HttpRequest signed_request = webhook_request("https://h/x", "{\"a\":1}", "k");
  EXPECT_EQ(signed_request.method, "POST");
  EXPECT_EQ(signed_request.url, "https://h/x");
  EXPECT_EQ(signed_request.body, "{\"a\":1}");
  std::map<std::string, std::string> headers(signed_request.headers.begin(), signed_request.headers.end());
  EXPECT_EQ(headers["Content-Type"], "application/json");
  EXPECT_EQ(headers["X-IoTaWatt-Signature"], webhook_signature("{\"a\":1}", "k"));
  for (const auto& [name, value] : webhook_request("https://h/x", "{}", "").headers) {
    EXPECT_NE(name, "X-IoTaWatt-Signature");
  }
}

}  // namespace
}  // namespace iw::upload
