// Issue 12, finding 12: POST /upload/test asks a server of the admin's choosing. It must not
// become a LAN port scanner or a proxy that reads other hosts' pages: a closed port and a
// port where something other than HTTP listens read the same, and an HTTP answer gives its
// status code and our hint, never its body. It stays admin-only.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <regex>
#include <string>
#include <thread>

#include "security/digest_client.h"
#include "security/security_testing.h"
#include "server/background_listen.h"

namespace iw::testing {
namespace {

// Accepts connections on a loopback port and answers each with a line that is not HTTP.
class NotHttpListener {
 public:
  NotHttpListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 8);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        const int c = accept(fd_, nullptr, nullptr);
        if (c < 0) continue;
        const std::string banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
        ::send(c, banner.data(), banner.size(), MSG_NOSIGNAL);
        close(c);
      }
    });
  }
  ~NotHttpListener() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class UploadProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(daemon_.start(&why)) << why;
  }
  static nlohmann::json influx_at(int port) {
    return {{"type", "influxdb"},
            {"revision", 1},
            {"url", "http://127.0.0.1:" + std::to_string(port)},
            {"database", "iota"},
            {"postInterval", 5},
            {"outputs", {{{"name", "Mains"}, {"units", "Watts"}, {"script", "@1"}}}}};
  }
  // The answer's message, with the port replaced by "PORT".
  std::string probe(int port) {
    auto res = daemon_.client()->Post("/upload/test", influx_at(port).dump(), "application/json");
    EXPECT_TRUE(res && res->status == 200);
    if (!res) return "";
    const auto answer = nlohmann::json::parse(res->body);
    EXPECT_EQ(answer["ok"], false) << answer;
    return std::regex_replace(answer["message"].get<std::string>(), std::regex(std::to_string(port)), "PORT");
  }

  SecurityDaemon daemon_{"upload-probe"};
};

TEST_F(UploadProbe, ClosedPortAndNonHttpServiceReadTheSame) {
  NotHttpListener ssh;
  const std::string closed = probe(free_port());
  EXPECT_EQ(closed,
            "127.0.0.1:PORT: no HTTP answer (nothing listening, a firewall, or not an HTTP server): "
            "check the URL and port");
  EXPECT_EQ(probe(ssh.port()), closed);
}

TEST_F(UploadProbe, AnHttpAnswerGivesItsStatusAndOurHintNotItsBody) {
  httplib::Server lan_host;
  const auto page = [](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
    res.set_content("<html>router admin page: serial RT-42-SECRET</html>", "text/html");
  };
  lan_host.Get(".*", page);
  lan_host.Post(".*", page);
  const int port = lan_host.bind_to_any_port("127.0.0.1");
  std::thread serving = listen_in_background(lan_host);
  const std::string message = probe(port);
  lan_host.stop();
  serving.join();
  EXPECT_EQ(message, "HTTP 401 from 127.0.0.1:PORT: check the user name and password, token or API key");
  EXPECT_EQ(message.find("SECRET"), std::string::npos);
}

TEST_F(UploadProbe, OnlyTheAdminMayProbe) {
  ASSERT_EQ(set_passwords(daemon_.port(), R"({"newadmin":"admin-pass-1","newuser":"viewer-pass-1"})").status, 200);
  const std::string body = influx_at(free_port()).dump();
  const Answer challenge = exchange(daemon_.port(), "", "POST", "/upload/test", "", body);
  ASSERT_EQ(challenge.status, 401);
  const DigestCredentials user_login{"user", "viewer-pass-1"};
  const Answer user = exchange(daemon_.port(), "", "POST", "/upload/test",
                               digest_authorization(user_login, challenge.nonce(), "POST", "/upload/test"), body);
  EXPECT_EQ(user.status, 403);
}

}  // namespace
}  // namespace iw::testing
