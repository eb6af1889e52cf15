#include "server/auth/digest_hash.h"

#include <gtest/gtest.h>

#include "base/strings.h"

namespace iw::server {
namespace {

TEST(DigestHash, Rfc2617Section3_5Md5) {
  const std::string ha1 = digest_ha1(DigestAlgorithm::kMd5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(ha1, "939e7578ed9e3c518a452acee763bce9");
  const std::string response = digest_response(
      DigestAlgorithm::kMd5,
      {ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", "GET", "/dir/index.html"});
  EXPECT_EQ(response, "6629fae49393a05397450978507c4ef1");
}

constexpr const char* kRfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr const char* kRfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

TEST(DigestHash, Rfc7616Section3_9_1Md5) {
  const std::string ha1 = digest_ha1(DigestAlgorithm::kMd5, "Mufasa", "http-auth@example.org", "Circle of Life");
  EXPECT_EQ(digest_response(DigestAlgorithm::kMd5,
                            {ha1, kRfc7616Nonce, "00000001", kRfc7616Cnonce, "auth", "GET", "/dir/index.html"}),
            "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(DigestHash, Rfc7616Section3_9_1Sha256) {
  const std::string ha1 = digest_ha1(DigestAlgorithm::kSha256, "Mufasa", "http-auth@example.org", "Circle of Life");
  EXPECT_EQ(ha1.size(), 64u);
  EXPECT_EQ(digest_response(DigestAlgorithm::kSha256,
                            {ha1, kRfc7616Nonce, "00000001", kRfc7616Cnonce, "auth", "GET", "/dir/index.html"}),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestHash, Rfc2069WithoutQop) {
  // RFC 2069: response = H(HA1:nonce:HA2); computed independently here.
  const std::string ha1 = hex_hash(DigestAlgorithm::kMd5, "admin:IotaWatt:pw");
  const std::string ha2 = hex_hash(DigestAlgorithm::kMd5, "GET:/status");
  EXPECT_EQ(digest_response(DigestAlgorithm::kMd5, {ha1, "abc", "", "", "", "GET", "/status"}),
            hex_hash(DigestAlgorithm::kMd5, ha1 + ":abc:" + ha2));
}

TEST(DigestHash, KnownMd5AndSha256OfEmptyString) {
  EXPECT_EQ(hex_hash(DigestAlgorithm::kMd5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_hash(DigestAlgorithm::kSha256, ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(DigestHash, RandomHexIsFreshLowercaseHex) {
  const std::string a = random_hex(16);
  const std::string b = random_hex(16);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_TRUE(is_hex(a));
  EXPECT_EQ(a.find_first_of("ABCDEF"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST(DigestHash, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_FALSE(is_hex(""));
  EXPECT_FALSE(is_hex("12g4"));
}

}  // namespace
}  // namespace iw::server
