// Issue 12, finding 4: a page on another site makes the visitor's browser write to the monitor
// (a form posting JSON as text/plain, a no-cors fetch, an <img> on GET /command?restart). With
// no passwords set (the default) nothing else stops it. Each attack must be refused with 403
// (405 for the GET restart), change nothing, and leave the daemon measuring; the same writes
// from an API client (no Origin, JSON or X-Requested-With) and from the app's own pages work.
#include <gtest/gtest.h>

#include "security/raw_http.h"

namespace iw::testing {
namespace {

using nlohmann::json;

class CrossSite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = new SecurityDaemon("cross-site");
    std::string why;
    ASSERT_TRUE(daemon_->start(&why)) << why;
  }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(daemon_, nullptr);
    config_before_ = config();
    cycles_before_ = daemon_->cycles();
  }
  // The attack changed nothing, and measuring went on.
  void ExpectUnharmed() {
    EXPECT_EQ(config(), config_before_);
    EXPECT_TRUE(daemon_->alive());
    long long cycles = -1;
    for (int i = 0; i < 50 && (cycles = daemon_->cycles()) <= cycles_before_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GT(cycles, cycles_before_);
  }
  static std::string config() {
    auto res = daemon_->client()->Get("/config");
    return res && res->status == 200 ? res->body : "(GET /config failed)";
  }
  // The running config with another device name, as an attacker would post it.
  static std::string renamed_config(const std::string& name) {
    json cfg = json::parse(config());
    cfg["device"]["name"] = name;
    return cfg.dump();
  }
  static int port() { return daemon_->port(); }

  static SecurityDaemon* daemon_;
  std::string config_before_;
  long long cycles_before_ = 0;
};
SecurityDaemon* CrossSite::daemon_ = nullptr;

const std::string kEvil = "Origin: http://evil.example";

TEST_F(CrossSite, JsonInATextPlainFormFromAnotherSiteIsRefused) {
  const RawAnswer a = exchange(port(), "POST", "/config",
                               {host_header(port()), kEvil, "Sec-Fetch-Site: cross-site", "Content-Type: text/plain"},
                               renamed_config("Pwned"));
  EXPECT_EQ(a.status, 403) << a.head << a.body;
  EXPECT_NE(a.body.find("another site"), std::string::npos) << a.body;
  ExpectUnharmed();
}

TEST_F(CrossSite, AnotherOriginIsRefusedWhateverItsContentType) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/json"}) {
    const RawAnswer a =
        exchange(port(), "POST", "/config", {host_header(port()), kEvil, std::string("Content-Type: ") + type},
                 renamed_config("Pwned"));
    EXPECT_EQ(a.status, 403) << type << "\n" << a.body;
    EXPECT_NE(a.body.find("another origin"), std::string::npos) << a.body;
  }
  // Another service on the same machine (other port) and a sandboxed frame are other origins.
  for (const char* origin : {"Origin: http://127.0.0.1:1", "Origin: null"}) {
    const RawAnswer a =
        exchange(port(), "POST", "/config", {host_header(port()), origin, "Content-Type: application/json"},
                 renamed_config("Pwned"));
    EXPECT_EQ(a.status, 403) << origin;
  }
  const RawAnswer same_site = exchange(
      port(), "POST", "/config", {host_header(port()), "Sec-Fetch-Site: same-site", "Content-Type: application/json"},
      renamed_config("Pwned"));
  EXPECT_EQ(same_site.status, 403);
  ExpectUnharmed();
}

TEST_F(CrossSite, WritesWithoutJsonOrTheHeaderAreRefusedEvenWithoutOrigin) {
  // An old browser that sends no Origin: only the body type tells a form from the app.
  for (const char* type : {"Content-Type: text/plain", "Content-Type: application/x-www-form-urlencoded"}) {
    const RawAnswer a = exchange(port(), "POST", "/config", {host_header(port()), type}, renamed_config("Pwned"));
    EXPECT_EQ(a.status, 403) << type;
    EXPECT_NE(a.body.find("application/json or an X-Requested-With header"), std::string::npos) << a.body;
  }
  ExpectUnharmed();
}

TEST_F(CrossSite, PasswordsCannotBeSetFromAnotherSite) {
  // POST /auth's body is base64 text; with no admin password set, it would take over the monitor.
  const std::string body = "eyJuZXdhZG1pbiI6InB3bmVkIn0=";  // {"newadmin":"pwned"}
  for (const std::vector<std::string>& headers :
       {std::vector<std::string>{host_header(port()), kEvil, "Content-Type: text/plain"},
        std::vector<std::string>{host_header(port()), "Content-Type: text/plain"}}) {
    const RawAnswer a = exchange(port(), "POST", "/auth", headers, body);
    EXPECT_EQ(a.status, 403) << a.body;
  }
  EXPECT_EQ(daemon_->client()->Get("/status")->status, 200) << "still no password";
  ExpectUnharmed();
}

TEST_F(CrossSite, GraphsCannotBeSavedOrDeletedFromAnotherSite) {
  const auto before = daemon_->client()->Get("/graph/getall")->body;
  const RawAnswer a = exchange(port(), "POST", "/graph/create",
                               {host_header(port()), kEvil, "Content-Type: application/x-www-form-urlencoded"},
                               "data=%7B%22name%22%3A%22pwned%22%7D");
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(daemon_->client()->Get("/graph/getall")->body, before);
  ExpectUnharmed();
}

TEST_F(CrossSite, RestartByGetIs405AndDoesNotRestart) {
  const RawAnswer a =
      exchange(port(), "GET", "/command?restart=yes", {host_header(port()), "Sec-Fetch-Site: cross-site"});
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.header("Allow"), "POST");
  EXPECT_NE(a.body.find("POST /command?restart"), std::string::npos) << a.body;
  const RawAnswer post = exchange(port(), "POST", "/command?restart", {host_header(port()), kEvil});
  EXPECT_EQ(post.status, 403);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(daemon_->process().log().find("Restart command received"), std::string::npos);
  ExpectUnharmed();
}

TEST_F(CrossSite, PreflightsGetNoCorsHeaders) {
  const RawAnswer a = exchange(port(), "OPTIONS", "/config",
                               {host_header(port()), kEvil, "Access-Control-Request-Method: POST",
                                "Access-Control-Request-Headers: content-type"});
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(a.head.find("Access-Control-"), std::string::npos) << a.head;
  ExpectUnharmed();
}

TEST_F(CrossSite, ApiClientsAndTheAppsOwnPagesStillWrite) {
  // curl -H 'Content-Type: application/json' and curl -H 'X-Requested-With: curl'.
  RawAnswer a = exchange(port(), "POST", "/config", {host_header(port()), "Content-Type: application/json"},
                         renamed_config("ByCurl"));
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(json::parse(config())["device"]["name"], "ByCurl");
  a = exchange(port(), "POST", "/config", {host_header(port()), "X-Requested-With: curl", "Content-Type: text/plain"},
               renamed_config("ByHeader"));
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(json::parse(config())["device"]["name"], "ByHeader");
  // The app: same origin as the Host it was loaded from.
  a = exchange(port(), "POST", "/config",
               {host_header(port()), "Origin: http://127.0.0.1:" + std::to_string(port()),
                "Sec-Fetch-Site: same-origin", "Content-Type: application/json"},
               renamed_config("ByApp"));
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(json::parse(config())["device"]["name"], "ByApp");
  a = exchange(port(), "POST", "/command?restart", {host_header(port()), "X-Requested-With: curl"});
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body, "ok");
  // Both changes restarted measuring: its cycle count starts again.
  config_before_ = config();
  cycles_before_ = daemon_->cycles();
  ExpectUnharmed();
}

TEST_F(CrossSite, PagesCarryTheSecurityHeaders) {
  for (const char* path : {"/", "/index.html", "/app.js", "/style.css"}) {
    const RawAnswer a = exchange(port(), "GET", path, {host_header(port())});
    ASSERT_EQ(a.status, 200) << path;
    const std::string csp = a.header("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << path << ": " << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path << ": " << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(a.header("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(a.header("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(a.header("Referrer-Policy"), "same-origin") << path;
  }
}

}  // namespace
}  // namespace iw::testing
