// The HTTP edge with short limits: deadlines, caps, the authorizer before the body, admission
// and streaming with backpressure, against HttpServer itself on loopback.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>

#include "security/security_testing.h"
#include "server/connection_table.h"
#include "server/request_target.h"

namespace iw::server {
namespace {

using namespace std::chrono_literals;
using testing::RawConnection;
using testing::status_of;

EdgeLimits short_limits() {
  EdgeLimits l;
  l.head_deadline = 300ms;
  l.body_deadline = 300ms;
  l.write_deadline = 500ms;
  l.body_bytes = 1000;
  l.connections_per_client = 3;
  l.connections_total = 5;
  return l;
}

struct Fixture {
  explicit Fixture(Authorizer authorize = {}, EdgeLimits limits = short_limits())
      : server(routes(), authorize, limits) {
    EXPECT_TRUE(server.start("127.0.0.1:0"));
  }
  Routes routes() {
    Routes r;
    r.add("POST", "/echo", [this](const HttpRequest& req) {
      ++handled;
      return HttpResponse::text(200, req.body + "|" + req.arg("a"));
    });
    r.add("GET", "/stream", [this](const HttpRequest&) {
      HttpResponse res;
      res.stream = [this](const BodyWriter& write) {
        for (int i = 0; i < 4000; ++i) {
          if (!write(std::string(16384, 'x'))) {
            stream_stopped = true;
            return;
          }
        }
      };
      return res;
    });
    r.add("GET", "/args", [](const HttpRequest& req) {
      std::string out = req.path;
      for (const auto& [k, v] : req.params) out += "|" + k + "=" + v;
      return HttpResponse::text(200, out);
    });
    return r;
  }
  std::string request(const std::string& bytes, const std::string& from = "") {
    RawConnection c(server.port(), from);
    c.send(bytes);
    return c.receive(1000ms);
  }
  std::atomic<int> handled{0};
  std::atomic<bool> stream_stopped{false};
  HttpServer server;
};

TEST(HttpServer, AnswersAndKeepsTheConnectionAlive) {
  Fixture f;
  RawConnection c(f.server.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send("POST /echo?a=%5B1%5D+2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
    std::string answer;
    for (int tries = 0; tries < 20 && answer.find("hello|[1] 2") == std::string::npos; ++tries) {
      answer += c.receive(50ms);
    }
    EXPECT_EQ(status_of(answer), 200) << answer;
    EXPECT_NE(answer.find("hello|[1] 2"), std::string::npos) << answer;
  }
}

TEST(HttpServer, ASilentOrTricklingHeadIsClosedAtTheHeadDeadline) {
  Fixture f;
  RawConnection c(f.server.port());
  ASSERT_TRUE(c.send("GET /args HTTP/1.1\r\n"));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10 && c.send("X: y\r\n"); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(c.closed_by_peer(2000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_GE(f.server.counters().deadlines, 1u);
}

TEST(HttpServer, ASlowBodyIsClosedAtItsDeadlineAndAnOversizedOneGets413) {
  Fixture f;
  RawConnection slow(f.server.port());
  ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.closed_by_peer(2000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  const std::string big = f.request("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n");
  EXPECT_EQ(status_of(big), 413) << big;
  std::string chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "190\r\n" + std::string(400, 'a') + "\r\n";
  const std::string cut = f.request(chunked);
  EXPECT_EQ(status_of(cut), 413) << cut;
  EXPECT_EQ(f.handled, 0);
}

TEST(HttpServer, TheAuthorizerSeesTheHeadAndARefusedBodyIsNeverRead) {
  std::atomic<size_t> body_seen{99};
  Fixture f([&](const HttpRequest& head) -> std::optional<HttpResponse> {
    body_seen = head.body.size();
    return HttpResponse::text(401, "who are you");
  });
  RawConnection c(f.server.port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n"));
  const std::string answer = c.receive(1000ms);
  EXPECT_EQ(status_of(answer), 401);
  EXPECT_EQ(body_seen, 0u);
  EXPECT_EQ(f.handled, 0);
}

TEST(HttpServer, ExpectContinueIsAnsweredOnlyAfterTheAuthorizerLetsThrough) {
  Fixture f;
  RawConnection c(f.server.port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(status_of(c.receive(200ms)), 100);
  ASSERT_TRUE(c.send("ok"));
  const std::string answer = c.receive(300ms);
  EXPECT_EQ(status_of(answer), 200) << answer;
}

TEST(HttpServer, ANewConnectionTakesTheWaitingPlaceOfTheOldestFromTheSameClient) {
  Fixture f;
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(std::make_unique<RawConnection>(f.server.port(), "127.0.0.9"));
  std::this_thread::sleep_for(50ms);
  const std::string answer = f.request("GET /args HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.0.9");
  EXPECT_EQ(status_of(answer), 200) << answer;
  EXPECT_TRUE(idle[0]->closed_by_peer(500ms));
  EXPECT_GE(f.server.counters().evicted, 1u);
}

TEST(HttpServer, AStreamToAReaderThatStopsReadingIsCutAtTheWriteDeadline) {
  Fixture f;
  RawConnection c(f.server.port());
  ASSERT_TRUE(c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Never read: the pipe fills, the write deadline passes, the producer is told to stop.
  for (int i = 0; i < 40 && !f.stream_stopped; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(f.stream_stopped);
}

TEST(HttpServer, StreamsAWholeAnswerInChunks) {
  Fixture f;
  RawConnection c(f.server.port());
  ASSERT_TRUE(c.send("GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  const std::string answer = c.receive(2000ms);
  EXPECT_EQ(status_of(answer), 200);
  EXPECT_NE(answer.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_GT(answer.size(), 4000u * 16384);
  EXPECT_EQ(answer.substr(answer.size() - 5), "0\r\n\r\n");
}

TEST(HttpServer, NotHttpGets400) {
  Fixture f;
  EXPECT_EQ(status_of(f.request("HELLO THERE\r\n\r\n")), 400);
}

TEST(RequestTarget, SplitsAndDecodes) {
  std::string path;
  Params params;
  split_target("/a%20b/c?x=%5B1%5D&flag&y=a+b&&z=%zz", &path, &params);
  EXPECT_EQ(path, "/a b/c");
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params[0], (std::pair<std::string, std::string>{"x", "[1]"}));
  EXPECT_EQ(params[1], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(params[2], (std::pair<std::string, std::string>{"y", "a b"}));
  EXPECT_EQ(params[3], (std::pair<std::string, std::string>{"z", "%zz"}));
  params.clear();
  split_target("http://host:80/q?a=1", &path, &params);
  EXPECT_EQ(path, "/q");
  EXPECT_EQ(params.size(), 1u);
  split_target("", &path, &params);
  EXPECT_EQ(path, "/");
}

TEST(ConnectionTable, GivesWayOnlyWithWaitingConnections) {
  ConnectionTable t(2, 3);
  const auto a = t.admit("A"), b = t.admit("A");
  ASSERT_TRUE(a.admitted && b.admitted);
  t.set_busy(a.id, true);
  const auto c = t.admit("A");  // per-client limit: b (waiting) gives way, a (busy) does not
  ASSERT_TRUE(c.admitted);
  EXPECT_EQ(c.evicted, b.id);
  t.set_busy(c.id, true);
  EXPECT_FALSE(t.admit("A").admitted);  // both busy
  const auto d = t.admit("B");
  ASSERT_TRUE(d.admitted);
  EXPECT_FALSE(d.evicted);
  const auto e = t.admit("C");  // total limit, every A busy: B's waiting one gives way
  ASSERT_TRUE(e.admitted);
  EXPECT_EQ(e.evicted, d.id);
  EXPECT_EQ(t.size(), 3u);
  t.remove(a.id);
  t.remove(a.id);
  EXPECT_EQ(t.count("A"), 1u);
}

}  // namespace
}  // namespace iw::server
