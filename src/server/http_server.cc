#include "server/http_server.h"

#include <httplib.h>

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

HttpServer::HttpServer(Handlers handlers)
    : handlers_(std::move(handlers)), server_(std::make_unique<httplib::Server>()) {
  install_routes();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::install_routes() {
  server_->Get("/status", [this](const httplib::Request& req, httplib::Response& res) {
    Sections sections;
    for (const auto& [key, value] : req.params) sections.insert(key);
    res.set_content(render_status(handlers_.status(), sections).dump(), "application/json");
  });
  server_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.body.empty()) {
      res.set_content("File not found: " + req.path + "\n", "text/plain");
    }
  });
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
  return Status::Ok();
}

void HttpServer::stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

}  // namespace iw::server
