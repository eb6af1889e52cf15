// "<series>.standby" through answer_query: the lowest 10-minute average of the day before each
// row, on minute records integrated from known rates (query_testing.h).
#include "query/standby_series.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "query/query.h"
#include "query/query_testing.h"
#include "query/zone_testing.h"

namespace iw::query {
namespace {

using nlohmann::json;
using testing::kT0;
using testing::MapSource;
using testing::Rates;
using testing::RecordBuilder;

// Main and Total at `main` W and `total` W; Solar producing `solar` W (negative) or drawing.
Rates at(double main, double solar = -500, double total = 333) {
  Rates r;
  r.main.watts = main;
  r.solar.watts = solar;
  r.total.watts = total;
  return r;
}

class Standby : public ::testing::Test {
 protected:
  json ask(const std::string& query, const std::vector<datalog::Record>& records, int* status = nullptr) {
    const MapSource source(records);
    SeriesCatalog catalog = SeriesCatalog::FromConfig(testing::TestConfig());
    add_standby(catalog, &source);
    const auto utc = testing::zone("UTC");
    const QueryEnvironment env{&catalog, utc.get(), &source, 0};
    const QueryAnswer a = answer_query(parse_query_string(query), env);
    if (status != nullptr) *status = a.status;
    const std::string body = testing::body_of(a);
    if (a.status != 200) return json(body);
    return json::parse(body);
  }
  static std::string day(int d) { return std::to_string(kT0 + d * 86400); }
};

// A fridge circuit: 80 W of electronics always, its compressor (+120 W) on 20 min of every hour,
// a 2 kW kettle for 4 minutes twice a day. Its baseline is 80 W, not the day's mean (~125 W).
TEST_F(Standby, ACircuitsBaselineIsItsLowestTenMinuteAverage) {
  RecordBuilder b(kT0, 60);
  for (int64_t h = 0; h < 48; ++h) {
    const int64_t t = kT0 + h * 3600;
    b.run(t + 1200, at(200));
    if (h % 12 == 7) {
      b.run(t + 1440, at(80));
      b.run(t + 1680, at(2080));
    }
    b.run(t + 3600, at(80));
  }
  const json r = ask("select=[Main.watts,Main.standby]&begin=" + day(1) + "&end=" + day(2) + "&group=6h", b.records());
  ASSERT_EQ(r.size(), 4u) << r;
  for (const json& row : r) {
    EXPECT_NEAR(row[1].get<double>(), 80, 0.05) << r;
    EXPECT_GT(row[0].get<double>(), 110) << r;
  }
}

// A dip shorter than a window lowers its window's average only in part.
TEST_F(Standby, ADipShorterThanAWindowIsNotTheBaseline) {
  RecordBuilder b(kT0, 60);
  b.run(kT0 + 43200, at(300));
  b.run(kT0 + 43200 + 300, at(0));  // 5 minutes at 0 W, inside the window from 12:00
  b.run(kT0 + 86400, at(300));
  const json r = ask("select=[Main.standby]&begin=" + day(0) + "&end=" + day(1) + "&group=all", b.records());
  EXPECT_NEAR(r[0][0].get<double>(), 150, 0.05) << r;
}

// The baseline follows the 24 hours before each row: a router taken out at noon (200 -> 50 W)
// shows from the first row whose day holds a window after noon.
TEST_F(Standby, EachRowReadsTheDayBeforeItsEnd) {
  RecordBuilder b(kT0, 60);
  b.run(kT0 + 86400 + 43200, at(200));
  b.run(kT0 + 3 * 86400, at(50));
  const json r = ask("select=[Main.standby]&begin=" + day(1) + "&end=" + day(2) + "&group=6h", b.records());
  ASSERT_EQ(r.size(), 4u) << r;
  EXPECT_NEAR(r[0][0].get<double>(), 200, 0.05);
  EXPECT_NEAR(r[1][0].get<double>(), 200, 0.05);  // ends at 12:00: no window after noon yet
  EXPECT_NEAR(r[2][0].get<double>(), 50, 0.05);
  EXPECT_NEAR(r[3][0].get<double>(), 50, 0.05);
}

// Windows cut by an outage, and windows of export or production, are no evidence.
TEST_F(Standby, UnmonitoredAndNegativeWindowsAreSkipped) {
  RecordBuilder b(kT0, 60);
  b.run(kT0 + 6 * 3600, at(120, 4));       // night: the inverter draws 4 W
  b.run(kT0 + 18 * 3600, at(400, -2500));  // day: producing
  b.outage(kT0 + 18 * 3600 + 600);         // 10 minutes without power: not a 0 W baseline
  b.run(kT0 + 86400, at(120, 4));
  const json r =
      ask("select=[Main.standby,Solar.standby]&begin=" + day(0) + "&end=" + day(1) + "&group=all", b.records());
  EXPECT_NEAR(r[0][0].get<double>(), 120, 0.05) << r;
  EXPECT_NEAR(r[0][1].get<double>(), 4, 0.05) << r;

  // A day with no monitored window has no baseline.
  RecordBuilder gap(kT0, 60);
  gap.run(kT0 + 300, at(120));
  gap.outage(kT0 + 3 * 86400);
  gap.run(kT0 + 3 * 86400 + 300, at(120));
  const json none = ask("select=[Main.standby]&begin=" + day(1) + "&end=" + day(2) + "&group=all", gap.records());
  EXPECT_TRUE(none[0][0].is_null()) << none;
}

TEST_F(Standby, ListedWithDerivedForCtsOnlyInWatts) {
  RecordBuilder b(kT0, 60);
  b.run(kT0 + 3600, at(100));
  EXPECT_EQ(ask("show=series", b.records())["series"].size(), 4u);  // clients of the original see the inputs
  const json series = ask("show=series&derived=yes", b.records());
  std::vector<std::string> names;
  for (const json& s : series["series"]) {
    if (s["name"].get<std::string>().ends_with(".standby")) {
      names.push_back(s["name"]);
      EXPECT_EQ(s["unit"], "Watts");
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Main.standby", "Solar.standby", "Total.standby"}));
  int status = 0;
  const json refused = ask("select=[Main.standby.wh]&begin=" + day(0) + "&end=s", b.records(), &status);
  EXPECT_EQ(status, 400) << refused;
  const json watts =
      ask("select=[Main.standby.watts.d2]&begin=" + day(0) + "&end=" + day(1) + "&group=all", b.records());
  EXPECT_NEAR(watts[0][0].get<double>(), 100, 0.01) << watts;
}

}  // namespace
}  // namespace iw::query
