#include "base/strings.h"

#include <gtest/gtest.h>

#include <string>

namespace iw {
namespace {

TEST(Strings, DigitsAndHexDigits) {
  EXPECT_TRUE(is_digit('0'));
  EXPECT_TRUE(is_digit('9'));
  EXPECT_FALSE(is_digit('a'));
  EXPECT_FALSE(is_digit('\xb2'));  // superscript two in Latin-1: never a digit here
  EXPECT_EQ(hex_value('0'), 0);
  EXPECT_EQ(hex_value('a'), 10);
  EXPECT_EQ(hex_value('F'), 15);
  EXPECT_EQ(hex_value('g'), -1);
  EXPECT_EQ(hex_value('\xff'), -1);
  EXPECT_TRUE(is_hex_digit('c'));
  EXPECT_FALSE(is_hex_digit(' '));
}

TEST(Strings, WholeStringClassesRefuseTheEmptyString) {
  EXPECT_TRUE(is_digits("0123"));
  EXPECT_FALSE(is_digits(""));
  EXPECT_FALSE(is_digits("12a"));
  EXPECT_TRUE(is_hex("09afAF"));
  EXPECT_FALSE(is_hex(""));
  EXPECT_FALSE(is_hex("12g4"));
  EXPECT_TRUE(is_lower_hex("09af"));
  EXPECT_FALSE(is_lower_hex("09aF"));
  EXPECT_FALSE(is_lower_hex(""));
}

TEST(Strings, HexEncodeIsLowerCaseHighNibbleFirst) {
  EXPECT_EQ(hex_encode(""), "");
  EXPECT_EQ(hex_encode(std::string("\x01\xab\x00\xff", 4)), "01ab00ff");
}

TEST(Strings, LowerTouchesOnlyAsciiLetters) {
  EXPECT_EQ(lower("Digest REALM=x"), "digest realm=x");
  EXPECT_EQ(lower("\xc3\x9c-1_Z"), "\xc3\x9c-1_z");  // UTF-8 bytes are left alone
  EXPECT_EQ(upper("b8:27:eb:0a-z"), "B8:27:EB:0A-Z");
  EXPECT_TRUE(equals_ignore_case("Content-Type", "content-TYPE"));
  EXPECT_FALSE(equals_ignore_case("Content-Type", "Content-Typ"));
  EXPECT_FALSE(equals_ignore_case("a", "b"));
  EXPECT_TRUE(equals_ignore_case("", ""));
}

TEST(Strings, PercentDecodeKeepsMalformedEscapes) {
  EXPECT_EQ(percent_decode("%5Ba%5d+%2"), "[a]+%2");
  EXPECT_EQ(percent_decode("%zz%"), "%zz%");
  EXPECT_EQ(percent_decode("%41%4"), "A%4");
  EXPECT_EQ(percent_decode("%00"), std::string(1, '\0'));
  EXPECT_EQ(percent_decode(""), "");
}

TEST(Strings, FormDecodeAlsoTurnsPlusIntoSpace) {
  EXPECT_EQ(form_decode("a+b%2Bc"), "a b+c");
  EXPECT_EQ(form_decode("%E2%82%AC"), "\xe2\x82\xac");
  EXPECT_EQ(form_decode("100%"), "100%");
}

// Past January 2038 too: on Debian 12's armhf time_t has 32 bits, and gmtime_r of a
// truncated time_t printed 1901 for these.
TEST(Strings, UtcTextCoversEveryInt64YearNotJustTimeT) {
  EXPECT_EQ(utc_text(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(utc_text(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(utc_text(1709210096, ' '), "2024-02-29 12:34:56Z");
  EXPECT_EQ(utc_text(int64_t{2147483647} + 1), "2038-01-19T03:14:08Z");
  EXPECT_EQ(utc_text(4294967295), "2106-02-07T06:28:15Z");  // the original's uint32 log times end here
  EXPECT_EQ(utc_text(4102444800), "2100-01-01T00:00:00Z");
}

}  // namespace
}  // namespace iw
