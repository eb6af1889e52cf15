#include "base/json_read.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace iw {
namespace {

// `depth` objects nested inside each other: {"a":{"a":...{"a":1}...}}.
std::string nested_objects(size_t depth) {
  std::string text;
  for (size_t i = 0; i < depth; ++i) text += "{\"a\":";
  text += "1";
  text.append(depth, '}');
  return text;
}

std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(ReadJson, BuildsTheSameValueAsNlohmann) {
  const std::string text = R"({"name":"Main","n":-3,"big":18446744073709551615,"x":0.25,"on":true,"off":null,)"
                           R"("list":[1,[2,{"b":"c"}],[]],"empty":{},"same":1,"same":2})";
  const JsonRead r = read_json(text);
  ASSERT_TRUE(r.ok()) << r.error->message();
  EXPECT_EQ(r.value, nlohmann::json::parse(text));
  EXPECT_EQ(r.value["same"], 2);  // a repeated key keeps the last value, as nlohmann does
  EXPECT_TRUE(r.value["big"].is_number_unsigned());
}

TEST(ReadJson, ReadsScalarsAtTheTop) {
  EXPECT_EQ(read_json("42").value, 42);
  EXPECT_EQ(read_json(" \"text\" ").value, "text");
  EXPECT_TRUE(read_json("null").ok());
}

TEST(ReadJson, AcceptsTheLimitAndRefusesOneLevelMore) {
  const JsonRead at_limit = read_json(nested_objects(kMaxJsonDepth));
  ASSERT_TRUE(at_limit.ok()) << at_limit.error->message();
  const nlohmann::json* v = &at_limit.value;
  for (size_t i = 0; i < kMaxJsonDepth; ++i) v = &(*v)["a"];
  EXPECT_EQ(*v, 1);

  const JsonRead deeper = read_json(nested_objects(kMaxJsonDepth + 1));
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.error->kind, JsonError::Kind::kTooDeep);
  EXPECT_TRUE(deeper.value.is_null());
  // The 65th "{" is byte 5 * 64 + 1.
  EXPECT_EQ(deeper.error->byte, 321u);
  EXPECT_EQ(deeper.error->message(), "nesting deeper than 64 levels at byte 321");
}

TEST(ReadJson, CountsArraysAndObjectsAlike) {
  EXPECT_TRUE(read_json(nested_arrays(64)).ok());
  const JsonRead r = read_json(nested_arrays(65));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->byte, 65u);
  EXPECT_EQ(read_json("[" + nested_objects(63) + "]").ok(), true);
  EXPECT_EQ(read_json("[" + nested_objects(64) + "]").ok(), false);
}

TEST(ReadJson, DepthIsNestingNotCount) {
  // Many containers side by side are fine: only nesting counts.
  std::string wide = "[";
  for (int i = 0; i < 10000; ++i) wide += std::string(i ? "," : "") + nested_arrays(60);
  wide += "]";
  const JsonRead r = read_json(wide);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.size(), 10000u);
}

TEST(ReadJson, RefusesAHundredThousandLevelsWithoutBuildingThem) {
  // 600 KB of {"a": that is never closed: the attack of issue 12. It used to build the value
  // and overflow the stack in its copy; now it stops at the 65th level.
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "{\"a\":";
  const JsonRead r = read_json(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, JsonError::Kind::kTooDeep);
  EXPECT_EQ(r.error->byte, 321u);
}

TEST(ReadJson, ALimitCanBeSmaller) {
  JsonLimits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(read_json(R"({"a":[1]})", limits).ok());
  const JsonRead r = read_json(R"({"a":[{}]})", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->message(), "nesting deeper than 2 levels at byte 7");
}

TEST(ReadJson, ReportsSyntaxErrorsWithTheirByte) {
  const JsonRead r = read_json("{\"a\":1,}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, JsonError::Kind::kSyntax);
  EXPECT_EQ(r.error->byte, 8u);
  EXPECT_EQ(r.error->detail, "syntax error while parsing object key - unexpected '}'; expected string literal");

  EXPECT_FALSE(read_json("").ok());
  EXPECT_FALSE(read_json("{} x").ok());      // trailing bytes
  EXPECT_FALSE(read_json("\"\xff\"").ok());  // not UTF-8
}

TEST(ReadJson, ReportsANumberBeyondADouble) {
  const JsonRead r = read_json("[2e308]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->kind, JsonError::Kind::kNumberTooLarge);
  EXPECT_EQ(r.error->detail, "number overflow parsing '2e308'");
}

TEST(ReadJson, CommentsOnlyWhenAllowed) {
  const std::string text = "// a config\n{\"a\": /* one */ 1}";
  EXPECT_FALSE(read_json(text).ok());
  JsonLimits limits;
  limits.allow_comments = true;
  const JsonRead r = read_json(text, limits);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value["a"], 1);
}

TEST(ReadJson, AnErrorAtTheEndPointsJustPastIt) {
  JsonLimits limits;
  limits.allow_comments = true;
  EXPECT_EQ(read_json("[1", limits).error->byte, 3u);
  // nlohmann alone says byte 11 here.
  EXPECT_EQ(read_json("[//{\"a\":]", limits).error->byte, 10u);
}

TEST(ReadJson, AnEmbeddedNulIsNotTheEnd) {
  // nlohmann alone stops at a NUL and ignores the rest.
  const std::string text("{\"a\":1}\0{", 9);
  const JsonRead r = read_json(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->message(), "unexpected NUL byte at byte 8");
}

TEST(JsonInteger, ReadsIntegersWithinTheirLimits) {
  EXPECT_EQ(json_integer(nlohmann::json::parse("0"), 0, 10), 0);
  EXPECT_EQ(json_integer(nlohmann::json::parse("10"), 0, 10), 10);
  EXPECT_EQ(json_integer(nlohmann::json::parse("-5"), -5, 5), -5);
  EXPECT_EQ(json_integer(nlohmann::json::parse("9223372036854775807"), 0, INT64_MAX), INT64_MAX);
  EXPECT_EQ(json_integer(nlohmann::json::parse("-9223372036854775808"), INT64_MIN, 0), INT64_MIN);
}

TEST(JsonInteger, RefusesWhatIsNotAnIntegerInRange) {
  for (const char* text : {"11", "-1", "1.0", "0.5", "1e3", "1e300", "\"1\"", "true", "null", "[1]", "{}",
                           "9223372036854775808", "18446744073709551615", "1796614251444444444444444"}) {
    const JsonRead r = read_json(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(json_integer(r.value, 0, 10), std::nullopt) << text;
  }
  // An integer that an `int` would wrap to a small channel number.
  EXPECT_EQ(json_integer(nlohmann::json::parse("4294967297"), 0, 255), std::nullopt);
}

}  // namespace
}  // namespace iw
