#include "query/feed.h"

#include <gtest/gtest.h>

#include "query/query_testing.h"

namespace iw::query {
namespace {

using testing::kT0;

TEST(FeedList, InputsInChannelOrder) {
  const auto catalog = SeriesCatalog::FromConfig(testing::TestConfig());
  EXPECT_EQ(feed_list_json(catalog),
            "[{\"id\":\"IVVoltage\",\"tag\":\"Voltage\",\"name\":\"Voltage\"},"
            "{\"id\":\"IPMain\",\"tag\":\"Power\",\"name\":\"Main\"},"
            "{\"id\":\"IEMain\",\"tag\":\"Energy\",\"name\":\"Main\"},"
            "{\"id\":\"IPSolar\",\"tag\":\"Power\",\"name\":\"Solar\"},"
            "{\"id\":\"IESolar\",\"tag\":\"Energy\",\"name\":\"Solar\"},"
            "{\"id\":\"IPTotal\",\"tag\":\"Power\",\"name\":\"Total\"},"
            "{\"id\":\"IETotal\",\"tag\":\"Energy\",\"name\":\"Total\"}]");
  EXPECT_EQ(feed_list_json(SeriesCatalog()), "[]");
}

QueryArgs Args(std::initializer_list<std::pair<const char*, const char*>> list) {
  QueryArgs args;
  for (const auto& [k, v] : list) args.emplace_back(k, v);
  return args;
}

TEST(FeedRequest, Parses) {
  auto r = parse_feed_request(Args({{"id", "[IPMain,IVVoltage]"},
                                    {"start", "1700006400000"},
                                    {"end", "1700010000"},
                                    {"interval", "600"},
                                    {"skipmissing", "1"},
                                    {"limitinterval", "1"},
                                    {"backup", "true"}}));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->ids, (std::vector<std::string>{"IPMain", "IVVoltage"}));
  EXPECT_EQ(r->start, 1700006400);
  EXPECT_EQ(r->end, 1700010000);
  EXPECT_EQ(r->interval, 600);
  auto m =
      parse_feed_request(Args({{"id", "IEMain"}, {"start", "1700006400"}, {"end", "1700092800"}, {"mode", "daily"}}));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->interval, 86400);
  EXPECT_EQ(m->ids, std::vector<std::string>{"IEMain"});
  for (auto [mode, s] : {std::pair{"weekly", 7 * 86400}, {"monthly", 30 * 86400}, {"yearly", 365 * 86400}}) {
    auto p =
        parse_feed_request(Args({{"id", "IEMain"}, {"start", "1700006400"}, {"end", "1700006400"}, {"mode", mode}}));
    ASSERT_TRUE(p.ok()) << mode;
    EXPECT_EQ(p->interval, s);
  }
}

TEST(FeedRequest, InvalidRequests) {
  const std::vector<QueryArgs> bad = {
      Args({}),
      Args({{"start", "1700006400"}, {"end", "1700010000"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"end", "1700010000"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700010000"}}),
      Args({{"id", "IPMain"}, {"start", "1700006401"}, {"end", "1700010000"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700010003"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700010000"}, {"interval", "62"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700010000"}, {"interval", "0"}}),
      Args({{"id", "IPMain"}, {"start", "1700010000"}, {"end", "1700006400"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700130400"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"start", "abc"}, {"end", "1700010000"}, {"interval", "60"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700010000"}, {"interval", "x"}}),
      Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700010000"}, {"mode", "hourly"}}),
  };
  for (size_t k = 0; k < bad.size(); ++k) {
    auto r = parse_feed_request(bad[k]);
    ASSERT_FALSE(r.ok()) << k;
    EXPECT_EQ(r.error(), "Invalid request") << k;
  }
  // 2000 steps is the most allowed.
  EXPECT_TRUE(
      parse_feed_request(Args({{"id", "IPMain"}, {"start", "1700006400"}, {"end", "1700126400"}, {"interval", "60"}}))
          .ok());
}

TEST(FeedData, RowsPerStepWithoutTimestamps) {
  // 00-01 Main 1000 W; 01-02 outage; 02-03 Main 500 W, from kT0 (counters start there).
  testing::RecordBuilder b(kT0, 60);
  testing::Rates r;
  b.run(kT0 + 3600, r);
  b.outage(kT0 + 7200);
  r.main.watts = 500;
  b.run(kT0 + 10800, r);
  testing::MapSource source(b.records());
  const auto catalog = SeriesCatalog::FromConfig(testing::TestConfig());
  FeedRequest request{{"IPMain", "IEMain", "IVVoltage", "IPSolar", "OPnope", "IVMain", "IPNope", "IXMain"},
                      kT0 + 3600,
                      kT0 + 10800,
                      3600};
  std::string body;
  ASSERT_TRUE(run_feed(request, catalog, source, [&](std::string_view s) {
                body += s;
                return true;
              }).ok());
  EXPECT_EQ(body,
            "[[1000,1,240,-500,null,1000,null,null],[null,null,null,null,null,null,null,null],"
            "[500,1.5,240,-500,null,500,null,null]]");
  EXPECT_EQ(source.reads(), 4);  // the record before start, then one per row
}

}  // namespace
}  // namespace iw::query
