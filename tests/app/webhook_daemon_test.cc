// Step events to a webhook, on the running daemon and a real HTTP server on 127.0.0.1: every
// event the event log stores arrives once, with the fields GET /events gives it and a
// signature the receiver can check; a batch the server refused (500) comes again; the events
// stored while the server was down arrive when it is back. The simulator plays
// appliance-events-230v-50hz 10x faster than the wall clock, so steps come every few seconds.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "app/assembly.h"
#include "app/daemon_process.h"
#include "config/config_writer.h"

namespace iw {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::DaemonProcess;
using EventKey = std::pair<double, int>;  // time, channel: one event

const std::string kSecret = "It's a Secret to Everybody";

EventKey key_of(const json& e) { return {e["time"].get<double>(), e["channel"].get<int>()}; }

// The receiver's check, written here with OpenSSL directly (not the daemon's code).
std::string expected_signature(const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  std::string hex = "sha256=";
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", mac[i]);
  return hex;
}

// A webhook receiver on a loopback port: records every request and answers with `answer`
// (200 unless a test says otherwise). stop() and start() again on the same port play an outage.
class Receiver {
 public:
  struct Request {
    std::string body, signature, content_type;
    int answered = 0;
  };

  Receiver() : port_(testing::free_port()) {}
  ~Receiver() { stop(); }

  void start() {
    server_ = std::make_unique<httplib::Server>();
    server_->Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      Request r{req.body, req.get_header_value("X-IoTaWatt-Signature"), req.get_header_value("Content-Type"), 0};
      r.answered = fail_next_ > 0 ? 500 : 200;
      if (fail_next_ > 0) --fail_next_;
      requests_.push_back(r);
      res.status = r.answered;
      res.set_content(r.answered == 200 ? "ok" : "try later", "text/plain");
    });
    ASSERT_TRUE(server_->bind_to_port("127.0.0.1", port_));
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // Bound and listening: a connection waits in the backlog until the thread accepts it.
  }
  void stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }
  void fail_next(int n) {
    std::lock_guard lock(mu_);
    fail_next_ = n;
  }
  std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // The events of the requests answered 200, with how many times each arrived.
  std::map<EventKey, std::vector<json>> delivered() const {
    std::map<EventKey, std::vector<json>> out;
    for (const Request& r : requests()) {
      if (r.answered != 200) continue;
      const json body = json::parse(r.body);  // alive through the loop (a temporary would not be)
      for (const json& e : body["events"]) out[key_of(e)].push_back(e);
    }
    return out;
  }
  // Waits up to `timeout` for `done(delivered())`.
  template <typename Pred>
  bool wait_until(Pred done, std::chrono::seconds timeout) const {
    for (auto deadline = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < deadline;) {
      if (done(delivered())) return true;
      std::this_thread::sleep_for(100ms);
    }
    return done(delivered());
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

 private:
  const int port_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Request> requests_;  // guarded by mu_
  int fail_next_ = 0;              // guarded by mu_
};

class WebhookEvents : public ::testing::Test {
 protected:
  void SetUp() override { receiver_.start(); }

  void start_daemon() {
    auto config = app::scenario_config("appliance-events-230v-50hz");
    ASSERT_TRUE(config.ok()) << config.error();
    json cfg = config::serialize(config.value());
    cfg["webhook"] = {{"url", receiver_.url()}, {"secret", kSecret}, {"timeout_s", 5}};
    const std::string path = testing::temp_path("webhook-events.json");
    std::ofstream(path) << cfg.dump(2);
    http_port_ = testing::free_port();
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"run", "--config", path, "--data", testing::temp_path("webhook-events-data"), "--http",
                                 "127.0.0.1:" + std::to_string(http_port_), "--sim", "appliance-events-230v-50hz",
                                 "--speed", "10"},
        testing::temp_path("webhook-events.log"));
  }
  // GET `target` as JSON, retried while the daemon starts.
  json get(const std::string& target) {
    httplib::Client client("127.0.0.1", http_port_);
    for (int i = 0; i < 100; ++i) {
      auto res = client.Get(target);
      if (res && res->status == 200) return json::parse(res->body);
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "GET " << target << " never answered\n" << daemon_->log();
    return json::object();
  }
  // Every event /events holds, by event (UNIX seconds 2001 to 2100: the simulated clock runs ahead).
  std::map<EventKey, json> stored() {
    std::map<EventKey, json> out;
    const json answer = get("/events?begin=1000000000&end=4102444800&limit=10000");
    for (const json& e : answer["events"]) out[key_of(e)] = e;
    return out;
  }
  json webhook_status() {
    const json answer = get("/status?uploaders");
    for (const json& u : answer["uploaders"]) {
      if (u["name"] == "webhook") return u;
    }
    return json::object();
  }

  Receiver receiver_;
  int http_port_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(WebhookEvents, EachStoredEventArrivesOnceSignedWithTheFieldsOfGetEvents) {
  start_daemon();
  ASSERT_TRUE(receiver_.wait_until([](const auto& got) { return got.size() >= 3; }, 60s)) << daemon_->log();
  for (const Receiver::Request& r : receiver_.requests()) {
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.signature, expected_signature(r.body)) << r.body;
    const json body = json::parse(r.body);
    EXPECT_EQ(body["device"], "Events");  // the scenario's device name
    EXPECT_FALSE(body.contains("test"));
    EXPECT_GE(body["events"].size(), 1u);
    EXPECT_LE(body["events"].size(), 100u);
  }
  const std::map<EventKey, json> kept = stored();
  for (const auto& [key, copies] : receiver_.delivered()) {
    EXPECT_EQ(copies.size(), 1u) << copies.front();  // once
    ASSERT_TRUE(kept.contains(key)) << "sent but not stored: " << copies.front();
    EXPECT_EQ(copies.front(), kept.at(key));  // field for field what /events gives
  }
  const json status = webhook_status();
  EXPECT_EQ(status["type"], "webhook") << status;
  EXPECT_GE(status["events_delivered"].get<uint64_t>(), 3u) << status;
  EXPECT_EQ(status["last_error"], "");
  EXPECT_EQ(daemon_->log().find(kSecret), std::string::npos);  // the secret is never logged
}

TEST_F(WebhookEvents, ABatchTheServerRefusedComesAgain) {
  receiver_.fail_next(1000);  // until the test has seen two refusals
  start_daemon();
  // The refused events, once the server accepts, are delivered: none is lost.
  std::set<EventKey> refused;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; receiver_.requests().size() < 2;) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << daemon_->log();
    std::this_thread::sleep_for(100ms);
  }
  for (const Receiver::Request& r : receiver_.requests()) {
    ASSERT_EQ(r.answered, 500);
    const json body = json::parse(r.body);
    for (const json& e : body["events"]) refused.insert(key_of(e));
  }
  ASSERT_FALSE(refused.empty());
  EXPECT_NE(webhook_status()["last_error"].get<std::string>().find("HTTP 500 from 127.0.0.1"), std::string::npos);
  receiver_.fail_next(0);
  ASSERT_TRUE(receiver_.wait_until(
      [&](const auto& got) {
        return std::all_of(refused.begin(), refused.end(), [&](const EventKey& k) { return got.contains(k); });
      },
      30s))
      << daemon_->log();
  for (const auto& [key, copies] : receiver_.delivered()) EXPECT_EQ(copies.size(), 1u) << copies.front();
  EXPECT_NE(daemon_->log().find("webhook: HTTP 500 from 127.0.0.1"), std::string::npos);
}

TEST_F(WebhookEvents, EventsStoredWhileTheServerWasDownArriveWhenItIsBack) {
  start_daemon();
  ASSERT_TRUE(receiver_.wait_until([](const auto& got) { return !got.empty(); }, 60s)) << daemon_->log();
  receiver_.stop();
  const std::map<EventKey, json> before = stored();
  std::set<EventKey> meanwhile;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; meanwhile.size() < 2;) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << daemon_->log();
    std::this_thread::sleep_for(250ms);
    for (const auto& [key, e] : stored()) {
      if (!before.contains(key)) meanwhile.insert(key);
    }
  }
  // The daemon has tried and failed meanwhile.
  for (auto deadline = std::chrono::steady_clock::now() + 30s; webhook_status()["state"] != "retrying";) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << webhook_status();
    std::this_thread::sleep_for(100ms);
  }
  receiver_.start();
  // Backoff is at most a minute; at 10x a step comes every few seconds.
  ASSERT_TRUE(receiver_.wait_until(
      [&](const auto& got) {
        return std::all_of(meanwhile.begin(), meanwhile.end(), [&](const EventKey& k) { return got.contains(k); });
      },
      90s))
      << daemon_->log();
  const std::map<EventKey, json> kept = stored();
  for (const auto& [key, copies] : receiver_.delivered()) {
    EXPECT_EQ(copies.size(), 1u) << copies.front();
    EXPECT_EQ(copies.front(), kept.at(key));
  }
}

}  // namespace
}  // namespace iw
