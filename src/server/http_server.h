// The daemon's HTTP edge: Boost.Beast on one Asio I/O thread reads and writes every
// connection without blocking, so a slow or silent client holds no thread; complete requests
// run on a small pool of worker threads (handlers may take time: a year-long query). The
// order of a request is: head (limits and deadline of EdgeLimits), then the Authorizer on the
// head alone, and only if it lets the request through, the body. So an unauthenticated or
// cross-site request never costs more than its head. Plain HTTP and HTTPS (OpenSSL) listeners
// share one set of limits, routes and workers. README.md in this folder gives the reasons.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "server/edge_limits.h"
#include "server/http.h"
#include "server/tls_identity.h"

namespace iw::server {

// Runs on the request head, before the body is read (`body` is empty). A returned response
// (401 challenge, 403, 421, 429) is sent instead of the route's and the connection is closed.
using Authorizer = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

// What the edge refused or cut, since start (for /metrics and the abuse benchmark).
struct EdgeCounters {
  uint64_t connections = 0;   // admitted
  uint64_t evicted = 0;       // waiting connections closed to admit a new one
  uint64_t refused = 0;       // connections refused: every candidate to give way was busy
  uint64_t deadlines = 0;     // heads, bodies, handshakes or writes that ran out of time
  uint64_t too_large = 0;     // 413 and 431
  uint64_t bad_requests = 0;  // 400: not HTTP
  uint64_t overloaded = 0;    // 503: every worker busy and the queue full
};

class HttpServer {
 public:
  explicit HttpServer(Routes routes, Authorizer authorize = {}, EdgeLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `address` ("host:port"; port 0 picks a free one) for plain HTTP and serves.
  Status start(const std::string& address);
  // Binds `address` for HTTPS with `identity` and serves. Either start may come first.
  Status start_tls(const std::string& address, const TlsIdentity& identity);
  int port() const;      // of the plain listener, 0 when none
  int tls_port() const;  // of the HTTPS listener, 0 when none
  EdgeCounters counters() const;
  // Closes the listeners and every connection, lets running handlers finish. Idempotent.
  void stop();

  struct Impl;  // the Asio side, in http_server.cc only

 private:
  std::unique_ptr<Impl> impl_;
};

// Splits "host:port" ("[::1]:80" too). Returns false when it is not of that form.
bool split_host_port(const std::string& address, std::string* host, int* port);

}  // namespace iw::server
