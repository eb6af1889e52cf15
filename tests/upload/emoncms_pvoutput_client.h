// Test helpers shared by the Emoncms and PVOutput tests: send a protocol's HttpRequest with
// cpp-httplib's client (the engine's libcurl transport is not part of these tests), and run a
// cpp-httplib server on 127.0.0.1 at a random port.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <strings.h>

#include <chrono>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>

#include "server/background_listen.h"
#include "upload/protocol.h"

namespace iw::upload::testing {

// Sends `request` (an absolute http:// URL) and returns the answer; status 0 when no answer
// came within `timeout` (connection refused, slow server), as a transport reports it.
inline HttpResponse send(const HttpRequest& request, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const std::string url = request.url;
  const size_t host_begin = url.find("://") + 3;
  const size_t path_begin = url.find('/', host_begin);
  const std::string origin = url.substr(0, path_begin);
  const std::string path = path_begin == std::string::npos ? "/" : url.substr(path_begin);
  httplib::Client client(origin);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  httplib::Headers headers;
  std::string content_type = "text/plain";
  for (const auto& [k, v] : request.headers) {
    if (strcasecmp(k.c_str(), "Content-Type") == 0) {
      content_type = v;
    } else {
      headers.emplace(k, v);
    }
  }
  const httplib::Result r =
      request.method == "GET" ? client.Get(path, headers) : client.Post(path, headers, request.body, content_type);
  HttpResponse out;
  if (!r) return out;
  out.status = r->status;
  out.body = r->body;
  for (const auto& [k, v] : r->headers) out.headers.emplace_back(k, v);
  return out;
}

// A cpp-httplib server on 127.0.0.1, random port, its accept loop on a thread.
class LoopbackServer {
 public:
  LoopbackServer() = default;
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer() { stop(); }

  httplib::Server& http() { return server_; }
  // REQUIRES: routes are set up. Listens before returning, so requests may follow at once.
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("test server: cannot bind 127.0.0.1");
    thread_ = iw::testing::listen_in_background(server_);
  }
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  // After stop(): listens again on the same port (connections were refused meanwhile).
  void restart() {
    if (!server_.bind_to_port("127.0.0.1", port_)) throw std::runtime_error("test server: cannot bind again");
    thread_ = iw::testing::listen_in_background(server_);
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// URL decoding as PHP's and Java's form parsers do it ('+' is a space, %XX a byte).
inline std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// An answer and what the protocol must make of it.
struct AnswerCase {
  HttpResponse answer;
  PostOutcome outcome;
  std::string message;  // part of the verdict's message
};

inline void expect_answer_verdicts(const Protocol& protocol, const std::vector<AnswerCase>& cases) {
  for (const AnswerCase& c : cases) {
    const PostVerdict v = protocol.parse_post_response(c.answer);
    EXPECT_EQ(v.outcome, c.outcome) << c.answer.status << " " << c.answer.body << ": " << v.message;
    EXPECT_THAT(v.message, ::testing::HasSubstr(c.message));
  }
}

// A failure a test server produces on demand and what the protocol must make of it.
template <typename Failure>
struct FailureCase {
  Failure failure;
  PostOutcome outcome;
  std::string message;  // part of the verdict's message
};

// Sends `request` once per case with the server failing as the case says (the client waits
// 500 ms, so a slow answer is no answer), checks each verdict, then sends it once more with
// no failure and expects it accepted.
template <typename Server, typename Failure>
void expect_failure_verdicts(const Protocol& protocol, Server& server, const std::vector<IntervalValues>& intervals,
                             const std::vector<FailureCase<Failure>>& cases) {
  for (const FailureCase<Failure>& c : cases) {
    server.fail_next(c.failure);
    const PostVerdict v =
        protocol.parse_post_response(send(protocol.post_request(intervals), std::chrono::milliseconds(500)));
    EXPECT_EQ(v.outcome, c.outcome) << "failure " << static_cast<int>(c.failure) << ": " << v.message;
    EXPECT_THAT(v.message, ::testing::HasSubstr(c.message));
  }
  EXPECT_EQ(protocol.parse_post_response(send(protocol.post_request(intervals))).outcome, PostOutcome::kAccepted);
}

}  // namespace iw::upload::testing
