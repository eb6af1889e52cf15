#include "server/auth/digest_nonce.h"

#include <gtest/gtest.h>

#include <set>

namespace iw::server {
namespace {

TEST(NonceIssuer, IssuedNoncesOpenToTheirIssueTime) {
  const NonceIssuer issuer;
  ASSERT_TRUE(issuer.ready());
  const std::string nonce = issuer.issue(0x12345678);
  ASSERT_EQ(nonce.size(), kNonceSize);
  EXPECT_EQ(nonce.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(nonce.substr(0, 8), "12345678");
  EXPECT_EQ(issuer.open(nonce), 0x12345678u);
}

TEST(NonceIssuer, SameSecondGivesDifferentNonces) {
  const NonceIssuer issuer;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(issuer.issue(7));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(NonceIssuer, ForgedNoncesDoNotOpen) {
  const NonceIssuer issuer("fixed test key");
  const std::string nonce = issuer.issue(100);
  EXPECT_EQ(NonceIssuer("fixed test key").open(nonce), 100u);  // the key is all that matters
  EXPECT_FALSE(NonceIssuer("another key").open(nonce));
  for (size_t i = 0; i < nonce.size(); ++i) {
    std::string changed = nonce;
    changed[i] = changed[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(issuer.open(changed)) << i;  // time, salt or MAC
  }
  std::string upper = nonce;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(upper == nonce || !issuer.open(upper));
  EXPECT_FALSE(issuer.open(""));
  EXPECT_FALSE(issuer.open(nonce.substr(0, 32)));
  EXPECT_FALSE(issuer.open(nonce + "0"));
  EXPECT_FALSE(issuer.open(std::string(kNonceSize, '0')));
}

}  // namespace
}  // namespace iw::server
