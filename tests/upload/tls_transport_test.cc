// The libcurl transport over real TLS: a throwaway CA and server certificate made with the
// openssl tool, cpp-httplib's SSLServer on 127.0.0.1. The right CA file passes; another CA
// and the system store are refused, with a message that names the host and the reason.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "app/daemon_process.h"
#include "server/background_listen.h"
#include "upload/curl_transport.h"

namespace iw::upload {
namespace {

TransportOptions with_ca(const std::string& cafile) {
  TransportOptions o;
  o.cafile = cafile;
  return o;
}

std::string dir() {
  static const std::string d = [] {
    const auto p = std::filesystem::temp_directory_path() / ("iw-tls-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(p);
    return p.string();
  }();
  return d;
}

int sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

void make_ca(const std::string& name) {
  ASSERT_EQ(sh("cd " + dir() + " && openssl req -x509 -newkey rsa:2048 -nodes -keyout " + name + ".key -out " + name +
               ".pem -days 2 -subj /CN=" + name),
            0);
}

class TlsTransport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    make_ca("good-ca");
    make_ca("other-ca");
    const std::string d = dir();
    ASSERT_EQ(sh("cd " + d +
                 " && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1"),
              0);
    ASSERT_EQ(sh("cd " + d +
                 " && printf 'subjectAltName=IP:127.0.0.1' > san.ext && openssl x509 -req -in server.csr "
                 "-CA good-ca.pem -CAkey good-ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext"),
              0);
    server_ = new httplib::SSLServer((d + "/server.pem").c_str(), (d + "/server.key").c_str());
    ASSERT_TRUE(server_->is_valid());
    server_->Post("/write", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 204;
      res.set_header("X-Body-Bytes", std::to_string(req.body.size()));
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = new std::thread(iw::testing::listen_in_background(*server_));
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    std::filesystem::remove_all(dir());
  }
  static HttpRequest request() {
    HttpRequest r;
    r.url = "https://127.0.0.1:" + std::to_string(port_) + "/write?db=x";
    r.body = "m value=1 1700000000\n";
    return r;
  }
  static inline httplib::SSLServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(TlsTransport, TheRightCaFilePasses) {
  CurlTransport t(with_ca(dir() + "/good-ca.pem"));
  auto r = t.send(request());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->status, 204);
  bool saw = false;
  for (const auto& [k, v] : r->headers) saw = saw || (k == "X-Body-Bytes" && v == "21");
  EXPECT_TRUE(saw);
}

TEST_F(TlsTransport, AnotherCaIsRefusedWithAClearMessage) {
  CurlTransport t(with_ca(dir() + "/other-ca.pem"));
  auto r = t.send(request());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("127.0.0.1:" + std::to_string(port_)), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("certificate"), std::string::npos) << r.error();
}

TEST_F(TlsTransport, TheSystemStoreDoesNotKnowATestCa) {
  CurlTransport t(with_ca(""));
  auto r = t.send(request());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("certificate"), std::string::npos) << r.error();
}

TEST_F(TlsTransport, AMissingCaFileIsNamed) {
  CurlTransport t(with_ca(dir() + "/nope.pem"));
  auto r = t.send(request());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("127.0.0.1"), std::string::npos) << r.error();
}

TEST(Transport, NoServerAndTimeoutsAreErrorsThatNameTheHost) {
  TransportOptions o;
  o.connect_timeout_ms = 500;
  o.total_timeout_ms = 1000;
  CurlTransport t(o);
  HttpRequest r;
  const std::string nobody = "127.0.0.1:" + std::to_string(iw::testing::free_port());  // nothing listens there
  r.url = "http://" + nobody + "/write";
  auto res = t.send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().find(nobody), std::string::npos) << res.error();
}

// A server that answers far more than any protocol does (a wrong URL, a hostile host on the
// LAN): the transport stops reading at its limits, whether the length is announced, chunked
// or spread over headers, and says so.
TEST(Transport, AnAnswerBeyondTheLimitsIsRefusedNotRead) {
  httplib::Server server;
  server.Get("/sized", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(3000, 'x'), "text/plain");
  });
  server.Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
      if (offset >= (size_t{64} << 20)) return false;  // the test stops it long before
      const std::string block(1000, 'y');
      return sink.write(block.data(), block.size());
    });
  });
  server.Get("/headers", [](const httplib::Request&, httplib::Response& res) {
    for (int i = 0; i < 200; ++i) res.set_header("X-Filler-" + std::to_string(i), std::string(100, 'z'));
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread(iw::testing::listen_in_background(server));
  TransportOptions o;
  o.max_body_bytes = 2048;
  o.max_header_bytes = 4096;
  CurlTransport t(o);
  auto get = [&](const std::string& path) {
    HttpRequest r;
    r.method = "GET";
    r.url = "http://127.0.0.1:" + std::to_string(port) + path;
    return t.send(r);
  };
  for (const char* path : {"/sized", "/chunked", "/headers"}) {
    auto res = get(path);
    ASSERT_FALSE(res.ok()) << path;
    EXPECT_NE(res.error().find("the answer is larger than 2 KiB of body or 4 KiB of headers"), std::string::npos)
        << path << ": " << res.error();
    EXPECT_EQ(t.last_failure(), TransportFailure::kNoHttpAnswer);
  }
  o.max_body_bytes = 3000;  // exactly the limit is read
  CurlTransport fits(o);
  HttpRequest r;
  r.method = "GET";
  r.url = "http://127.0.0.1:" + std::to_string(port) + "/sized";
  auto res = fits.send(r);
  ASSERT_TRUE(res.ok()) << res.error();
  EXPECT_EQ(res.value().body.size(), 3000u);
  server.stop();
  thread.join();
}

}  // namespace
}  // namespace iw::upload
