#include "server/auth/access_level.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

TEST(AccessLevel, ApiRoutes) {
  EXPECT_EQ(access_for("GET", "/status"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/query"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/nullreq"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/feed/data.json"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/graph/getallplus"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/DSTtest"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/vcal"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/command"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/update"), Access::kAdmin);
  EXPECT_EQ(access_for("POST", "/auth"), Access::kAdmin);
  EXPECT_EQ(access_for("POST", "/graph/create"), Access::kAdmin);
  EXPECT_EQ(access_for("HEAD", "/status"), Access::kUser);
}

TEST(AccessLevel, EditNeedsAdminWithEveryMethod) {
  for (const char* m : {"GET", "POST", "PUT", "DELETE"}) EXPECT_EQ(access_for(m, "/edit"), Access::kAdmin) << m;
}

TEST(AccessLevel, OurNewEndpoints) {
  EXPECT_EQ(access_for("GET", "/config"), Access::kAdmin);
  EXPECT_EQ(access_for("POST", "/config"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/metrics"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/energy"), Access::kUser);  // reads, as /query
}

TEST(AccessLevel, StaticFiles) {
  EXPECT_EQ(access_for("GET", "/"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/index.htm"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/tables.txt"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/graph2.js"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/graphs/x.txt"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/user/notes.txt"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/vendor/uplot/uPlot.esm.js"), Access::kUser);
  EXPECT_EQ(access_for("GET", "/vendor/../config.txt"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/config.txt"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/config+1.txt"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/iotawatt/auth.txt"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/iotawatt/iotamsgs.txt"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/esp_spiffs/x.json"), Access::kAdmin);  // fix 13
}

// Issue 12: the web directory holds more than the app (README.md, package.json,
// node_modules); the user role reads only what the app's pages load.
TEST(AccessLevel, UserReadsOnlyTheAppsOwnFiles) {
  for (const char* path : {"/README.md", "/package.json", "/package-lock.json", "/notes", "/x.txt",
                           "/node_modules/uplot/package.json", "/vendor/uplot/README.md"}) {
    EXPECT_EQ(access_for("GET", path), Access::kAdmin) << path;
  }
  for (const char* path :
       {"/", "/index.html", "/app.js", "/style.css", "/favicon.ico", "/vendor/uplot/uPlot.min.css"}) {
    EXPECT_EQ(access_for("GET", path), Access::kUser) << path;
  }
}

HttpRequest Get(const std::string& path, Params params = {}) {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  r.params = std::move(params);
  return r;
}

TEST(AccessLevel, ListingNeedsWhatTheDirectoryNeeds) {
  for (const char* dir : {"/graphs", "/graphs/", "graphs", "/user/", "/user/sub"}) {
    EXPECT_EQ(access_for(Get("/list", {{"dir", dir}})), Access::kUser) << dir;
  }
  for (const char* dir :
       {"/", "", "/iotawatt", "/iotawatt/", "iotawatt", "/vendor/", "/user/../iotawatt", "/graphs/..", "/config"}) {
    EXPECT_EQ(access_for(Get("/list", {{"dir", dir}})), Access::kAdmin) << dir;
  }
  EXPECT_EQ(access_for(Get("/list")), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/list"), Access::kAdmin);  // without the query: fail closed
}

TEST(AccessLevel, DownloadYesIsAQuery) {
  EXPECT_EQ(access_for(Get("/energy.csv", {{"download", "yes"}})), Access::kUser);
  EXPECT_EQ(access_for(Get("/iotawatt/iotamsgs.txt", {{"download", "yes"}})), Access::kUser);  // a query, not the file
  EXPECT_EQ(access_for(Get("/iotawatt/iotamsgs.txt", {{"download", "true"}})), Access::kAdmin);
  EXPECT_EQ(access_for(Get("/command", {{"download", "yes"}})), Access::kAdmin);  // a route stays a route
  HttpRequest post = Get("/energy.csv", {{"download", "yes"}});
  post.method = "POST";
  EXPECT_EQ(access_for(post), Access::kAdmin);
}

TEST(AccessLevel, TraversalGetsNoShortcut) {
  EXPECT_EQ(access_for("GET", "/user/../iotawatt/auth.txt"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/graphs//etc"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "relative.txt"), Access::kAdmin);
}

TEST(AccessLevel, UnknownNonGetFailsClosed) {
  EXPECT_EQ(access_for("POST", "/status"), Access::kAdmin);
  EXPECT_EQ(access_for("POST", "/index.htm"), Access::kAdmin);
  EXPECT_EQ(access_for("PATCH", "/query"), Access::kAdmin);
}

}  // namespace
}  // namespace iw::server
