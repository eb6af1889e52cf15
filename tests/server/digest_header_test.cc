#include "server/auth/digest_header.h"

#include <gtest/gtest.h>

namespace iw::server {
namespace {

TEST(DigestHeader, ParsesHttpxHeader) {
  const auto p = parse_digest_authorization(
      "Digest username=\"admin\", realm=\"IotaWatt\", nonce=\"0123456789abcdef0123456789abcdef\", "
      "uri=\"/status?wifi=yes\", response=\"6ebf\", algorithm=MD5, qop=auth, nc=00000001, "
      "cnonce=\"4731b0af3aa412e2\"");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->at("username"), "admin");
  EXPECT_EQ(p->at("uri"), "/status?wifi=yes");
  EXPECT_EQ(p->at("algorithm"), "MD5");
  EXPECT_EQ(p->at("qop"), "auth");
  EXPECT_EQ(p->at("nc"), "00000001");
  EXPECT_EQ(p->size(), 9u);
}

TEST(DigestHeader, CommasAndEscapesInsideQuotesAnyOrderAnyCase) {
  const auto p = parse_digest_authorization(
      "digest URI=\"/query?select=[a.watts,b.volts]\",realm=\"a \\\"q\\\" b\" ,  x-unknown=1,,username=u");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->at("uri"), "/query?select=[a.watts,b.volts]");
  EXPECT_EQ(p->at("realm"), "a \"q\" b");
  EXPECT_EQ(p->at("username"), "u");
  EXPECT_EQ(p->at("x-unknown"), "1");
}

TEST(DigestHeader, EmptyQuotedValueIsAllowed) {
  const auto p = parse_digest_authorization("Digest username=\"\"");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->at("username"), "");
}

TEST(DigestHeader, Errors) {
  EXPECT_FALSE(parse_digest_authorization("Basic YWRtaW46cHc=").ok());
  EXPECT_FALSE(parse_digest_authorization("Digest").ok());
  EXPECT_FALSE(parse_digest_authorization("Digest username").ok());
  EXPECT_FALSE(parse_digest_authorization("Digest username=\"abc").ok());
  EXPECT_FALSE(parse_digest_authorization("Digest a=1 b=2").ok());
  EXPECT_FALSE(parse_digest_authorization("Digest a=1, a=2").ok());
  EXPECT_FALSE(parse_digest_authorization("Digest " + std::string(5000, 'a')).ok());
}

// A long request-target must still log in: the uri has its own cap, as long as a request head.
TEST(DigestHeader, UriHasItsOwnCap) {
  const std::string rest = "Digest username=\"admin\", realm=\"IotaWatt\", response=\"6ebf\", uri=";
  const std::string uri(kMaxDigestUriSize, 'u');
  EXPECT_TRUE(parse_digest_authorization(rest + "\"" + uri + "\"").ok());
  EXPECT_FALSE(parse_digest_authorization(rest + "\"" + uri + "u\"").ok());
  const std::string padding = ", cnonce=\"" + std::string(kMaxDigestParamsSize, 'c') + "\"";
  EXPECT_FALSE(parse_digest_authorization(rest + "\"/status\"" + padding).ok());
  EXPECT_FALSE(parse_digest_authorization(rest + "\"" + uri + "\"" + padding).ok());
}

}  // namespace
}  // namespace iw::server
