// The daemon's HTTP server: cpp-httplib threads accept requests, convert them to HttpRequest,
// ask the authorizer, and dispatch to Routes. Handlers run on the server's threads, so a slow
// request never touches the sampling thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "base/status.h"
#include "server/http.h"

namespace httplib {
class Server;
}

namespace iw::server {

// Runs before routing. A returned response (401 challenge, 403) is sent instead of the route's.
using Authorizer = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

class HttpServer {
 public:
  explicit HttpServer(Routes routes, Authorizer authorize = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `address` ("host:port"; port 0 picks a free one) and serves on background threads.
  Status start(const std::string& address);
  int port() const { return port_; }
  void stop();

 private:
  void install();

  Routes routes_;
  Authorizer authorize_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Splits "host:port" ("[::1]:80" too). Returns false when it is not of that form.
bool split_host_port(const std::string& address, std::string* host, int* port);

}  // namespace iw::server
