#include "update/offer.h"

#include <gtest/gtest.h>

namespace iw::update {
namespace {

ReleaseVersion v(const char* text) { return parse_version(text).value(); }

Manifest offering(const char* version, const char* min_version = "0.0.0") {
  Manifest m;
  m.version = v(version);
  m.min_version = v(min_version);
  m.bundles = {{"arm64", "bundles/x/a.tar.gz", 10, std::string(64, 'a')},
               {"armhf", "bundles/x/b.tar.gz", 10, std::string(64, 'b')}};
  return m;
}

Installed on(const char* version, const char* arch = "armhf") { return {v(version), arch, {}, false}; }

TEST(Offer, ANewerReleaseForThisArchitectureIsInstalled) {
  const Manifest m = offering("1.5.0");
  const Offer o = decide_offer(m, on("1.4.9"));
  ASSERT_EQ(o.kind, Offer::Kind::kInstall);
  EXPECT_EQ(o.bundle, m.bundle_for("armhf"));
  EXPECT_EQ(decide_offer(offering("1.5.0"), on("1.5.0-rc.3")).kind, Offer::Kind::kInstall);
}

TEST(Offer, TheInstalledVersionIsUpToDate) {
  EXPECT_EQ(decide_offer(offering("1.5.0"), on("1.5.0")).kind, Offer::Kind::kUpToDate);
}

TEST(Offer, AnOlderReleaseIsRefusedUnlessAnAdminForcesIt) {
  const Offer o = decide_offer(offering("1.4.0"), on("1.5.0"));
  ASSERT_EQ(o.kind, Offer::Kind::kRefused);
  EXPECT_NE(o.reason.find("the server offers 1.4.0, older than the installed 1.5.0"), std::string::npos) << o.reason;
  Installed forced = on("1.5.0");
  forced.allow_downgrade = true;
  EXPECT_EQ(decide_offer(offering("1.4.0"), forced).kind, Offer::Kind::kInstall);
}

TEST(Offer, AReleaseThatFailedHereIsNotTriedAgain) {
  Installed i = on("1.4.0");
  i.bad = {v("1.5.0")};
  const Offer o = decide_offer(offering("1.5.0"), i);
  ASSERT_EQ(o.kind, Offer::Kind::kRefused);
  EXPECT_NE(o.reason.find("rolled back: not tried again"), std::string::npos) << o.reason;
  EXPECT_EQ(decide_offer(offering("1.5.1"), i).kind, Offer::Kind::kInstall);  // the fix is
}

TEST(Offer, MinVersionAndArchitectureAreHonoured) {
  Offer o = decide_offer(offering("2.0.0", "1.5.0"), on("1.4.0"));
  ASSERT_EQ(o.kind, Offer::Kind::kRefused);
  EXPECT_NE(o.reason.find("needs 1.5.0 or later installed first"), std::string::npos) << o.reason;
  EXPECT_EQ(decide_offer(offering("2.0.0", "1.5.0"), on("1.5.0")).kind, Offer::Kind::kInstall);
  o = decide_offer(offering("2.0.0"), on("1.4.0", "amd64"));
  ASSERT_EQ(o.kind, Offer::Kind::kRefused);
  EXPECT_EQ(o.reason, "2.0.0 has no bundle for amd64");
}

}  // namespace
}  // namespace iw::update
