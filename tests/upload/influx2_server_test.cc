// InfluxDB 2.x end to end over HTTP: the engine with the real libcurl transport against a
// small server in this file that implements /api/v2/write and /api/v2/query as documented
// (protocols.md 4.3): token check (401), 429 with Retry-After, 500, 204 on success, and a CSV
// answer with CRLF line ends to the last-point query.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "server/background_listen.h"
#include "upload/curl_transport.h"
#include "upload/fake_influx.h"
#include "upload/influx2.h"
#include "upload/uploader.h"

namespace iw::upload {
namespace {

constexpr int64_t kT0 = 1'700'000'000;
constexpr char kToken[] = "s3cret-token==";

class Influx2Server {
 public:
  Influx2Server() {
    server_.Post("/api/v2/write", [this](const httplib::Request& req, httplib::Response& res) { write(req, res); });
    server_.Post("/api/v2/query", [this](const httplib::Request& req, httplib::Response& res) { query(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = iw::testing::listen_in_background(server_);
  }
  ~Influx2Server() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Next answers to writes: each entry is a status to give instead of storing.
  void fail_next(std::vector<int> statuses) {
    std::lock_guard lock(mu_);
    failures_ = std::move(statuses);
  }
  std::map<int64_t, int> deliveries() const {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  int refused() const {
    std::lock_guard lock(mu_);
    return refused_;
  }
  std::string last_flux() const {
    std::lock_guard lock(mu_);
    return flux_;
  }

 private:
  bool authorized(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == std::string("Token ") + kToken) return true;
    res.status = 401;
    res.set_content(R"({"code":"unauthorized","message":"unauthorized access"})", "application/json");
    return false;
  }
  void write(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    std::lock_guard lock(mu_);
    if (req.get_param_value("orgID") != "0123456789abcdef" || req.get_param_value("bucket") != "home" ||
        req.get_param_value("precision") != "s") {
      res.status = 400;
      res.set_content(R"({"code":"invalid","message":"bad parameters"})", "application/json");
      return;
    }
    if (!failures_.empty()) {
      res.status = failures_.front();
      failures_.erase(failures_.begin());
      ++refused_;
      if (res.status == 429 || res.status == 503) res.set_header("Retry-After", "30");
      res.set_content(R"({"code":"too many requests"})", "application/json");
      return;
    }
    std::istringstream in(req.body);
    for (std::string line; std::getline(in, line);) deliveries_[std::stoll(line.substr(line.rfind(' ') + 1))] += 1;
    res.status = 204;
  }
  void query(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    std::lock_guard lock(mu_);
    flux_ = req.body;
    if (req.get_header_value("Content-Type") != "application/vnd.flux" || req.get_param_value("orgID").empty()) {
      res.status = 400;
      return;
    }
    std::string csv = ",result,table,_measurement,_time\r\n";
    if (!deliveries_.empty()) csv += ",_result,0,Main," + std::to_string(deliveries_.rbegin()->first) + "\r\n";
    res.set_content(csv + "\r\n", "text/csv; charset=utf-8");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<int> failures_;
  std::map<int64_t, int> deliveries_;
  int refused_ = 0;
  std::string flux_;
};

Influx2Protocol protocol(const std::string& url, const std::string& token) {
  config::Influx2Config c;
  c.bucket = "home";
  c.orgid = "0123456789abcdef";
  c.token = token;
  return Influx2Protocol(parse_base_url(url).value(), c, "Iota", {{"Main", "Watts", 2}});
}

UploaderSettings settings(const std::string& name) {
  UploaderSettings s;
  s.name = name;
  s.type = "influxdb2";
  s.target = "test";
  s.cursor_path =
      (std::filesystem::temp_directory_path() / ("iw-influx2-" + std::to_string(getpid()) + name + ".json")).string();
  std::filesystem::remove(s.cursor_path);
  s.begdate = kT0;
  s.max_request_bytes = 2000;
  return s;
}

void run(Uploader& u, testing::FakeClock& clock, int steps) {
  for (int i = 0; i < steps; ++i) clock.now = std::max(clock.now + 1, u.step(clock.now));
}

TEST(Influx2Server, RateLimitsAndErrorsLoseNothingAndRestartsResumeFromTheServer) {
  Influx2Server server;
  testing::FakeSource source;
  source.measurements = 1;
  source.last = kT0 + 3000;
  testing::FakeClock clock;
  CurlTransport transport(TransportOptions{});
  const auto p = protocol(server.url(), kToken);
  {
    Uploader u(settings("a"), p, transport, source);
    run(u, clock, 3);  // start, then a few posts
    server.fail_next({429, 503, 500});
    const int64_t before = clock.now;
    const int64_t wake = u.step(clock.now);
    EXPECT_GE(wake - before, 30'000);  // Retry-After: 30
    EXPECT_EQ(u.status().state, UploaderState::kRetrying);
    EXPECT_NE(u.status().last_error.find("429"), std::string::npos) << u.status().last_error;
    run(u, clock, 200);
    EXPECT_EQ(server.refused(), 3);
    EXPECT_EQ(u.status().state, UploaderState::kLive);
  }
  auto got = server.deliveries();
  ASSERT_EQ(got.size(), 300u);
  for (const auto& [t, n] : got) EXPECT_EQ(n, 1) << t;
  EXPECT_NE(server.last_flux().find("from(bucket: \"home\")"), std::string::npos);

  // A restart without the cursor file: the server's last point says where to go on.
  source.last = kT0 + 3500;
  Uploader again(settings("a"), p, transport, source);
  run(again, clock, 50);
  got = server.deliveries();
  ASSERT_EQ(got.size(), 350u);
  for (const auto& [t, n] : got) EXPECT_EQ(n, 1) << t;
}

TEST(Influx2Server, AWrongTokenIsRejectedNotRetriedInALoop) {
  Influx2Server server;
  testing::FakeSource source;
  source.measurements = 1;
  source.last = kT0 + 100;
  testing::FakeClock clock;
  CurlTransport transport(TransportOptions{});
  const auto p = protocol(server.url(), "wrong");
  Uploader u(settings("b"), p, transport, source);
  run(u, clock, 20);
  // No cursor and the query is refused: it cannot know where to start, so it waits and asks again.
  EXPECT_EQ(u.status().state, UploaderState::kStarting);
  EXPECT_NE(u.status().last_error.find("authentication failed"), std::string::npos) << u.status().last_error;
  // With a cursor it goes on to post, and the post is rejected.
  UploaderSettings s = settings("c");
  ASSERT_TRUE(save_cursor(s.cursor_path, Cursor{kT0, std::nullopt, "test"}).ok());
  Uploader with_cursor(s, p, transport, source);
  run(with_cursor, clock, 3);
  EXPECT_EQ(with_cursor.status().state, UploaderState::kRejected);
  EXPECT_NE(with_cursor.status().last_error.find("401"), std::string::npos) << with_cursor.status().last_error;
  EXPECT_TRUE(server.deliveries().empty());
}

}  // namespace
}  // namespace iw::upload
