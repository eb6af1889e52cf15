// End to end: uploaders in the running daemon without a server of their own. A section that
// does not validate is refused by POST /config; a server that is not there
// shows as an error naming the host; secrets never reach /status; POST /upload/test answers
// in its documented shape.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "app/daemon_process.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;

class DaemonUpload : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::free_port();
    nobody_ = testing::free_port();  // nothing listens there
    data_ = testing::temp_path("upload-data");
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_},
        testing::temp_path("upload.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    for (int i = 0; i < 200; ++i) {
      if (auto res = client_->Get("/nullreq"); res && res->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << daemon_->log();
  }
  // The running config with `section` as "influxdb".
  void configure(const json& section) {
    auto res = client_->Get("/config");
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : httplib::to_string(res.error())) << "\n"
                                           << daemon_->log();
    json config = json::parse(res->body);
    config["influxdb"] = section;
    auto post = client_->Post("/config", config.dump(), "application/json");
    ASSERT_TRUE(post && post->status == 200) << (post ? post->body : "no answer");
  }
  json uploader(const std::function<bool(const json&)>& until) {
    json u;
    for (int i = 0; i < 300; ++i) {
      auto res = client_->Get("/status?uploaders&influx1");
      if (res && res->status == 200) {
        const json j = json::parse(res->body);
        if (!j["uploaders"].empty()) u = j["uploaders"][0];
        if (!u.is_null() && until(u)) return u;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "uploader status: " << u << "\nalive: " << (kill(daemon_->pid(), 0) == 0) << "\n"
                  << daemon_->log();
    return u;
  }
  std::string nobody() const { return "127.0.0.1:" + std::to_string(nobody_); }
  json section() const {
    return {{"type", "influxdb"},
            {"revision", 1},
            {"url", "http://" + nobody()},
            {"database", "iota"},
            {"user", "iota"},
            {"pwd", "hunter2-secret"},
            {"postInterval", 5},
            {"outputs", {{{"name", "Mains"}, {"units", "Watts"}, {"script", "@1"}}}}};
  }

  int port_ = 0;
  int nobody_ = 0;
  std::string data_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};

// POST /config refuses an uploader section the uploader would refuse (a script naming no
// input), naming the key, and the running config stays as it was.
TEST_F(DaemonUpload, ASectionTheUploaderWouldRefuseIsRefusedByPostConfig) {
  json config = json::parse(client_->Get("/config")->body);
  json bad = section();
  bad["outputs"][0]["script"] = "@1+@99";  // channel 99 is no input
  config["influxdb"] = bad;
  auto post = client_->Post("/config", config.dump(), "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 400) << post->body;
  EXPECT_NE(post->body.find("influxdb.outputs[0]"), std::string::npos) << post->body;
  EXPECT_NE(post->body.find("\"@1+@99\": position 4: input @99 is not an active input"), std::string::npos)
      << post->body;
  EXPECT_FALSE(json::parse(client_->Get("/config")->body).contains("influxdb"));
  EXPECT_TRUE(json::parse(client_->Get("/status?uploaders")->body)["uploaders"].empty());
}

// The web app writes a measurement as {"name","units","expr"} (readable syntax): the uploader
// runs it (it reaches the point of asking the server), and /upload/test shows the real error.
TEST_F(DaemonUpload, AMeasurementInReadableSyntaxRunsAndIsTested) {
  json readable = section();
  readable["outputs"] = {{{"name", "Mains"}, {"units", "Watts"}, {"expr", "@1 * 2"}}};
  configure(readable);
  const json u = uploader([](const json& j) { return !j["last_error"].get<std::string>().empty(); });
  EXPECT_NE(u["state"], "invalid") << u;
  EXPECT_NE(u["last_error"].get<std::string>().find(nobody()), std::string::npos) << u;
  auto res = client_->Post("/upload/test", readable.dump(), "application/json");
  ASSERT_TRUE(res && res->status == 200);
  const json answer = json::parse(res->body);
  EXPECT_EQ(answer["ok"], false);
  EXPECT_NE(answer["message"].get<std::string>().find(nobody()), std::string::npos) << answer;
  json both = readable;
  both["outputs"][0]["script"] = "@1";
  json config = json::parse(client_->Get("/config")->body);
  config["influxdb"] = both;
  auto post = client_->Post("/config", config.dump(), "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 400);
  EXPECT_NE(post->body.find("influxdb.outputs[0]: has both"), std::string::npos) << post->body;
}

TEST_F(DaemonUpload, AMissingServerIsAnErrorNamingItAndSecretsStayOutOfStatus) {
  configure(section());
  const json u = uploader([](const json& j) { return !j["last_error"].get<std::string>().empty(); });
  EXPECT_EQ(u["state"], "starting") << u;  // no cursor and no server: nothing safe to start from
  EXPECT_NE(u["last_error"].get<std::string>().find(nobody()), std::string::npos) << u;
  auto res = client_->Get("/status?uploaders&influx1&influx2&emoncms&pvoutput&inputs&stats");
  ASSERT_TRUE(res && res->status == 200);
  EXPECT_EQ(res->body.find("hunter2"), std::string::npos) << res->body;
  const json j = json::parse(res->body);
  EXPECT_EQ(j["influx1"]["status"], "running");
  EXPECT_EQ(j["influx2"]["state"], "not running");

  // Removing the section stops it.
  auto cfg = client_->Get("/config");
  json config = json::parse(cfg->body);
  config.erase("influxdb");
  ASSERT_EQ(client_->Post("/config", config.dump(), "application/json")->status, 200);
  EXPECT_TRUE(json::parse(client_->Get("/status?uploaders")->body)["uploaders"].empty());
}

// The values follow the running calculator: a change of the outputs restarts the uploader
// with the new one; a change nothing uploaded depends on leaves it running.
TEST_F(DaemonUpload, AnOutputsChangeRestartsTheUploaderAnUnrelatedChangeDoesNot) {
  configure(section());
  uploader([](const json& j) { return j["state"] == "starting"; });
  auto change = [&](const std::function<void(json&)>& edit) {
    json config = json::parse(client_->Get("/config")->body);
    edit(config);
    auto post = client_->Post("/config", config.dump(), "application/json");
    ASSERT_TRUE(post && post->status == 200) << (post ? post->body : "no answer");
  };
  const std::string restarted = "upload influxdb: the inputs, outputs, device or time zone changed, restarting";
  change([](json& c) { c["logdays"] = 300; });
  EXPECT_EQ(daemon_->log().find(restarted), std::string::npos) << daemon_->log();
  change([](json& c) { c["outputs"] = {{{"name", "Twice"}, {"units", "Watts"}, {"script", "@1*#2"}}}; });
  for (int i = 0; i < 50 && daemon_->log().find(restarted) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the log reaches the file a little later
  }
  EXPECT_NE(daemon_->log().find(restarted), std::string::npos) << daemon_->log();
  EXPECT_EQ(uploader([](const json& j) { return j["state"] == "starting"; })["state"], "starting");
}

TEST_F(DaemonUpload, UploadTestAnswersOkFalseWithAReason) {
  auto probe = [&](const std::string& body) {
    auto res = client_->Post("/upload/test", body, "application/json");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : httplib::to_string(res.error())) << "\n"
                                           << daemon_->log();
    return res ? json::parse(res->body) : json();
  };
  const json no_server = probe(section().dump());
  EXPECT_EQ(no_server["ok"], false);
  EXPECT_TRUE(no_server["last_point"].is_null());
  EXPECT_NE(no_server["message"].get<std::string>().find(nobody()), std::string::npos) << no_server;
  EXPECT_NE(probe("{\"url\":\"x\"}")["message"].get<std::string>().find("\"type\""), std::string::npos);
  EXPECT_NE(probe("not json")["message"].get<std::string>().find("JSON"), std::string::npos);
  json bad = section();
  bad.erase("database");
  EXPECT_NE(probe(bad.dump())["message"].get<std::string>().find("influxdb.database: missing"), std::string::npos);
}

}  // namespace
}  // namespace iw
