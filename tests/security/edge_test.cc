// Issue 12, findings 2 and 3: slow clients, chunked floods and header floods against the real
// daemon. Each attack must leave a fresh client answered, sampling running (cycles go on) and
// memory flat (RSS within 20 MB).
#include <gtest/gtest.h>

#include "security/security_testing.h"

namespace iw {
namespace {

using namespace std::chrono_literals;
using testing::base64;
using testing::RawConnection;
using testing::SecurityDaemon;
using testing::status_of;

// The issue's target, held by the release build. Under AddressSanitizer the daemon keeps freed
// memory in quarantine (up to 256 MB) and allocates shadow memory, so connection churn shows as
// RSS it would give back; there the bound only catches runaway growth (a body read whole).
#if defined(__SANITIZE_ADDRESS__)
constexpr long kRssSlackKib = 96 * 1024;
#else
constexpr long kRssSlackKib = 20 * 1024;
#endif

class Edge : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(daemon_.start(&why)) << why;
    // Let the sampler and the allocator settle before the baseline.
    std::this_thread::sleep_for(1500ms);
    rss_before_ = daemon_.rss();
    cycles_before_ = daemon_.cycles();
    ASSERT_GT(cycles_before_, 0);
  }
  void set_admin_password() {
    auto res = daemon_.client()->Post("/auth", base64(R"({"newadmin":"correct-horse-42"})"), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    daemon_.log_in_as("admin", "correct-horse-42");
  }
  // The daemon answers a fresh client, went on sampling, and its memory stayed flat.
  void expect_unharmed() {
    ASSERT_TRUE(daemon_.alive()) << daemon_.process().log();
    auto res = daemon_.client()->Get("/status?stats");
    ASSERT_TRUE(res) << "a fresh client got no answer";
    EXPECT_EQ(res->status, 200);
    // /status refreshes once a second.
    long long cycles = daemon_.cycles();
    for (int i = 0; i < 30 && cycles <= cycles_before_; ++i) {
      std::this_thread::sleep_for(100ms);
      cycles = daemon_.cycles();
    }
    EXPECT_GT(cycles, cycles_before_) << "sampling stopped";
    EXPECT_LT(daemon_.rss() - rss_before_, kRssSlackKib) << "RSS grew from " << rss_before_ << " KiB";
  }

  SecurityDaemon daemon_{"edge"};
  long rss_before_ = 0;
  long long cycles_before_ = 0;
};

TEST_F(Edge, FiveHundredSlowClientsNeitherStarveAFreshOneNorStayPastTheHeadDeadline) {
  // 25 connections from each of 20 LAN neighbours (127.0.0.2 ...), each sending one header
  // line every 2 s, as a slowloris would.
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 500; ++i) {
    auto c = std::make_unique<RawConnection>(daemon_.port(), "127.0.0." + std::to_string(2 + i / 25));
    ASSERT_TRUE(c->connected()) << "connection " << i;
    ASSERT_TRUE(c->send("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    slow.push_back(std::move(c));
  }
  const auto start = std::chrono::steady_clock::now();
  int answered = 0;
  for (int round = 0; round < 4; ++round) {
    for (auto& c : slow) c->send("X-Slow: " + std::to_string(round) + "\r\n");
    for (int i = 0; i < 5; ++i) {
      auto res = daemon_.client()->Get("/status?stats");
      if (res && res->status == 200) ++answered;
    }
    std::this_thread::sleep_for(2s);
  }
  EXPECT_EQ(answered, 20) << "a fresh client was starved by slow ones";
  // None completed its head: each is closed once the 10 s head deadline passes.
  std::this_thread::sleep_until(start + 11s);
  int closed = 0;
  for (auto& c : slow) {
    c->send("X-Slow: late\r\n");
    if (c->closed_by_peer(2000ms)) ++closed;
  }
  EXPECT_EQ(closed, 500);
  expect_unharmed();
}

TEST_F(Edge, AChunkedFloodWithoutCredentialsIsRefusedAfterTheHeadAndNeverRead) {
  set_admin_password();
  RawConnection c(daemon_.port());
  ASSERT_TRUE(
      c.send("POST /config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "100000\r\n" + std::string(0x100000, '{') + "\r\n";  // 1 MiB chunks
  size_t sent = 0;
  while (sent < 200u * 1024 * 1024 && c.send(chunk)) sent += chunk.size();
  EXPECT_LT(sent, 32u * 1024 * 1024) << "the server kept reading a body it had refused";
  expect_unharmed();
}

TEST_F(Edge, AChunkedBodyOverTheCapIsCutAt1MiBWith413) {
  RawConnection c(daemon_.port());
  ASSERT_TRUE(
      c.send("POST /config HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";  // 64 KiB chunks
  for (int i = 0; i < 17; ++i) ASSERT_TRUE(c.send(chunk));
  const std::string answer = c.receive(3000ms);
  EXPECT_EQ(status_of(answer), 413) << answer;
  EXPECT_NE(answer.find("larger than 1048576 bytes"), std::string::npos) << answer;
  expect_unharmed();
}

TEST_F(Edge, AHeaderFloodGets431AtTheHeadCap) {
  RawConnection c(daemon_.port());
  std::string head = "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 2000; ++i) head += "X-" + std::to_string(i) + ": a\r\n";  // ~20 KB
  ASSERT_TRUE(c.send(head));
  const std::string answer = c.receive(3000ms);
  EXPECT_EQ(status_of(answer), 431) << answer;
  // The rest of 100 000 headers goes nowhere.
  std::string more;
  for (int i = 0; i < 98000; ++i) more += "X-" + std::to_string(i) + ": a\r\n";
  c.send(more);
  expect_unharmed();
  auto metrics = daemon_.client()->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("iotawatt_http_refused_total{reason=\"too_large\"} 1"), std::string::npos)
      << metrics->body.substr(metrics->body.find("iotawatt_http"));
}

TEST_F(Edge, TooManyHeaderFieldsGet431) {
  RawConnection c(daemon_.port());
  std::string head = "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 150; ++i) head += "A: " + std::to_string(i) + "\r\n";
  ASSERT_TRUE(c.send(head + "\r\n"));
  const std::string answer = c.receive(3000ms);
  EXPECT_EQ(status_of(answer), 431) << answer;
  EXPECT_NE(answer.find("more than 100 header fields"), std::string::npos);
  expect_unharmed();
}

TEST_F(Edge, HttpsAnswersWithTheFingerprintShownInStatus) {
  SecurityDaemon tls{"edge-tls", std::vector<std::string>{"--https", "127.0.0.1:0"}};
  std::string why;
  ASSERT_TRUE(tls.start(&why)) << why;
  auto device = tls.client()->Get("/status?device");
  ASSERT_TRUE(device);
  const auto j = nlohmann::json::parse(device->body);
  ASSERT_TRUE(j["device"].contains("https")) << device->body;
  const int port = j["device"]["https"]["port"];
  const std::string fingerprint = j["device"]["https"]["fingerprint"];
  EXPECT_EQ(fingerprint.size(), 95u);
  // curl over TLS against the self-signed certificate, pinned by its public key's presence.
  int rc = 0;
  const std::string out = testing::run_command(
      "curl -sk --max-time 5 -w ' %{http_code}' https://127.0.0.1:" + std::to_string(port) + "/nullreq", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, " 200");
  // The certificate curl saw is the one /status names.
  const std::string seen =
      testing::run_command("echo | openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                               " 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | cut -d= -f2",
                           &rc);
  EXPECT_EQ(seen.substr(0, 95), fingerprint);
  EXPECT_TRUE(std::filesystem::exists(tls.data() + "/tls/key.pem"));
  EXPECT_EQ(std::filesystem::status(tls.data() + "/tls/key.pem").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace iw
