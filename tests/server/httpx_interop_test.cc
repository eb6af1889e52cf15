// Real clients against DigestAuth: a local httplib server that authenticates every request
// with DigestAuth and access_for(), driven by tests/server/httpx_digest_client.py (httpx, the
// library Home Assistant uses) and by curl --digest. Skipped when a client is not installed.
// This is also how the two clients were seen to pick the MD5 challenge when SHA-256 is
// offered second.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "server/auth/access_level.h"
#include "server/auth/digest_auth.h"
#include "server/background_listen.h"

namespace iw::server {
namespace {

class InteropServer {
 public:
  InteropServer() : auth_(make_credentials("IotaWatt", "secret1", "viewer2", false), LoopbackIsWan()) {
    // Authenticate inside route handlers, not in a pre-routing handler: cpp-httplib 0.11.4
    // runs the pre-routing handler before it reads the request body, so a 401 sent from
    // there leaves a POST body in the kept-alive connection and the client's retry is
    // parsed from the wrong bytes (400).
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      const AuthDecision d =
          auth_.check({req.method, req.target, req.get_header_value("Authorization"), req.remote_addr},
                      access_for(req.method, req.path));
      if (d.allowed) {
        res.set_content(d.role + " " + req.get_header_value("Authorization"), "text/plain");
        return;
      }
      res.status = d.status;
      for (const auto& [name, value] : d.headers) res.set_header(name, value);
      res.set_content(d.body, d.content_type.c_str());
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    // bind_to_any_port also listens: connections queue until the accept loop starts.
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = iw::testing::listen_in_background(server_);
  }
  ~InteropServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  static DigestAuthOptions LoopbackIsWan() {
    DigestAuthOptions o;
    o.is_lan_client = [](const std::string&) { return false; };
    return o;
  }
  DigestAuth auth_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

int Shell(const std::string& command) {
  const int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(HttpxInterop, HomeAssistantClientLogsIn) {
  InteropServer server;
  ASSERT_GT(server.port(), 0);
  const int rc = Shell("/usr/bin/python3 " IOTAWATT_SOURCE_DIR "/tests/server/httpx_digest_client.py " +
                       std::to_string(server.port()));
  ASSERT_NE(rc, 77) << "python3-httpx is not installed (bash scripts/setup.sh installs it)";
  EXPECT_EQ(rc, 0);
}

TEST(HttpxInterop, CurlDigestLogsIn) {
  ASSERT_EQ(Shell("command -v curl >/dev/null 2>&1"), 0) << "curl is not installed (bash scripts/setup.sh installs it)";
  InteropServer server;
  const std::string url = "'http://127.0.0.1:" + std::to_string(server.port()) + "/status?wifi=yes'";
  // curl 7.88 answers the first Digest challenge (MD5), like httpx.
  EXPECT_EQ(Shell("curl -sf --digest -u admin:secret1 " + url + " | grep -q '^admin Digest'"), 0);
  EXPECT_EQ(Shell("curl -sf --digest -u user:viewer2 " + url + " | grep -q '^user Digest'"), 0);
  EXPECT_NE(Shell("curl -sf --digest -u admin:nope " + url + " >/dev/null"), 0);
}

}  // namespace
}  // namespace iw::server
