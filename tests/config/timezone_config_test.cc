// "timezone": the original's hours, or our IANA zone name.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {
namespace {

Result<Config> parse(const std::string& timezone_json, std::vector<std::string>* notes = nullptr,
                     const std::string& more = "") {
  return parse_config(R"({"device":{"channels":1},"inputs":[null],"timezone":)" + timezone_json + more + "}",
                      ModelCatalog::builtin(), notes);
}

TEST(TimezoneConfig, AnIanaNameIsOurForm) {
  const Result<Config> c = parse(R"("America/St_Johns")");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->timezone_name, "America/St_Johns");
  EXPECT_EQ(c->timezone, 0);
  EXPECT_EQ(parse(R"("UTC")")->timezone_name, "UTC");
  EXPECT_EQ(parse(R"("Etc/GMT+5")")->timezone_name, "Etc/GMT+5");
}

TEST(TimezoneConfig, HoursStayTheOriginalFormAlsoAsText) {
  for (const char* hours : {"-5", R"("-5")", R"(" 5.5 ")"}) {
    const Result<Config> c = parse(hours);
    ASSERT_TRUE(c.ok()) << hours << ": " << c.error();
    EXPECT_TRUE(c->timezone_name.empty()) << hours;
    EXPECT_EQ(std::abs(c->timezone), hours[0] == '-' || hours[1] == '-' ? 5 : 5.5) << hours;
  }
  EXPECT_EQ(parse(R"("15")").error(), "timezone: 15 is more than 14 (hours)");
}

TEST(TimezoneConfig, AnUnknownNameIsAnErrorThatSaysWhatIsAccepted) {
  EXPECT_EQ(parse(R"("Europe/Berln")").error(),
            "timezone: unknown time zone \"Europe/Berln\" (use an IANA name such as \"Europe/Berlin\", "
            "or hours such as -5)");
  for (const char* bad : {R"("")", R"("../../../etc/passwd")", R"("/usr/share/zoneinfo/UTC")", R"("CEST")",
                          R"("Europe/Berlin ")", R"("nan")", R"("Europe/..")"}) {
    const Result<Config> c = parse(bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.error().rfind("timezone: unknown time zone", 0), 0u) << c.error();
  }
  EXPECT_EQ(parse("true").error(), "timezone: true is not a number");
}

TEST(TimezoneConfig, TheNameRoundTrips) {
  const Result<Config> c = parse(R"("Asia/Kathmandu")");
  ASSERT_TRUE(c.ok()) << c.error();
  const nlohmann::json j = serialize(c.value());
  EXPECT_EQ(j.at("timezone"), "Asia/Kathmandu");
  const Result<Config> again = parse_config(serialize_text(c.value()), ModelCatalog::builtin());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(again.value() == c.value());

  const Result<Config> hours = parse("-3.5");
  ASSERT_TRUE(hours.ok()) << hours.error();
  EXPECT_EQ(serialize(hours.value()).at("timezone"), -3.5);
  EXPECT_TRUE(parse_config(serialize(hours.value()), ModelCatalog::builtin()).value() == hours.value());
}

TEST(TimezoneConfig, ADstRuleBesideANameIsKeptAndNoted) {
  std::vector<std::string> notes;
  const Result<Config> c = parse(R"("America/New_York")", &notes,
                                 R"(,"dstrule":{"adj":60,"utc":false,
      "begin":{"month":3,"weekday":1,"instance":2,"time":120},
      "end":{"month":11,"weekday":1,"instance":1,"time":120}})");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_TRUE(c->dst.has_value());
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
    return n == "dstrule: kept but not used: time zone \"America/New_York\" has its own DST rules";
  }));
  const Result<Config> again = parse_config(serialize(c.value()), ModelCatalog::builtin());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(again.value() == c.value());
}

TEST(TimezoneConfig, KnownTimeZone) {
  EXPECT_TRUE(known_time_zone("Europe/Berlin"));
  EXPECT_TRUE(known_time_zone("Australia/Lord_Howe"));
  EXPECT_FALSE(known_time_zone("Europe/Berln"));
  EXPECT_FALSE(known_time_zone("Europe"));  // a folder of the tz database, not a zone
  EXPECT_FALSE(known_time_zone("../zoneinfo/UTC"));
  EXPECT_FALSE(known_time_zone(std::string("UTC\0x", 5)));
}

}  // namespace
}  // namespace iw::config
