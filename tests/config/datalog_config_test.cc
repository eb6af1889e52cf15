#include <gtest/gtest.h>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {
namespace {

TEST(DatalogConfig, ParsesRetentionAndSyncAndRoundTrips) {
  auto c = parse_config(std::string(R"({"device":{"channels":1},"inputs":[null],
      "datalog":{"current_days":"400","history_days":3650,"max_mb":2048,"sync_seconds":0}})"),
                        ModelCatalog::builtin());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->datalog.current_days, 400);
  EXPECT_EQ(c->datalog.history_days, 3650);
  EXPECT_EQ(c->datalog.max_mb, 2048);
  EXPECT_EQ(c->datalog.sync_seconds, 0);
  auto again = parse_config(serialize(c.value()), ModelCatalog::builtin());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->datalog, c->datalog);
}

TEST(DatalogConfig, BadValuesNameTheKey) {
  auto c = parse_config(std::string(R"({"device":{"channels":1},"inputs":[null],
      "datalog":{"current_days":0,"sync_seconds":-5,"keep":"all"}})"),
                        ModelCatalog::builtin());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("datalog.current_days"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("datalog.sync_seconds"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("datalog.keep"), std::string::npos) << c.error();
}

}  // namespace
}  // namespace iw::config
