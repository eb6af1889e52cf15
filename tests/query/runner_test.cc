#include "query/runner.h"

#include <gtest/gtest.h>

#include "query/query_testing.h"

namespace iw::query {
namespace {

using testing::kT0;
using testing::MapSource;
using testing::Rates;
using testing::RecordBuilder;

// Four hours from kT0 (UTC midnight) in 60 s records:
//   00-01 UTC  Main 1000 W, Solar -500 W, 50 Hz
//   01-02      Main 2000.4 W, Solar -250 W, 50 Hz
//   02-03      outage: no records, no monitored time
//   03-04      Main 400 W, Solar idle, 49.98 Hz
std::vector<datalog::Record> FourHours() {
  RecordBuilder b(kT0, 60);
  Rates a;
  b.run(kT0 + 3600, a);
  Rates r2;
  r2.main.watts = 2000.4;
  r2.solar.watts = -250;
  b.run(kT0 + 7200, r2);
  b.outage(kT0 + 10800);
  Rates r3;
  r3.main.watts = 400;
  r3.solar = {0, 0, 0, 0};
  r3.hz = 49.98;
  b.run(kT0 + 14400, r3);
  return b.records();
}

int64_t NextHour(int64_t t) { return t + 3600 - t % 3600; }

class RunnerTest : public ::testing::Test {
 protected:
  // Parses `query` (begin, end and group are not looked at: the plan has them) and runs it
  // over [begin, end) in hourly groups.
  std::string Run(std::string query, int64_t begin = kT0, int64_t end = kT0 + 14400) {
    QueryArgs args;
    size_t from = 0;
    query += "&begin=x&end=x";
    while (from < query.size()) {
      size_t amp = query.find('&', from);
      if (amp == std::string::npos) amp = query.size();
      const std::string pair = query.substr(from, amp - from);
      const size_t eq = pair.find('=');
      args.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
      from = amp + 1;
    }
    auto request = parse_query_request(args, catalog_);
    EXPECT_TRUE(request.ok()) << request.error();
    if (!request.ok()) return "";
    QueryPlan plan{request.value(), begin, end, next_, &zone_};
    std::string body;
    pieces_ = 0;
    Status st = run_query(plan, source_, [&](std::string_view piece) {
      EXPECT_FALSE(piece.empty());
      body += piece;
      ++pieces_;
      return true;
    });
    EXPECT_TRUE(st.ok());
    return body;
  }

  SeriesCatalog catalog_ = SeriesCatalog::FromConfig(testing::TestConfig());
  testing::FixedOffsetZone zone_{3600};  // UTC+1
  MapSource source_{FourHours()};
  std::function<int64_t(int64_t)> next_ = NextHour;
  int pieces_ = 0;
};

constexpr const char* kSelect = "select=[time.iso,Main,Solar.wh,Voltage.hz]";

TEST_F(RunnerTest, JsonRows) {
  EXPECT_EQ(Run(kSelect),
            "[[\"2023-11-15T01:00:00\",1000,-500,50],[\"2023-11-15T02:00:00\",2000.4,-250,50],"
            "[\"2023-11-15T03:00:00\",null,null,null],[\"2023-11-15T04:00:00\",400,0,49.98]]");
  EXPECT_EQ(source_.reads(), 5);  // one read per boundary
  EXPECT_EQ(pieces_, 1);
}

TEST_F(RunnerTest, JsonWithHeader) {
  EXPECT_EQ(Run(std::string(kSelect) + "&header=yes"),
            "{\"range\":[1700006400,1700020800],\"labels\":[\"Time\",\"Main\",\"Solar\","
            "\"Voltage\"],\r\n\"data\":[[\"2023-11-15T01:00:00\",1000,-500,50],"
            "[\"2023-11-15T02:00:00\",2000.4,-250,50],[\"2023-11-15T03:00:00\",null,null,null],"
            "[\"2023-11-15T04:00:00\",400,0,49.98]]}");
}

TEST_F(RunnerTest, Csv) {
  EXPECT_EQ(Run(std::string(kSelect) + "&format=csv"),
            "2023-11-15T01:00:00, 1000, -500, 50\r\n2023-11-15T02:00:00, 2000.4, -250, 50\r\n"
            "2023-11-15T03:00:00, null, null, null\r\n2023-11-15T04:00:00, 400, 0, 49.98");
}

TEST_F(RunnerTest, CsvWithHeader) {
  EXPECT_EQ(Run(std::string(kSelect) + "&format=csv&header=yes"),
            "Time, Main, Solar, Voltage\r\n"
            "2023-11-15T01:00:00, 1000, -500, 50\r\n2023-11-15T02:00:00, 2000.4, -250, 50\r\n"
            "2023-11-15T03:00:00, null, null, null\r\n2023-11-15T04:00:00, 400, 0, 49.98");
}

TEST_F(RunnerTest, LimitJson) {
  EXPECT_EQ(Run(std::string(kSelect) + "&limit=2"),
            "[[\"2023-11-15T01:00:00\",1000,-500,50],[\"2023-11-15T02:00:00\",2000.4,-250,50]]");
  EXPECT_EQ(source_.reads(), 3);  // stops reading at the limit
  EXPECT_EQ(Run("select=[time.unix,Main.wh]&limit=1&header=yes"),
            "{\"range\":[1700006400,1700020800],\"labels\":[\"Time\",\"Main\"],\r\n"
            "\"data\":[[1700006400,1000]],\"limit\":1700010000}");
  // A limit the rows just reach is not exceeded.
  EXPECT_EQ(Run("select=[time.unix]&limit=4&header=yes"),
            "{\"range\":[1700006400,1700020800],\"labels\":[\"Time\"],\r\n"
            "\"data\":[[1700006400],[1700010000],[1700013600],[1700017200]]}");
}

TEST_F(RunnerTest, LimitCsv) {
  EXPECT_EQ(Run("select=[time.utc,Main]&limit=3&format=csv&header=yes"),
            "Time, Main\r\n2023-11-15T00:00:00, 1000\r\n2023-11-15T01:00:00, 2000.4\r\n"
            "2023-11-15T02:00:00, null\r\nLimit exceeded at 1700017200");
}

TEST_F(RunnerTest, Missing) {
  EXPECT_EQ(Run("select=[time.unix,Main,Voltage]&missing=zero"),
            "[[1700006400,1000,240],[1700010000,2000.4,240],[1700013600,0,0],"
            "[1700017200,400,240]]");
  EXPECT_EQ(Run("select=[time.unix,Main,Voltage]&missing=skip"),
            "[[1700006400,1000,240],[1700010000,2000.4,240],[1700017200,400,240]]");
  EXPECT_EQ(Run("select=[time.unix,Main,Voltage]&missing=blank&format=csv"),
            "1700006400, 1000, 240\r\n1700010000, 2000.4, 240\r\n1700013600, , \r\n"
            "1700017200, 400, 240");
  // An empty JSON field would not be JSON: null instead.
  EXPECT_EQ(Run("select=[time.unix,Main,Voltage]&missing=blank"),
            "[[1700006400,1000,240],[1700010000,2000.4,240],[1700013600,null,null],"
            "[1700017200,400,240]]");
  EXPECT_EQ(Run("select=[time.unix,Main,Voltage]&missing=null"),
            "[[1700006400,1000,240],[1700010000,2000.4,240],[1700013600,null,null],"
            "[1700017200,400,240]]");
}

TEST_F(RunnerTest, SkippedRowsDoNotCountTowardsTheLimit) {
  EXPECT_EQ(Run("select=[time.unix,Main]&missing=skip&limit=3&header=yes"),
            "{\"range\":[1700006400,1700020800],\"labels\":[\"Time\",\"Main\"],\r\n"
            "\"data\":[[1700006400,1000],[1700010000,2000.4],[1700017200,400]]}");
}

TEST_F(RunnerTest, TimeColumns) {
  EXPECT_EQ(Run("select=[time.utc.unix,time.utc.iso,time.local.iso,time.local.unix]", kT0 + 3600, kT0 + 7200),
            "[[1700010000,\"2023-11-15T01:00:00\",\"2023-11-15T02:00:00\",1700010000]]");
  EXPECT_EQ(source_.reads(), 0);  // time columns only: no record is read
  // No zone: local time is UTC.
  QueryPlan plan;
  plan.request.columns = {TimeColumn{}};
  plan.begin = kT0;
  plan.end = kT0 + 5;
  std::string body;
  ASSERT_TRUE(run_query(plan, source_, [&](std::string_view s) {
                body += s;
                return true;
              }).ok());
  EXPECT_EQ(body, "[[\"2023-11-15T00:00:00\"]]");
}

TEST_F(RunnerTest, TimeShowsTheGroupStartOfAShortFirstGroup) {
  // begin 00:30: the first hourly group is 00:30-01:00.
  EXPECT_EQ(Run("select=[time.utc,Main.wh,Main]", kT0 + 1800, kT0 + 7200),
            "[[\"2023-11-15T00:30:00\",500,1000],[\"2023-11-15T01:00:00\",2000,2000.4]]");
}

TEST_F(RunnerTest, EveryUnitOfAColumn) {
  EXPECT_EQ(Run("select=[Main.watts,Main.wh,Main.kwh,Main.va,Main.vah,Main.var,Main.varh,"
                "Main.volts,Main.amps,Main.pf,Main.pf.d3,Main.hz,Solar.pf.d2,Voltage.watts]",
                kT0, kT0 + 3600),
            "[[1000,1000,1,1250,1250,750,750,240,5.2,0.8,0.8,50,-0.96,240]]");
}

TEST_F(RunnerTest, EmptyRange) {
  EXPECT_EQ(Run(kSelect, kT0, kT0), "[]");
  EXPECT_EQ(Run(std::string(kSelect) + "&header=yes", kT0, kT0),
            "{\"range\":[1700006400,1700006400],\"labels\":[\"Time\",\"Main\",\"Solar\","
            "\"Voltage\"],\r\n\"data\":[]}");
  EXPECT_EQ(Run(std::string(kSelect) + "&format=csv", kT0, kT0), "");
  EXPECT_EQ(Run(std::string(kSelect) + "&format=csv&header=yes", kT0, kT0), "Time, Main, Solar, Voltage\r\n");
}

TEST_F(RunnerTest, GroupsBeforeTheDataAreMissing) {
  // The source clamps a time before its first record to that record: same record twice.
  EXPECT_EQ(Run("select=[time.unix,Main.wh]", kT0 - 7200, kT0 + 3600),
            "[[1699999200,null],[1700002800,null],[1700006400,1000]]");
  EXPECT_EQ(Run("select=[time.unix,Main.wh]&missing=skip", kT0 - 7200, kT0 + 3600), "[[1700006400,1000]]");
}

TEST_F(RunnerTest, GroupAllIsOneRow) {
  next_ = [](int64_t) { return INT64_MAX; };  // clipped to end
  // 3400.4 Wh over 3 monitored hours (the outage hour does not count): 1133.47 W.
  EXPECT_EQ(Run("select=[time.iso,Main.wh,Solar.wh,Main.watts]"), "[[\"2023-11-15T01:00:00\",3400,-750,1133.5]]");
  EXPECT_EQ(source_.reads(), 2);
}

TEST_F(RunnerTest, AGroupingThatDoesNotAdvanceEnds) {
  next_ = [](int64_t t) { return t; };
  EXPECT_EQ(Run("select=[time.unix,Main]"), "[]");
}

TEST_F(RunnerTest, LongAnswersAreWrittenInPieces) {
  next_ = [](int64_t t) { return t + 60; };
  std::string body = Run("select=[time.iso,Main,Solar,Voltage,Total]&limit=none");
  EXPECT_GT(pieces_, 5);
  EXPECT_EQ(body.front(), '[');
  EXPECT_EQ(body.back(), ']');
  // 240 rows, the outage's 60 as null.
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = body.find(what); at != std::string::npos; at = body.find(what, at + 1)) ++n;
    return n;
  };
  const size_t rows = count("[\""), nulls = count("null");
  EXPECT_EQ(rows, 240u);
  EXPECT_EQ(nulls, 60u * 4);
}

TEST_F(RunnerTest, ReadErrorsAreReturned) {
  class Failing final : public RecordSource {
   public:
    Result<std::optional<datalog::Record>> at_or_before(int64_t) const override {
      return Status::IOError("disk on fire");
    }
    Result<std::optional<int64_t>> first_time() const override { return Status::IOError("x"); }
  } failing;
  QueryPlan plan;
  plan.request.columns = {SeriesColumn{catalog_.find("Main"), Unit::kWatts, 1}};
  plan.begin = kT0;
  plan.end = kT0 + 60;
  int writes = 0;
  Status st = run_query(plan, failing, [&](std::string_view) {
    ++writes;
    return true;
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "disk on fire");
  EXPECT_EQ(writes, 0);  // nothing written: the HTTP layer can still answer with an error
}

TEST(ContentType, PerFormatAndDownload) {
  QueryRequest r;
  EXPECT_EQ(content_type(r), "application/json");
  r.format = Format::kCsv;
  EXPECT_EQ(content_type(r), "text/plain");
  r.download = true;
  EXPECT_EQ(content_type(r), "application/octet-stream");
  r.format = Format::kJson;
  EXPECT_EQ(content_type(r), "application/octet-stream");
}

}  // namespace
}  // namespace iw::query
