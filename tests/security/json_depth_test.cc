// Issue 12, finding 1: deeply nested JSON crashed the daemon (SIGSEGV in a recursive copy),
// and a saved graph made it crash again after every restart. Every route that reads JSON now
// refuses more than 64 levels with a message saying where, and damaged files on disk are set
// aside at start-up. After each attack the daemon is alive and sampling goes on.
#include <gtest/gtest.h>

#include "security/state_testing.h"

namespace iw::testing {
namespace {

// 100 000 levels: the 65th "{" is byte 5 * 64 + 1.
const std::string kDeep = deep_json();
constexpr const char* kTooDeep = "nesting deeper than 64 levels at byte 321";

class JsonDepthTest : public RunningDaemonTest {
 protected:
  JsonDepthTest() : RunningDaemonTest("json-depth") {}
};

TEST_F(JsonDepthTest, PostConfigIsRefusedWith400AndTheRunningConfigStays) {
  const std::string config = daemon_.client()->Get("/config")->body;
  auto res = daemon_.client()->Post("/config", kDeep, "application/json");
  ASSERT_TRUE(res) << "no answer: the daemon died";
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find(std::string("config: ") + kTooDeep + " (line 1, column 321)"), std::string::npos)
      << res->body;
  EXPECT_EQ(daemon_.client()->Get("/config")->body, config);
  ExpectUnharmed();
}

TEST_F(JsonDepthTest, PostUploadTestNamesTheRefusal) {
  auto res = daemon_.client()->Post("/upload/test", kDeep, "application/json");
  ASSERT_TRUE(res) << "no answer: the daemon died";
  EXPECT_EQ(res->status, 200);  // the test's answer is a JSON verdict, as for any other failure
  const auto answer = nlohmann::json::parse(res->body);
  EXPECT_EQ(answer["ok"], false);
  EXPECT_EQ(answer["message"], std::string("the body is not JSON: ") + kTooDeep);
  ExpectUnharmed();
}

TEST_F(JsonDepthTest, GraphCreateIsRefusedAndGetAllStillAnswers) {
  // The original's pages post the graph unencoded after "data="; as text/plain the body
  // reaches the store whatever its size (a form body is capped lower by the server).
  auto res = daemon_.client()->Post("/graph/create", "data=" + kDeep, "text/plain");
  ASSERT_TRUE(res) << "no answer: the daemon died";
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(res->body, std::string("graph: data: ") + kTooDeep);
  // 1000 levels (5 KB) fit a form: the same refusal through the decoded field.
  auto form = daemon_.client()->Post("/graph/create", "data=" + deep_json(1000), "application/x-www-form-urlencoded");
  ASSERT_TRUE(form) << "no answer: the daemon died";
  EXPECT_EQ(form->status, 400);
  EXPECT_EQ(form->body, std::string("graph: data: ") + kTooDeep);
  auto all = daemon_.client()->Get("/graph/getall");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 200);
  EXPECT_EQ(all->body, "[]");
  ExpectUnharmed();
}

TEST_F(JsonDepthTest, CalcPreviewAndAuthAreRefused) {
  auto preview = daemon_.client()->Post("/calc/preview", kDeep, "application/json");
  ASSERT_TRUE(preview) << "no answer: the daemon died";
  EXPECT_EQ(preview->status, 400);
  EXPECT_EQ(nlohmann::json::parse(preview->body)["error"], std::string("the body is not JSON: ") + kTooDeep);
  // POST /auth: base64 of the JSON (800 KB).
  auto auth = daemon_.client()->Post("/auth", base64(kDeep), "text/plain");
  ASSERT_TRUE(auth) << "no answer: the daemon died";
  EXPECT_EQ(auth->status, 400);
  EXPECT_EQ(auth->body, std::string("Json parse failed: ") + kTooDeep + ".");
  ExpectUnharmed();
}

// A graph saved before the limit existed (or written by hand) is on disk when the daemon
// starts: /graph/getall, a user-role read, used to crash it at every call.
TEST(JsonDepthOnDisk, AHostileGraphFileIsSetAsideAndTheOthersListed) {
  SecurityDaemon d("graph-on-disk");
  const std::string graphs = d.data() + "/graphs";
  put_file(graphs + "/deep0001.txt", R"({"name":"x","start":"d","deep":)" + kDeep);
  put_file(graphs + "/good0001.txt", R"({"name":"Good","start":"d"})");
  std::string why;
  ASSERT_TRUE(d.start(&why)) << why;
  const long long before = d.cycles();
  auto all = d.client()->Get("/graph/getall");
  ASSERT_TRUE(all) << "no answer: the daemon died";
  EXPECT_EQ(all->status, 200);
  const auto list = nlohmann::json::parse(all->body);
  ASSERT_EQ(list.size(), 1u) << all->body;
  EXPECT_EQ(list[0]["name"], "Good");
  EXPECT_FALSE(std::filesystem::exists(graphs + "/deep0001.txt"));
  const auto aside = files_starting(graphs, "deep0001.txt.bad-");
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(file_text(graphs + "/" + aside[0]).size(), 31 + kDeep.size());
  const std::string log = d.process().log();
  EXPECT_NE(log.find(graphs +
                     "/deep0001.txt is not a saved graph (nesting deeper than 64 levels at byte 347); "
                     "set aside as " +
                     graphs + "/" + aside[0]),
            std::string::npos)
      << log;
  // The next call does not meet it again.
  EXPECT_EQ(nlohmann::json::parse(d.client()->Get("/graph/getallplus")->body).size(), 0u);
  EXPECT_TRUE(d.alive());
  EXPECT_TRUE(sampling_goes_on(d, before));
}

// A config.txt that crashed the daemon would crash it at every restart: it is set aside and
// the daemon runs the demo config, saying so.
TEST(JsonDepthOnDisk, AHostileConfigIsSetAsideAndTheDemoRuns) {
  SecurityDaemon d("config-on-disk");
  put_file(d.data() + "/config.txt", kDeep);
  std::string why;
  ASSERT_TRUE(d.start(&why)) << why;
  const long long before = d.cycles();
  EXPECT_FALSE(std::filesystem::exists(d.data() + "/config.txt"));
  const auto aside = files_starting(d.data(), "config.txt.bad-");
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(file_text(d.data() + "/" + aside[0]), kDeep);
  const std::string log = d.process().log();
  EXPECT_NE(log.find("config: " + d.data() + "/config.txt: config: nesting deeper than 64 levels at byte 321"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("set aside as " + d.data() + "/" + aside[0]), std::string::npos) << log;
  EXPECT_NE(log.find("NO USABLE CONFIG: running the simulator's demo config"), std::string::npos) << log;
  auto config = d.client()->Get("/config");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->status, 200);
  EXPECT_TRUE(nlohmann::json::parse(config->body)["inputs"].is_array());
  EXPECT_TRUE(d.alive());
  EXPECT_TRUE(sampling_goes_on(d, before));
}

// With a good config.txt.previous (the config before the last POST /config), that one is
// restored and runs.
TEST(JsonDepthOnDisk, AHostileConfigFallsBackToThePreviousOne) {
  SecurityDaemon d("config-previous");
  const std::string previous = file_text(std::string(IOTAWATT_SOURCE_DIR) + "/examples/simulator-custom.json");
  ASSERT_NE(previous.find("SimHouse"), std::string::npos);
  put_file(d.data() + "/config.txt", "{\"device\": " + kDeep);
  put_file(d.data() + "/config.txt.previous", previous, 0600);
  std::string why;
  ASSERT_TRUE(d.start(&why)) << why;
  const long long before = d.cycles();
  EXPECT_EQ(files_starting(d.data(), "config.txt.bad-").size(), 1u);
  EXPECT_EQ(file_text(d.data() + "/config.txt"), previous);
  EXPECT_EQ(mode_of(d.data() + "/config.txt"), 0600);
  EXPECT_EQ(d.client()->Get("/config")->body, previous);
  EXPECT_EQ(nlohmann::json::parse(d.client()->Get("/status?device")->body)["device"]["name"], "SimHouse");
  const std::string log = d.process().log();
  EXPECT_NE(log.find("RUNNING THE PREVIOUS CONFIG: " + d.data() + "/config.txt.previous restored as " + d.data() +
                     "/config.txt"),
            std::string::npos)
      << log;
  EXPECT_TRUE(d.alive());
  EXPECT_TRUE(sampling_goes_on(d, before));
}

}  // namespace
}  // namespace iw::testing
