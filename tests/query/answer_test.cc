// answer_query end to end: request, time specifiers, local-calendar grouping in real IANA zones
// (DST changes, half-hour offsets) and rendering, on records with known energy.
#include "query/query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "query/query_testing.h"
#include "query/zone_testing.h"

namespace iw::query {
namespace {

using nlohmann::json;
using testing::MapSource;
using testing::RecordBuilder;

// A minute log of a steady 1000 W on "Main" from `begin` to `end` (UTC).
std::vector<datalog::Record> steady_minutes(int64_t begin, int64_t end) {
  RecordBuilder b(begin, 60);
  b.run(end, testing::Rates{});
  return b.records();
}

struct Answer {
  int status = 0;
  std::string body;
};

Answer ask(const std::string& query, const TimeZone& zone, const RecordSource& records, int64_t now = 0) {
  const config::Config config = testing::TestConfig();
  const SeriesCatalog catalog = SeriesCatalog::FromConfig(config);
  QueryEnvironment env{&catalog, &zone, &records, now};
  const QueryAnswer a = answer_query(parse_query_string(query), env);
  Answer out{a.status, a.body};
  if (a.stream) {
    EXPECT_TRUE(a.stream([&](std::string_view piece) {
                   out.body += piece;
                   return true;
                 }).ok());
  }
  return out;
}

json rows(const Answer& a) {
  EXPECT_EQ(a.status, 200) << a.body;
  return json::parse(a.body);
}

TEST(Answer, SpringForwardDayHas23HourlyRowsOfAFullHourEach) {
  auto berlin = testing::zone("Europe/Berlin");
  const MapSource records(steady_minutes(testing::utc(2026, 3, 28), testing::utc(2026, 3, 31)));
  const json r = rows(ask("select=[time.iso,Main.wh]&begin=2026-03-29&end=2026-03-30&group=h", *berlin, records));
  ASSERT_EQ(r.size(), 23u) << r.dump();
  EXPECT_EQ(r[0][0], "2026-03-29T00:00:00");
  EXPECT_EQ(r[1][0], "2026-03-29T01:00:00");
  EXPECT_EQ(r[2][0], "2026-03-29T03:00:00");  // 02:00 does not exist
  for (const auto& row : r) EXPECT_EQ(row[1], 1000) << row.dump();
  const json days = rows(ask("select=[time.iso,Main.wh]&begin=2026-03-28&end=2026-03-31&group=d", *berlin, records));
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[1], json::parse(R"(["2026-03-29T00:00:00",23000])"));
}

TEST(Answer, FallBackDayHas25HourlyRowsAndTheRepeatedHourTwice) {
  auto berlin = testing::zone("Europe/Berlin");
  const MapSource records(steady_minutes(testing::utc(2026, 10, 24), testing::utc(2026, 10, 27)));
  const json r = rows(ask("select=[time.iso,Main.wh]&begin=2026-10-25&end=2026-10-26&group=h", *berlin, records));
  ASSERT_EQ(r.size(), 25u) << r.dump();
  EXPECT_EQ(r[2][0], "2026-10-25T02:00:00");
  EXPECT_EQ(r[3][0], "2026-10-25T02:00:00");
  for (const auto& row : r) EXPECT_EQ(row[1], 1000) << row.dump();
  const json day = rows(ask("select=[Main.wh]&begin=2026-10-25&end=2026-10-26&group=d", *berlin, records));
  EXPECT_EQ(day, json::parse("[[25000]]"));
}

TEST(Answer, HalfHourZonesGroupOnLocalHours) {
  auto kolkata = testing::zone("Asia/Kolkata");  // +5:30
  const MapSource records(steady_minutes(testing::utc(2026, 6, 1), testing::utc(2026, 6, 2)));
  const json r =
      rows(ask("select=[time.iso,time.utc.unix,Main.watts]&begin=2026-06-01T08:00&end=2026-06-01T11:00&group=h",
               *kolkata, records));
  ASSERT_EQ(r.size(), 3u) << r.dump();
  EXPECT_EQ(r[0][0], "2026-06-01T08:00:00");
  EXPECT_EQ(r[0][1], testing::utc(2026, 6, 1, 2, 30));  // local 08:00 is 02:30 UTC
  EXPECT_EQ(r[1][0], "2026-06-01T09:00:00");
  EXPECT_EQ(r[2][2], 1000);
  // St. John's (-3:30, DST -2:30): the day of the spring change is 23 h long.
  auto st_johns = testing::zone("America/St_Johns");
  const MapSource march(steady_minutes(testing::utc(2026, 3, 7), testing::utc(2026, 3, 11)));
  const json days = rows(ask("select=[time.iso,Main.wh]&begin=2026-03-08&end=2026-03-10&group=d", *st_johns, march));
  EXPECT_EQ(days, json::parse(R"([["2026-03-08T00:00:00",23000],["2026-03-09T00:00:00",24000]])"));
}

TEST(Answer, RelativeTimesCountFromNowInLocalTime) {
  auto new_york = testing::zone("America/New_York");
  const MapSource records(steady_minutes(testing::utc(2026, 7, 1), testing::utc(2026, 7, 3)));
  const int64_t now = testing::utc(2026, 7, 2, 15, 17, 42);  // 11:17:42 EDT
  const json r = rows(ask("select=[time.iso,Main.wh]&begin=d-1d&end=d&group=all&header=yes", *new_york, records, now));
  EXPECT_EQ(r["range"], json::array({testing::utc(2026, 7, 1, 4), testing::utc(2026, 7, 2, 4)}));
  EXPECT_EQ(r["data"], json::parse(R"([["2026-07-01T00:00:00",24000]])"));
  // Minute records: the last 2 minutes span two of them (30 s would fall between two).
  const json last = rows(ask("select=[Main.watts]&begin=s-2m&end=s&group=all", *new_york, records, now));
  EXPECT_EQ(last, json::parse("[[1000]]"));
}

TEST(Answer, MalformedQueriesAreThe400sOfTheOriginal) {
  auto utc = testing::zone("UTC");
  const MapSource records(steady_minutes(testing::utc(2026, 1, 1), testing::utc(2026, 1, 2)));
  const struct {
    const char* query;
    const char* reason;
  } cases[] = {
      {"show=everything", "unspecified"},
      {"", "select not an array []"},
      {"select=[Main]&end=s", "Missing begin, end or group."},
      {"select=[Main]&begin=d&end=s&group=5x", "Invalid group"},
      {"select=Main&begin=d&end=s", "select not an array []"},
      {"select=[Mian]&begin=d&end=s", "Invalid series: Mian"},
      {"select=[Main]&begin=d&end=s&format=xml", "Invalid format"},
      {"select=[Main]&begin=d&end=s&limit=0", "Invalid limit"},
  };
  for (const auto& c : cases) {
    const Answer a = ask(c.query, *utc, records, testing::utc(2026, 1, 1, 12));
    EXPECT_EQ(a.status, 400) << c.query;
    EXPECT_EQ(a.body, json({{"error", std::string("invalid query. ") + c.reason}}).dump()) << c.query;
  }
  const Answer backwards =
      ask("select=[Main]&begin=2026-01-02&end=2026-01-01", *utc, records, testing::utc(2026, 1, 3));
  EXPECT_EQ(backwards.status, 400);
  EXPECT_NE(backwards.body.find("unspecified"), std::string::npos) << backwards.body;
  // Bytes that are not UTF-8 are quoted as U+FFFD, never thrown at the server.
  const Answer binary = ask("select=[Main.w%FF%FEatts]&begin=d&end=s", *utc, records, testing::utc(2026, 1, 3));
  EXPECT_EQ(binary.status, 400);
  EXPECT_EQ(json::parse(binary.body)["error"],
            "invalid query. Invalid series method: w"
            "\xEF\xBF\xBD"
            "\xEF\xBF\xBD"
            "atts");
  const Answer bad_time = ask("select=[Main]&begin=yesterday&end=s", *utc, records, testing::utc(2026, 1, 3));
  EXPECT_EQ(bad_time.status, 400);
  EXPECT_NE(bad_time.body.find("begin: "), std::string::npos) << bad_time.body;
}

TEST(Answer, AReceiverThatGoesAwayStopsALongQuery) {
  auto utc = testing::zone("UTC");
  const MapSource records(steady_minutes(testing::utc(2026, 1, 1), testing::utc(2026, 1, 8)));
  const config::Config config = testing::TestConfig();
  const SeriesCatalog catalog = SeriesCatalog::FromConfig(config);
  const QueryEnvironment env{&catalog, utc.get(), &records, testing::utc(2026, 1, 8)};
  // A week of 5 s rows, 120 960 groups, without a limit.
  const QueryAnswer a =
      answer_query(parse_query_string("select=[Main.watts]&begin=2026-01-01&end=2026-01-08&group=5s&limit=none"), env);
  ASSERT_TRUE(a.stream);
  int pieces = 0;
  const Status st = a.stream([&](std::string_view) { return ++pieces < 3; });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(pieces, 3);
  EXPECT_LT(records.reads(), 1000);
}

TEST(ParseQueryString, DecodesLikeAForm) {
  const QueryArgs args = parse_query_string("select=%5Btime.iso%2CMain%5D&begin=s-30s&x=a+b&flag&bad=%zz&=v");
  ASSERT_EQ(args.size(), 6u);
  EXPECT_EQ(args[0], (std::pair<std::string, std::string>{"select", "[time.iso,Main]"}));
  EXPECT_EQ(args[2].second, "a b");
  EXPECT_EQ(args[3], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(args[4].second, "%zz");
  EXPECT_EQ(args[5].first, "");
}

}  // namespace
}  // namespace iw::query
