#include "server/access_level.h"

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
  for (const char* m : {"GET", "POST", "PUT", "DELETE"})
    EXPECT_EQ(access_for(m, "/edit"), Access::kAdmin) << m;
}

TEST(AccessLevel, OurNewEndpoints) {
  EXPECT_EQ(access_for("GET", "/config"), Access::kAdmin);
  EXPECT_EQ(access_for("POST", "/config"), Access::kAdmin);
  EXPECT_EQ(access_for("GET", "/metrics"), Access::kUser);
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
