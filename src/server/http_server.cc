#include "server/http_server.h"

#include <httplib.h>

#include <chrono>
#include <thread>

namespace iw::server {

bool split_host_port(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return false;
  std::string h = address.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  const std::string p = address.substr(colon + 1);
  if (p.find_first_not_of("0123456789") != std::string::npos || p.size() > 5) return false;
  const int value = std::stoi(p);
  if (value > 65535) return false;
  *host = h.empty() ? "0.0.0.0" : h;
  *port = value;
  return true;
}

namespace {

// Request bodies we accept: a config file or a password change, never more.
constexpr size_t kMaxBodyBytes = 1 << 20;

HttpRequest convert(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.target = req.target;
  r.body = req.body;
  r.remote_addr = req.remote_addr;
  r.params.assign(req.params.begin(), req.params.end());
  r.headers.assign(req.headers.begin(), req.headers.end());
  return r;
}

void send(HttpResponse response, httplib::Response& res) {
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name, value);
  if (!response.stream) {
    res.set_content(std::move(response.body), response.content_type);
    return;
  }
  res.set_chunked_content_provider(
      response.content_type,
      [stream = std::move(response.stream)](size_t, httplib::DataSink& sink) {
        stream([&sink](std::string_view piece) {
          return piece.empty() || sink.write(piece.data(), piece.size());
        });
        sink.done();
        return true;
      });
}

}  // namespace

HttpServer::HttpServer(Routes routes, Authorizer authorize)
    : routes_(std::move(routes)),
      authorize_(std::move(authorize)),
      server_(std::make_unique<httplib::Server>()) {
  install();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::install() {
  server_->set_payload_max_length(kMaxBodyBytes);
  // httplib writes headers and body separately; with Nagle on, every keep-alive response after
  // the first waits ~40 ms for the client's delayed ACK (bench/http_load.sh: 35 requests/s).
  server_->set_tcp_nodelay(true);
  const auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    const HttpRequest request = convert(req);
    if (authorize_) {
      if (auto refused = authorize_(request)) return send(std::move(*refused), res);
    }
    send(routes_.dispatch(request), res);
  };
  server_->Get(".*", handle);
  server_->Post(".*", handle);
  server_->Put(".*", handle);
  server_->Delete(".*", handle);
  server_->Patch(".*", handle);
  server_->Options(".*", handle);
}

Status HttpServer::start(const std::string& address) {
  std::string host;
  int port = 0;
  if (!split_host_port(address, &host, &port)) {
    return Status::Error("--http: '" + address + "' is not HOST:PORT (for example 127.0.0.1:8080)");
  }
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) {
    return Status::Error("cannot listen on " + address +
                         ": the address is in use or not local (choose another --http)");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // cpp-httplib's stop() does nothing until the accept loop runs: wait for it, so that a
  // stop() right after start() always ends the thread.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void HttpServer::stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

}  // namespace iw::server
