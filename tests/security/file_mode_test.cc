// Issue 12, finding 8: config.txt and config.txt.previous (InfluxDB token, Emoncms and PVOutput
// keys, MQTT password), the password file and the cursors were 0644 in a 0755 directory. Now
// they are written 0600 and the data directory is 0700; what is on disk is checked at start,
// fixed, and the old mode named in a warning.
#include <gtest/gtest.h>

#include "security/state_testing.h"

namespace iw::testing {
namespace {

std::string example_config() { return file_text(std::string(IOTAWATT_SOURCE_DIR) + "/examples/simulator-custom.json"); }

TEST(FileModes, TheDataDirectoryAndEverySavedConfigArePrivate) {
  SecurityDaemon d("modes-written");
  ::chmod(d.data().c_str(), 0755);
  std::string why;
  ASSERT_TRUE(d.start(&why)) << why;
  EXPECT_EQ(mode_of(d.data()), 0700);
  EXPECT_NE(d.process().log().find("permissions: " + d.data() + " was mode 0755, open to other users; now 0700"),
            std::string::npos)
      << d.process().log();

  const std::string first = d.client()->Get("/config")->body;
  auto saved = d.client()->Post("/config", first, "application/json");
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 200) << saved->body;
  EXPECT_EQ(mode_of(d.data() + "/config.txt"), 0600);
  auto again = d.client()->Post("/config", example_config(), "application/json");
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(file_text(d.data() + "/config.txt.previous"), first);
  EXPECT_EQ(mode_of(d.data() + "/config.txt"), 0600);
  EXPECT_EQ(mode_of(d.data() + "/config.txt.previous"), 0600);
  EXPECT_FALSE(std::filesystem::exists(d.data() + "/config.txt.tmp"));

  // Passwords last: every later request would need them.
  auto auth = d.client()->Post("/auth", "eyJuZXdhZG1pbiI6InMzY3JldF9wdyJ9", "text/plain");  // {"newadmin":"s3cret_pw"}
  ASSERT_TRUE(auth);
  ASSERT_EQ(auth->status, 200) << auth->body;
  EXPECT_EQ(mode_of(d.data() + "/auth.json"), 0600);
  EXPECT_TRUE(d.alive());
}

TEST(FileModes, OpenFilesFoundAtStartAreFixedWithAWarning) {
  SecurityDaemon d("modes-found");
  put_file(d.data() + "/config.txt", example_config(), 0644);
  put_file(d.data() + "/config.txt.previous", example_config(), 0664);
  put_file(d.data() + "/upload/influxdb.json", R"({"version":1,"next":1700000000,"target":"x"})", 0644);
  std::string why;
  ASSERT_TRUE(d.start(&why)) << why;
  const long long before = d.cycles();
  EXPECT_EQ(mode_of(d.data() + "/config.txt"), 0600);
  EXPECT_EQ(mode_of(d.data() + "/config.txt.previous"), 0600);
  EXPECT_EQ(mode_of(d.data() + "/upload/influxdb.json"), 0600);
  const std::string log = d.process().log();
  EXPECT_NE(log.find("permissions: " + d.data() + "/config.txt was mode 0644, open to other users; now 0600"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("permissions: " + d.data() + "/config.txt.previous was mode 0664, open to other users; now 0600"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("permissions: " + d.data() + "/upload/influxdb.json was mode 0644"), std::string::npos) << log;
  // The config itself is untouched and runs.
  EXPECT_EQ(file_text(d.data() + "/config.txt"), example_config());
  EXPECT_EQ(nlohmann::json::parse(d.client()->Get("/status?device")->body)["device"]["name"], "SimHouse");
  EXPECT_TRUE(sampling_goes_on(d, before));
}

}  // namespace
}  // namespace iw::testing
