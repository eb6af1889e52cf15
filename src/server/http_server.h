// The daemon's HTTP server: routes requests to handlers on the server's own threads, so a
// slow request never touches the sampling thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "base/status.h"
#include "server/status.h"

namespace httplib {
class Server;
}

namespace iw::server {

struct Handlers {
  // Builds the current status model; called on a server thread, must be thread-safe.
  std::function<StatusModel()> status;
};

class HttpServer {
 public:
  explicit HttpServer(Handlers handlers);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `address` ("host:port"; port 0 picks a free one) and serves on background threads.
  Status start(const std::string& address);
  int port() const { return port_; }
  void stop();

 private:
  void install_routes();

  Handlers handlers_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Splits "host:port" ("[::1]:80" too). Returns false when it is not of that form.
bool split_host_port(const std::string& address, std::string* host, int* port);

}  // namespace iw::server
