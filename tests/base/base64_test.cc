#include "base/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace iw {
namespace {

TEST(Base64, EncodesWithPaddingInBothAlphabets) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("user:pass word"), "dXNlcjpwYXNzIHdvcmQ=");
  EXPECT_EQ(base64_encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(base64url_encode("fo"), "Zm8=");
  EXPECT_EQ(base64url_encode(std::string(1, '\0')), "AA==");
}

TEST(Base64, DecodesBothAlphabetsPaddingOptional) {
  EXPECT_EQ(base64_decode("P+/-_w==").value(), base64_decode("P+/-_w").value());
  EXPECT_EQ(base64_decode("P+/-_w").value(), "\x3f\xef\xfe\xff");
  EXPECT_EQ(base64_decode("aGk=").value(), "hi");
  EXPECT_EQ(base64_decode("aG\nk=").value(), "hi");
  EXPECT_EQ(base64_decode(" aGk \r\n").value(), "hi");
  EXPECT_EQ(base64_decode("Zg").value(), "f");
  EXPECT_EQ(base64_decode("Zg====").value(), "f");
  EXPECT_EQ(base64_decode("").value(), "");
  EXPECT_EQ(base64_decode("AA==").value(), std::string(1, '\0'));
}

TEST(Base64, RefusesWhatIsNotBase64) {
  EXPECT_FALSE(base64_decode("a").ok());      // one stray character
  EXPECT_FALSE(base64_decode("Zm9va").ok());  // 4n+1
  EXPECT_FALSE(base64_decode("aG=k").ok());   // data after the padding
  EXPECT_FALSE(base64_decode("not base64 !!").ok());
  EXPECT_FALSE(base64_decode("Zm9v\x80").ok());
}

TEST(Base64, RoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)).value(), bytes) << n;
    EXPECT_EQ(base64_decode(base64url_encode(bytes)).value(), bytes) << n;
    bytes += static_cast<char>(n * 37 + 200);
  }
}

}  // namespace
}  // namespace iw
