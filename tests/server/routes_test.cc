#include <gtest/gtest.h>

#include "server/http.h"

namespace iw::server {
namespace {

HttpRequest request(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(Routes, MatchExactMethodAndPath) {
  Routes routes;
  routes.add("GET", "/status", [](const HttpRequest&) { return HttpResponse::text(200, "status"); });
  routes.add("POST", "/status", [](const HttpRequest&) { return HttpResponse::text(200, "posted"); });
  EXPECT_EQ(routes.dispatch(request("GET", "/status")).body, "status");
  EXPECT_EQ(routes.dispatch(request("POST", "/status")).body, "posted");
  const HttpResponse missing = routes.dispatch(request("GET", "/status/x"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "Not found: GET, URI: /status/x");
  EXPECT_EQ(routes.dispatch(request("DELETE", "/status")).body, "Not found: POST, URI: /status");
}

TEST(Routes, TheFallbackTakesWhatNoRouteMatches) {
  Routes routes;
  routes.add("GET", "/a", [](const HttpRequest&) { return HttpResponse::text(200, "a"); });
  routes.set_fallback([](const HttpRequest& r) { return HttpResponse::text(200, "file " + r.path); });
  EXPECT_EQ(routes.dispatch(request("GET", "/a")).body, "a");
  EXPECT_EQ(routes.dispatch(request("GET", "/index.html")).body, "file /index.html");
}

TEST(HttpRequest, ArgumentsAndCaseInsensitiveHeaders) {
  HttpRequest r;
  r.params = {{"inputs", ""}, {"dir", "/a"}, {"dir", "/b"}};
  r.headers = {{"X-ConfigSHA256", "h"}};
  EXPECT_TRUE(r.has("inputs"));
  EXPECT_FALSE(r.has("outputs"));
  EXPECT_EQ(r.arg("dir"), "/a");
  EXPECT_EQ(r.header("x-configsha256"), "h");
  EXPECT_EQ(r.header("missing"), "");
}

}  // namespace
}  // namespace iw::server
