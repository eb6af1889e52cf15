#include "update/version.h"

#include <gtest/gtest.h>

namespace iw::update {
namespace {

ReleaseVersion v(const char* text) {
  auto r = parse_version(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error());
  return r.ok() ? r.value() : ReleaseVersion{};
}

TEST(ReleaseVersion, ReadsAndWritesSemanticVersions) {
  EXPECT_EQ(v("1.4.0").to_string(), "1.4.0");
  EXPECT_EQ(v("0.0.0").to_string(), "0.0.0");
  EXPECT_EQ(v("10.20.30-beta.2").to_string(), "10.20.30-beta.2");
  EXPECT_EQ(v("1.0.0-x-y.0").pre_release, (std::vector<std::string>{"x-y", "0"}));
  EXPECT_EQ(v("999999999.0.1").major, 999999999u);
}

TEST(ReleaseVersion, RefusesWhatIsNotOneNamingWhy) {
  for (const char* bad : {"", "1.4", "1.4.0.1", "01.2.3", "1.02.3", "1.2.x", "v1.2.3", " 1.2.3", "1.2.3 ", "-1.2.3",
                          "1.2.3-", "1.2.3-beta..1", "1.2.3-01", "1.2.3-bé", "1000000000.0.0", "1.2.3+build.5"}) {
    auto r = parse_version(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().find("version '"), std::string::npos) << r.error();
  }
  EXPECT_NE(parse_version("1.2.3+b").error().find("build metadata"), std::string::npos);
  EXPECT_NE(parse_version(std::string(65, '1')).error().find("longer than 64"), std::string::npos);
}

// Semantic Versioning 2.0's own example of precedence, and numbers compared as numbers.
TEST(ReleaseVersion, OrdersAsSemanticVersioningSays) {
  const char* ascending[] = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                             "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0",
                             "1.0.1",        "1.9.0",         "1.10.0",           "2.0.0"};
  for (size_t i = 0; i + 1 < std::size(ascending); ++i) {
    EXPECT_LT(v(ascending[i]), v(ascending[i + 1])) << ascending[i] << " < " << ascending[i + 1];
    EXPECT_GT(v(ascending[i + 1]), v(ascending[i]));
  }
  EXPECT_EQ(v("1.2.3-rc.1") <=> v("1.2.3-rc.1"), std::strong_ordering::equal);
}

}  // namespace
}  // namespace iw::update
