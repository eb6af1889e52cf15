#include "server/request_guard.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

HttpRequest Head(std::string method, Params headers, std::string path = "/config") {
  HttpRequest r;
  r.method = std::move(method);
  r.path = path;
  r.target = path;
  r.headers = std::move(headers);
  return r;
}

// The web app's own write: same origin, JSON.
Params AppWrite() {
  return {{"Host", "192.168.1.20"},
          {"Origin", "http://192.168.1.20"},
          {"Sec-Fetch-Site", "same-origin"},
          {"Content-Type", "application/json"}};
}

int Refused(const HttpRequest& r) {
  const auto refused = refuse_cross_site_write(r);
  return refused ? refused->status : 0;
}

HostAllowList Machine() {
  return HostAllowList({"iotawatt.example.lan"}, [] {
    return std::vector<std::string>{"localhost",  "127.0.0.1", "[::1]",     "192.168.1.20",
                                    "[fd00::20]", "iota",      "iota.local"};
  });
}

// ---- cross-site writes ------------------------------------------------------------------

TEST(RequestGuard, ReadsAreNeverRefusedForTheirOrigin) {
  for (const char* m : {"GET", "HEAD"}) {
    EXPECT_EQ(Refused(Head(m, {{"Host", "a"}, {"Origin", "http://evil.example"}, {"Sec-Fetch-Site", "cross-site"}})), 0)
        << m;
  }
}

TEST(RequestGuard, TheAppsOwnWritesPass) {
  for (const char* m : {"POST", "PUT", "DELETE", "PATCH"}) EXPECT_EQ(Refused(Head(m, AppWrite())), 0) << m;
}

TEST(RequestGuard, ApiClientsWithoutOriginPassWithJsonOrTheHeader) {
  EXPECT_EQ(Refused(Head("POST", {{"Host", "iota"}, {"Content-Type", "application/json"}})), 0);
  EXPECT_EQ(Refused(Head("POST", {{"Host", "iota"}, {"Content-Type", "Application/JSON; charset=utf-8"}})), 0);
  EXPECT_EQ(Refused(Head("POST", {{"Host", "iota"}, {"Content-Type", " application/json ;charset=utf-8"}})), 0);
  EXPECT_EQ(Refused(Head("POST", {{"Host", "iota"}, {"X-Requested-With", "curl"}})), 0);
  EXPECT_EQ(Refused(Head("POST", {{"Content-Type", "text/plain"}, {"x-requested-with", "XMLHttpRequest"}})), 0);
  EXPECT_EQ(Refused(Head("POST", {{"Content-Type", "application/json"}})), 0) << "HTTP/1.0, no Host";
}

TEST(RequestGuard, WritesABrowserCanSendWithoutPreflightAreRefused) {
  for (const char* type : {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonx", "text/json", ""}) {
    const HttpRequest r = Head("POST", {{"Host", "iota"}, {"Content-Type", type}});
    const auto refused = refuse_cross_site_write(r);
    ASSERT_TRUE(refused) << type;
    EXPECT_EQ(refused->status, 403);
    EXPECT_NE(refused->body.find("Content-Type: application/json or an X-Requested-With header"), std::string::npos)
        << refused->body;
  }
  EXPECT_EQ(Refused(Head("POST", {{"Host", "iota"}})), 403) << "no body, no header: a no-cors fetch";
  EXPECT_EQ(Refused(Head("POST", {{"Host", "iota"}, {"X-Requested-With", ""}})), 403);
}

TEST(RequestGuard, FetchSiteOtherThanSameOriginOrNoneIsRefused) {
  for (const char* site : {"cross-site", "same-site", "Cross-Site", "something-new"}) {
    Params h = AppWrite();
    h[2].second = site;
    const auto refused = refuse_cross_site_write(Head("POST", h));
    ASSERT_TRUE(refused) << site;
    EXPECT_EQ(refused->status, 403);
    EXPECT_NE(refused->body.find("Sec-Fetch-Site"), std::string::npos);
  }
  for (const char* site : {"same-origin", "none", "Same-Origin", " none "}) {
    Params h = AppWrite();
    h[2].second = site;
    EXPECT_EQ(Refused(Head("POST", h)), 0) << site;
  }
}

TEST(RequestGuard, OriginMustNameTheHostAndPort) {
  struct Case {
    const char* origin;
    const char* host;
    bool same;
  };
  const Case cases[] = {
      {"http://192.168.1.20", "192.168.1.20", true},
      {"http://192.168.1.20:80", "192.168.1.20", true},
      {"http://192.168.1.20", "192.168.1.20:80", true},
      {"http://iota:8080", "IOTA:8080", true},
      {"http://iota.local.", "iota.local", true},
      {"https://iota.example", "iota.example", true},  // behind a TLS proxy that keeps Host
      {"https://iota.example", "iota.example:443", true},
      {"http://[::1]:8080", "[0::1]:8080", true},
      {"http://evil.example", "192.168.1.20", false},
      {"http://192.168.1.20:8081", "192.168.1.20:8080", false},
      {"http://192.168.1.20", "192.168.1.20:8080", false},
      {"https://192.168.1.20", "192.168.1.20:80", false},
      {"http://192.168.1.20.evil.example", "192.168.1.20", false},
      {"null", "192.168.1.20", false},
      {"file://", "192.168.1.20", false},
      {"ftp://192.168.1.20", "192.168.1.20", false},
      {"http://192.168.1.20/path", "192.168.1.20", false},
      {"http://192.168.1.20", "", false},  // no Host to compare with
  };
  for (const Case& c : cases) {
    Params h = {{"Origin", c.origin}, {"Content-Type", "application/json"}};
    if (*c.host) h.emplace_back("Host", c.host);
    const auto refused = refuse_cross_site_write(Head("POST", h));
    EXPECT_EQ(!refused, c.same) << c.origin << " vs " << c.host;
    if (refused) {
      EXPECT_NE(refused->body.find("another origin"), std::string::npos) << refused->body;
    }
  }
}

TEST(RequestGuard, CrossSiteIsRefusedEvenWithJsonOrTheHeader) {
  EXPECT_EQ(Refused(Head("POST", {{"Host", "iota"},
                                  {"Origin", "http://evil.example"},
                                  {"Content-Type", "application/json"},
                                  {"X-Requested-With", "x"}})),
            403);
  EXPECT_EQ(Refused(Head("DELETE", {{"Host", "iota"}, {"Sec-Fetch-Site", "cross-site"}, {"X-Requested-With", "x"}})),
            403);
}

TEST(RequestGuard, PreflightsAreRefusedWithoutCorsHeaders) {
  const auto refused = refuse_cross_site_write(Head(
      "OPTIONS", {{"Host", "iota"}, {"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}}));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  for (const auto& [name, value] : refused->headers)
    EXPECT_EQ(name.rfind("Access-Control", 0), std::string::npos) << name;
  EXPECT_NE(refused->body.find("no CORS"), std::string::npos);
}

TEST(RequestGuard, RefusalsQuoteOnlyPrintableBoundedText) {
  const std::string long_origin = "http://" + std::string(500, 'e') + ".example";
  const auto refused = refuse_cross_site_write(Head("POST", {{"Host", "iota"}, {"Origin", long_origin}}, "/x\x01y"));
  ASSERT_TRUE(refused);
  EXPECT_LT(refused->body.size(), 400u);
  EXPECT_EQ(refused->body.find('\x01'), std::string::npos);
  EXPECT_EQ(refused->content_type, "text/plain");
}

// ---- DNS rebinding ----------------------------------------------------------------------

int HostStatus(const HostAllowList& list, Params headers) {
  const auto refused = refuse_unknown_host(Head("GET", std::move(headers)), list);
  return refused ? refused->status : 0;
}

TEST(RequestGuard, KnownHostsPassWithOrWithoutPort) {
  const HostAllowList list = Machine();
  for (const char* host : {"localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:8080",
                           "[0:0::1]:8080", "192.168.1.20", "192.168.1.20:80", "[FD00::20]:80", "iota", "IOTA.local.",
                           "iota.local:8080", "iotawatt.example.lan", "IoTaWatt.Example.Lan.:443"}) {
    EXPECT_EQ(HostStatus(list, {{"Host", host}}), 0) << host;
  }
  EXPECT_EQ(HostStatus(list, {}), 0) << "HTTP/1.0 without Host";
}

TEST(RequestGuard, OtherHostsGet421NamingTheFix) {
  const HostAllowList list = Machine();
  for (const char* host : {"attacker.example", "attacker.example:8080", "192.168.1.21", "[fd00::21]", "iota.lan",
                           "localhost.attacker.example", "127.0.0.1.nip.io"}) {
    const auto refused = refuse_unknown_host(Head("GET", {{"Host", host}}), list);
    ASSERT_TRUE(refused) << host;
    EXPECT_EQ(refused->status, 421);
    EXPECT_NE(refused->body.find("--allow-host"), std::string::npos) << refused->body;
    EXPECT_NE(refused->body.find("\"http\": {\"hosts\""), std::string::npos) << refused->body;
  }
  const auto refused = refuse_unknown_host(Head("GET", {{"Host", "Attacker.Example.:8080"}}), list);
  EXPECT_NE(refused->body.find("'attacker.example'"), std::string::npos) << refused->body;
  EXPECT_NE(refused->body.find("--allow-host attacker.example."), std::string::npos) << refused->body;
}

TEST(RequestGuard, MalformedHostsGet421) {
  const HostAllowList list = Machine();
  for (const char* host : {"::1", "localhost:99999", "local host", "localhost:x", "[::1"}) {
    EXPECT_EQ(HostStatus(list, {{"Host", host}}), 421) << host;
  }
}

TEST(RequestGuard, HostComesBeforeTheWriteRules) {
  const HostAllowList list = Machine();
  HttpRequest r = Head("POST", {{"Host", "attacker.example"}, {"Origin", "http://attacker.example"}});
  EXPECT_EQ(guard_request(r, list)->status, 421);
  r = Head("POST", {{"Host", "iota"}, {"Origin", "http://attacker.example"}});
  EXPECT_EQ(guard_request(r, list)->status, 403);
  r = Head("POST", {{"Host", "iota"}, {"Origin", "http://iota"}, {"Content-Type", "application/json"}});
  EXPECT_FALSE(guard_request(r, list));
  r = Head("GET", {{"Host", "iota"}});
  EXPECT_FALSE(guard_request(r, list));
}

}  // namespace
}  // namespace iw::server
