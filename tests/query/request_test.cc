#include "query/request.h"

#include <gtest/gtest.h>

#include "query/query_testing.h"

namespace iw::query {
namespace {

// "a=1&b=2" -> args (no percent-decoding: the tests write decoded text).
QueryArgs Args(std::string_view query) {
  QueryArgs args;
  size_t from = 0;
  while (from <= query.size()) {
    size_t amp = query.find('&', from);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view pair = query.substr(from, amp - from);
    const size_t eq = pair.find('=');
    if (!pair.empty()) {
      args.emplace_back(std::string(pair.substr(0, eq)),
                        eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    }
    from = amp + 1;
  }
  return args;
}

class RequestTest : public ::testing::Test {
 protected:
  Result<QueryRequest> Parse(std::string_view query) { return parse_query_request(Args(query), catalog_); }
  SeriesCatalog catalog_ = SeriesCatalog::FromConfig(testing::TestConfig());
};

TEST_F(RequestTest, Defaults) {
  auto r = Parse("select=[time,Main]&begin=d&end=s");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->begin, "d");
  EXPECT_EQ(r->end, "s");
  EXPECT_EQ(r->group, "auto");  // missing group: auto
  EXPECT_EQ(r->format, Format::kJson);
  EXPECT_FALSE(r->header);
  EXPECT_EQ(r->missing, Missing::kNull);
  EXPECT_EQ(r->resolution, Resolution::kLow);
  EXPECT_EQ(r->limit, 1000);
  EXPECT_FALSE(r->download);
  ASSERT_EQ(r->columns.size(), 2u);
  const auto& t = std::get<TimeColumn>(r->columns[0]);
  EXPECT_FALSE(t.utc);
  EXPECT_FALSE(t.unix);
  const auto& s = std::get<SeriesColumn>(r->columns[1]);
  EXPECT_EQ(s.series, catalog_.find("Main"));
  EXPECT_EQ(s.unit, Unit::kWatts);
  EXPECT_EQ(s.decimals, 1);
  EXPECT_EQ(column_label(r->columns[0]), "Time");
  EXPECT_EQ(column_label(r->columns[1]), "Main");
}

TEST_F(RequestTest, AllOptions) {
  auto r = Parse(
      "select=[Voltage]&begin=1700000000&end=1700003600&group=1h&format=csv&header=yes&"
      "missing=skip&resolution=high&limit=none&download=yes");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->group, "1h");
  EXPECT_EQ(r->format, Format::kCsv);
  EXPECT_TRUE(r->header);
  EXPECT_EQ(r->missing, Missing::kSkip);
  EXPECT_EQ(r->resolution, Resolution::kHigh);
  EXPECT_EQ(r->limit, std::nullopt);
  EXPECT_TRUE(r->download);
  const auto& s = std::get<SeriesColumn>(r->columns[0]);
  EXPECT_EQ(s.unit, Unit::kVolts);  // a VT defaults to Volts
  EXPECT_EQ(s.decimals, 1);
}

TEST_F(RequestTest, OptionValues) {
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&missing=zero")->missing, Missing::kZero);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&missing=null")->missing, Missing::kNull);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&missing=none")->missing, Missing::kEmpty);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&header=no")->header, false);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&header=1")->header, false);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&limit=25")->limit, 25);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&limit=1")->limit, 1);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&resolution=low")->resolution, Resolution::kLow);
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&format=json")->format, Format::kJson);
  EXPECT_TRUE(Parse("select=[Main]&begin=d&end=s&download")->download);
  // The first of a repeated argument counts.
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&begin=y")->begin, "d");
  EXPECT_EQ(Parse("select=[Main]&begin=d&end=s&group=all")->group, "all");
}

TEST_F(RequestTest, TimeMethods) {
  auto r = Parse("select=[time.utc.unix,TIME.Local.ISO,Time.unix,time.iso.utc]&begin=d&end=s");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->columns.size(), 4u);
  auto t = [&](size_t k) { return std::get<TimeColumn>(r->columns[k]); };
  EXPECT_TRUE(t(0).utc && t(0).unix);
  EXPECT_TRUE(!t(1).utc && !t(1).unix);
  EXPECT_TRUE(!t(2).utc && t(2).unix);
  EXPECT_TRUE(t(3).utc && !t(3).unix);
}

TEST_F(RequestTest, SeriesMethods) {
  auto r = Parse(
      "select=[Main.wh,Main.wh.d3,Main.d3.wh,Voltage.hz,Main.PF,Solar.kwh,Solar.vah,"
      "Main.Watts.d0,Main.varh,Main.var,Main.va,Main.amps,Voltage.volts,Main.d9]&begin=d&end=s");
  ASSERT_TRUE(r.ok()) << r.error();
  struct Want {
    Unit unit;
    int decimals;
  };
  const Want want[] = {{Unit::kWh, 0},  {Unit::kWh, 3},   {Unit::kWh, 3},    {Unit::kHz, 2},   {Unit::kPF, 1},
                       {Unit::kKWh, 3}, {Unit::kVAh, 0},  {Unit::kWatts, 0}, {Unit::kVARh, 0}, {Unit::kVAR, 1},
                       {Unit::kVA, 1},  {Unit::kAmps, 1}, {Unit::kVolts, 1}, {Unit::kWatts, 9}};
  ASSERT_EQ(r->columns.size(), std::size(want));
  for (size_t k = 0; k < std::size(want); ++k) {
    const auto& s = std::get<SeriesColumn>(r->columns[k]);
    EXPECT_EQ(s.unit, want[k].unit) << k;
    EXPECT_EQ(s.decimals, want[k].decimals) << k;
  }
}

// A series whose unit is neither Watts nor Volts uses its script precision by default.
class AmpsSeries final : public Series {
 public:
  const std::string& name() const override { return name_; }
  Unit unit() const override { return Unit::kAmps; }
  std::optional<double> value(const Interval&, Unit) const override { return 1; }

 private:
  std::string name_ = "Amps1";
};

TEST_F(RequestTest, OutputDefaultsToItsUnitAndPrecision) {
  catalog_.add(std::make_unique<AmpsSeries>());
  auto r = Parse("select=[Amps1,Amps1.amps]&begin=d&end=s");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(std::get<SeriesColumn>(r->columns[0]).unit, Unit::kAmps);
  EXPECT_EQ(std::get<SeriesColumn>(r->columns[0]).decimals, 3);
  EXPECT_EQ(std::get<SeriesColumn>(r->columns[1]).decimals, 1);
}

TEST_F(RequestTest, HomeAssistantQueriesParse) {
  for (const char* q : {
           "select=[Voltage.volts,Main.watts,Total.watts,Solar.amps]&begin=s-30s&end=s&group=30s",
           "select=[time.iso,Main.wh,Total.wh]&begin=d&end=s&group=all",
           "select=[time.iso,Main.wh.d3,Total.wh.d3]&begin=2026-11-24T12:53:45Z&"
           "end=2026-11-24T12:54:15Z&group=all",
           "select=[time.iso,Main.wh.d3,Total.wh.d3]&begin=1600000000&end=s&group=all",
           "select=[time.iso,Main.wh.d3,Total.wh.d3]&begin=2000-01-01&end=s&group=all",
           "format=json&header=yes&resolution=high&missing=null&begin=1700000000000&"
           "end=1700086400000&select=[time.utc.unix,Main.watts.d2,Voltage.volts.d1]&group=auto",
       }) {
    auto r = Parse(q);
    EXPECT_TRUE(r.ok()) << q << ": " << (r.ok() ? "" : r.error());
  }
}

TEST_F(RequestTest, Kind) {
  EXPECT_EQ(query_kind(Args("show=series")).value(), QueryKind::kShowSeries);
  EXPECT_EQ(query_kind(Args("select=[Main]&begin=d&end=s")).value(), QueryKind::kSelect);
  // show wins over select, as in the original.
  EXPECT_EQ(query_kind(Args("show=series&select=[Main]")).value(), QueryKind::kShowSeries);
  EXPECT_EQ(query_kind(Args("show=inputs")).error(), "unspecified");
  EXPECT_EQ(query_kind(Args("show=Series")).error(), "unspecified");
  EXPECT_EQ(query_kind(Args("show=")).error(), "unspecified");
  EXPECT_EQ(query_kind(Args("")).error(), "select not an array []");
  EXPECT_EQ(query_kind(Args("begin=d&end=s")).error(), "select not an array []");
}

TEST_F(RequestTest, MalformedQueriesGiveTheOriginalReasons) {
  struct Case {
    const char* query;
    const char* reason;
  };
  const Case cases[] = {
      {"", "Missing begin, end or group."},
      {"select=[Main]", "Missing begin, end or group."},
      {"select=[Main]&begin=d", "Missing begin, end or group."},
      {"select=[Main]&end=s", "Missing begin, end or group."},
      {"select=[Main]&group=1h", "Missing begin, end or group."},
      {"select=[Main]&Begin=d&End=s", "Missing begin, end or group."},
      {"select=[Main]&begin=d&end=s&resolution=medium", "Invalid resolution"},
      {"select=[Main]&begin=d&end=s&resolution=", "Invalid resolution"},
      {"select=[Main]&begin=d&end=s&resolution=HIGH", "Invalid resolution"},
      {"select=[Main]&begin=d&end=s&format=xml", "Invalid format"},
      {"select=[Main]&begin=d&end=s&format=", "Invalid format"},
      {"select=[Main]&begin=d&end=s&format=JSON", "Invalid format"},
      {"select=[Main]&begin=d&end=s&limit=0", "Invalid limit"},
      {"select=[Main]&begin=d&end=s&limit=abc", "Invalid limit"},
      {"select=[Main]&begin=d&end=s&limit=-5", "Invalid limit"},
      {"select=[Main]&begin=d&end=s&limit=", "Invalid limit"},
      {"select=[Main]&begin=d&end=s&limit=10x", "Invalid limit"},
      {"select=[Main]&begin=d&end=s&limit=99999999999999999999", "Invalid limit"},
      {"select=[Main]&begin=d&end=s&limit=None", "Invalid limit"},
      {"begin=d&end=s", "select not an array []"},
      {"select=Main&begin=d&end=s", "select not an array []"},
      {"select=[Main&begin=d&end=s", "select not an array []"},
      {"select=Main]&begin=d&end=s", "select not an array []"},
      {"select=&begin=d&end=s", "select not an array []"},
      {"select=(Main)&begin=d&end=s", "select not an array []"},
      {"select=[&begin=d&end=s", "select not an array []"},
      {"select=[main]&begin=d&end=s", "Invalid series: main"},
      {"select=[Main,Nope]&begin=d&end=s", "Invalid series: Nope"},
      {"select=[]&begin=d&end=s", "Invalid series: "},
      {"select=[Main,]&begin=d&end=s", "Invalid series: "},
      {"select=[ Main]&begin=d&end=s", "Invalid series:  Main"},
      {"select=[.watts]&begin=d&end=s", "Invalid series: "},
      {"select=[times]&begin=d&end=s", "Invalid series: times"},
      {"select=[time.gmt]&begin=d&end=s", "invalid time method: gmt"},
      {"select=[time.ISO8601]&begin=d&end=s", "invalid time method: iso8601"},
      {"select=[time.]&begin=d&end=s", "invalid time method: "},
      {"select=[time.d3]&begin=d&end=s", "invalid time method: d3"},
      {"select=[time.watts]&begin=d&end=s", "invalid time method: watts"},
      {"select=[Main.watt]&begin=d&end=s", "Invalid series method: watt"},
      {"select=[Main.d]&begin=d&end=s", "Invalid series method: d"},
      {"select=[Main.d10]&begin=d&end=s", "Invalid series method: d10"},
      {"select=[Main.dx]&begin=d&end=s", "Invalid series method: dx"},
      {"select=[Main.]&begin=d&end=s", "Invalid series method: "},
      {"select=[Main.WattHours]&begin=d&end=s", "Invalid series method: watthours"},
      {"select=[Main.wh.iso]&begin=d&end=s", "Invalid series method: iso"},
      {"select=[Main.d-1]&begin=d&end=s", "Invalid series method: d-1"},
      // The first failure in the documented order wins.
      {"select=[Nope]&begin=d&end=s&format=xml", "Invalid format"},
      {"select=[Nope]&begin=d&end=s&limit=0&resolution=x", "Invalid resolution"},
      {"select=Nope&begin=d&format=xml", "Missing begin, end or group."},
  };
  static_assert(std::size(cases) >= 30);
  for (const auto& c : cases) {
    auto r = Parse(c.query);
    ASSERT_FALSE(r.ok()) << c.query;
    EXPECT_EQ(r.error(), c.reason) << c.query;
  }
}

}  // namespace
}  // namespace iw::query
