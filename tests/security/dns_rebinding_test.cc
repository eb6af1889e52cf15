// Issue 12, finding 5: a page on attacker.example re-points its name at the monitor (DNS
// rebinding) and reads it as its own origin: Host: attacker.example. With no passwords set
// (the default) /config gives away every uploader key. Requests for names the monitor does not
// have must get 421 and nothing else; its own names and addresses, with or without port, and
// names the admin added (config http.hosts, --allow-host) are answered.
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>

#include "security/raw_http.h"

namespace iw::testing {
namespace {

using nlohmann::json;

const std::string kSecret = "5ec2e7d0c0ffee5ec2e7d0c0ffee5ec2";  // an Emoncms write key (32 hex digits)

class DnsRebinding : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = new SecurityDaemon("dns-rebinding", {"--allow-host", "Proxy.Example.LAN."});
    std::string why;
    ASSERT_TRUE(daemon_->start(&why)) << why;
    // A config with a secret to steal.
    json cfg = json::parse(daemon_->client()->Get("/config")->body);
    cfg["emoncms"] = {{"type", "emoncms"},
                      {"url", "http://127.0.0.1:1"},
                      {"apikey", kSecret},
                      {"node", "iota"},
                      {"outputs", {{{"name", "1"}, {"units", "Watts"}, {"script", "@1"}}}}};
    auto res = daemon_->client()->Post("/config", cfg.dump(), "application/json");
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(daemon_, nullptr);
    cycles_before_ = daemon_->cycles();
  }
  void ExpectMeasuring() {
    EXPECT_TRUE(daemon_->alive());
    long long cycles = -1;
    for (int i = 0; i < 50 && (cycles = daemon_->cycles()) <= cycles_before_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GT(cycles, cycles_before_);
  }
  static int port() { return daemon_->port(); }
  static std::string with_port(const std::string& host) { return host + ":" + std::to_string(port()); }
  static RawAnswer get_config(const std::string& host) { return exchange(port(), "GET", "/config", {"Host: " + host}); }
  // Posts the running config with `hosts` as http.hosts, as an API client.
  static void set_config_hosts(const json& hosts) {
    json cfg = json::parse(daemon_->client()->Get("/config")->body);
    cfg["http"] = {{"hosts", hosts}};
    auto res = daemon_->client()->Post("/config", cfg.dump(), "application/json");
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }

  static SecurityDaemon* daemon_;
  long long cycles_before_ = 0;
};
SecurityDaemon* DnsRebinding::daemon_ = nullptr;

TEST_F(DnsRebinding, TheSecretIsThereToSteal) {
  EXPECT_NE(get_config(with_port("127.0.0.1")).body.find(kSecret), std::string::npos);
}

TEST_F(DnsRebinding, AnAttackersNameGets421AndNothingElse) {
  for (const std::string& host : {with_port("attacker.example"), std::string("attacker.example"),
                                  with_port("127.0.0.1.attacker.example"), with_port("localhost.attacker.example")}) {
    const RawAnswer a = get_config(host);
    EXPECT_EQ(a.status, 421) << host;
    EXPECT_EQ(a.body.find(kSecret), std::string::npos);
    EXPECT_NE(a.body.find("--allow-host"), std::string::npos) << a.body;
    EXPECT_NE(a.body.find("\"http\": {\"hosts\""), std::string::npos) << a.body;
  }
  const RawAnswer a = get_config(with_port("Attacker.Example."));
  EXPECT_NE(a.body.find("'attacker.example'"), std::string::npos) << a.body;
  // Every path and method: the status, the app, and a write.
  for (const char* path : {"/status", "/", "/query?show=series", "/feed/list.json"}) {
    EXPECT_EQ(exchange(port(), "GET", path, {"Host: attacker.example"}).status, 421) << path;
  }
  EXPECT_EQ(
      exchange(port(), "POST", "/config", {"Host: attacker.example", "Content-Type: application/json"}, "{}").status,
      421);
  ExpectMeasuring();
}

TEST_F(DnsRebinding, MalformedHostsGet421) {
  for (const char* host : {"::1", "127.0.0.1:99999", "127.0.0.1:x", "[::1", "a b"}) {
    EXPECT_EQ(get_config(host).status, 421) << host;
  }
  ExpectMeasuring();
}

TEST_F(DnsRebinding, TheMachinesOwnNamesAreAnswered) {
  char buffer[256] = {};
  ASSERT_EQ(gethostname(buffer, sizeof buffer - 1), 0);
  std::string name = buffer;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string label = name.substr(0, name.find('.'));
  for (const std::string& host :
       {with_port("127.0.0.1"), std::string("127.0.0.1"), with_port("localhost"), std::string("LocalHost."),
        with_port("[::1]"), std::string("[0:0::1]"), name, with_port(name), label + ".local",
        with_port("proxy.example.lan"), std::string("PROXY.example.lan")}) {
    const RawAnswer a = get_config(host);
    EXPECT_EQ(a.status, 200) << host << "\n" << a.body;
  }
  ExpectMeasuring();
}

TEST_F(DnsRebinding, Http10WithoutHostIsAnswered) {
  const RawAnswer a = exchange(port(), "GET", "/status", {}, "", true);
  EXPECT_EQ(a.status, 200) << a.head;
}

TEST_F(DnsRebinding, NamesAddedInTheConfigAreAnsweredUntilRemoved) {
  EXPECT_EQ(get_config("iotawatt.example.lan").status, 421);
  set_config_hosts({"IoTaWatt.Example.LAN.", "[fd00::7]"});
  for (const std::string& host :
       {std::string("iotawatt.example.lan"), with_port("IOTAWATT.example.lan."), std::string("[fd00:0::7]:80")}) {
    EXPECT_EQ(get_config(host).status, 200) << host;
  }
  set_config_hosts(json::array());
  EXPECT_EQ(get_config("iotawatt.example.lan").status, 421);
  cycles_before_ = daemon_->cycles();  // each config change restarts measuring
  ExpectMeasuring();
}

TEST_F(DnsRebinding, ABadHostInTheConfigIsRefusedNamingTheKey) {
  json cfg = json::parse(daemon_->client()->Get("/config")->body);
  cfg["http"] = {{"hosts", {"http://iota.lan:8080"}}};
  auto res = daemon_->client()->Post("/config", cfg.dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("http.hosts[0]"), std::string::npos) << res->body;
}

TEST_F(DnsRebinding, ABadAllowHostFlagStopsTheStart) {
  int code = 0;
  const std::string out = run_command(iotawatt_command() + " run --data " + temp_path("bad-flag") +
                                          " --http 127.0.0.1:0 --allow-host http://iota.lan 2>&1",
                                      &code);
  EXPECT_NE(code, 0) << out;
  EXPECT_NE(out.find("is not a host name"), std::string::npos) << out;
}

}  // namespace
}  // namespace iw::testing
