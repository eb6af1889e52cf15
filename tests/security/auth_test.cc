// Issue 12, the Digest login findings, against the real daemon over loopback: password
// guessing backs off per client (7), an answer without qop is refused (9), anonymous
// challenges do not log anyone out (10), the user role reads neither the message log nor the
// web directory's other files, a long URL still logs in, short passwords are refused (12).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <thread>

#include "security/digest_client.h"
#include "security/security_testing.h"

namespace iw::testing {
namespace {

const DigestCredentials kAdmin{"admin", "admin-pass-1"};
const DigestCredentials kUser{"user", "viewer-pass-1"};
const DigestCredentials kWrong{"admin", "not-the-password"};

class Auth : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(daemon_.start(&why)) << why;
    const Answer set =
        set_passwords(port(), R"({"newadmin":"admin-pass-1","newuser":"viewer-pass-1","localAccess":false})");
    ASSERT_EQ(set.status, 200) << set.body;
    ASSERT_EQ(set.body, "Passwords reset.");
  }
  int port() const { return daemon_.port(); }

  SecurityDaemon daemon_{"auth"};
};

TEST_F(Auth, GuessingBacksOffAndTheRightPasswordStillWorks) {
  long long cycles_before = 0;
  for (int i = 0; i < 100 && cycles_before <= 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cycles_before = cycles_with_login(port(), "127.0.0.3", kAdmin);
  }
  ASSERT_GT(cycles_before, 0) << "sampling never started";
  const std::string nonce = exchange(port(), "", "GET", "/status").nonce();
  ASSERT_FALSE(nonce.empty());
  std::vector<int> statuses;
  std::string retry_after;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    const std::string guess = digest_authorization(kWrong, nonce, "GET", "/status", i + 1);
    const Answer a = exchange(port(), "", "GET", "/status", guess);
    statuses.push_back(a.status);
    if (a.status == 429) retry_after = a.header("Retry-After");
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Five free failures; the sixth is looked at and starts a 1 s wait, answered 429 at once.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(statuses[static_cast<size_t>(i)], 401) << i;
  EXPECT_EQ(statuses[6], 429);
  int looked_at = 0;
  for (int s : statuses) {
    EXPECT_TRUE(s == 401 || s == 429) << s;
    looked_at += s == 401;
  }
  // Waits of 1, 2, 4, ... s: in `seconds` at most 6 + log2(seconds + 1) + 1 guesses are looked at.
  EXPECT_LE(looked_at, 7 + static_cast<int>(std::log2(seconds + 1))) << seconds << " s";
  ASSERT_FALSE(retry_after.empty());

  // While this client waits, even the right password gets 429; another client logs in.
  EXPECT_EQ(digest_get(port(), "", kAdmin, "/status").status, 429);
  EXPECT_EQ(digest_get(port(), "127.0.0.2", kAdmin, "/status").status, 200);
  // After Retry-After, the right password works here again.
  const Answer last = exchange(port(), "", "GET", "/status");
  ASSERT_EQ(last.status, 429);
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(last.header("Retry-After"))));
  EXPECT_EQ(digest_get(port(), "", kAdmin, "/status").status, 200);

  EXPECT_TRUE(daemon_.alive());
  EXPECT_GT(cycles_with_login(port(), "127.0.0.3", kAdmin), cycles_before);
}

TEST_F(Auth, AnswerWithoutQopIsRefused) {
  const std::string nonce = exchange(port(), "", "GET", "/status").nonce();
  const Answer rfc2069 =
      exchange(port(), "", "GET", "/status", digest_authorization(kAdmin, nonce, "GET", "/status", 1, false));
  EXPECT_EQ(rfc2069.status, 401);
  EXPECT_FALSE(rfc2069.stale());
  EXPECT_EQ(exchange(port(), "", "GET", "/status", digest_authorization(kAdmin, nonce, "GET", "/status")).status, 200);
}

TEST_F(Auth, ReplayedRequestIsRefused) {
  const std::string nonce = exchange(port(), "", "GET", "/status").nonce();
  const std::string header = digest_authorization(kAdmin, nonce, "GET", "/status");
  EXPECT_EQ(exchange(port(), "", "GET", "/status", header).status, 200);
  EXPECT_EQ(exchange(port(), "127.0.0.2", "GET", "/status", header).status, 401);
}

TEST_F(Auth, AnonymousFloodDoesNotLogASessionOut) {
  const std::string nonce = exchange(port(), "", "GET", "/status").nonce();
  ASSERT_EQ(exchange(port(), "", "GET", "/status", digest_authorization(kAdmin, nonce, "GET", "/status", 1)).status,
            200);
  auto anonymous = daemon_.client();
  for (int i = 0; i < 2000; ++i) {
    auto res = anonymous->Get("/status");
    ASSERT_TRUE(res && res->status == 401) << i;
  }
  EXPECT_EQ(exchange(port(), "", "GET", "/status", digest_authorization(kAdmin, nonce, "GET", "/status", 2)).status,
            200);
}

TEST_F(Auth, NeverIssuedNonceGivesNoHintAboutThePassword) {
  // The original's nonce shape (32 hex), and ours (56 hex) with a MAC that does not match.
  for (const std::string& made_up : {std::string(32, 'a'), std::string(56, 'a')}) {
    const Answer right =
        exchange(port(), "", "GET", "/status", digest_authorization(kAdmin, made_up, "GET", "/status"));
    const Answer wrong =
        exchange(port(), "", "GET", "/status", digest_authorization(kWrong, made_up, "GET", "/status"));
    EXPECT_EQ(right.status, 401);
    EXPECT_EQ(wrong.status, 401);
    EXPECT_FALSE(right.stale()) << "stale=true would tell the password was right";
    EXPECT_FALSE(wrong.stale());
  }
}

TEST_F(Auth, UserRoleReadsNeitherTheMessageLogNorTheWebDirectorysOtherFiles) {
  for (const char* target : {"/list?dir=/iotawatt/", "/list?dir=iotawatt", "/list?dir=/", "/iotawatt/iotamsgs.txt",
                             "/README.md", "/package.json"}) {
    EXPECT_EQ(digest_get(port(), "", kUser, target).status, 403) << target;  // known, not enough: no new challenge
  }
  for (const char* target : {"/", "/app.js", "/style.css", "/list?dir=/graphs/", "/status"}) {
    EXPECT_EQ(digest_get(port(), "", kUser, target).status, 200) << target;
  }
  EXPECT_EQ(digest_get(port(), "", kAdmin, "/list?dir=/iotawatt/").status, 200);
  EXPECT_EQ(digest_get(port(), "", kAdmin, "/README.md").status, 200);
  // A user-role browser opening admin pages is not guessing: no backoff.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(digest_get(port(), "", kUser, "/config").status, 403) << i;
  EXPECT_EQ(digest_get(port(), "", kUser, "/status").status, 200);
}

TEST_F(Auth, LongUrlStillLogsIn) {
  // Beyond the old 4 KiB cap of the whole Authorization header; within cpp-httplib's 8 KiB
  // header line (the new server's head cap is 16 KiB; tests/server covers an 8 KB target).
  const std::string target = "/status?wifi=yes&pad=" + std::string(5000, 'x');
  EXPECT_EQ(digest_get(port(), "", kAdmin, target).status, 200);
}

TEST_F(Auth, ShortPasswordIsRefused) {
  const std::string nonce = exchange(port(), "", "POST", "/auth").nonce();
  const Answer a = exchange(port(), "", "POST", "/auth", digest_authorization(kAdmin, nonce, "POST", "/auth"),
                            auth_body(R"({"oldadmin":"admin-pass-1","newadmin":"short"})"));
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.body, "Passwords need at least 8 characters.");
  EXPECT_EQ(digest_get(port(), "", kAdmin, "/status").status, 200);  // the old password stands
}

TEST(AuthSetup, ShortPasswordIsRefusedOnAFreshDevice) {
  SecurityDaemon daemon("auth-fresh");
  std::string why;
  ASSERT_TRUE(daemon.start(&why)) << why;
  const Answer a = set_passwords(daemon.port(), R"({"newadmin":"1234567"})");
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(a.body, "Passwords need at least 8 characters.");
  EXPECT_EQ(exchange(daemon.port(), "", "GET", "/status").status, 200);  // still open
}

}  // namespace
}  // namespace iw::testing
