// Requests and responses as the API handlers see them: plain values, no socket or library
// types, so every endpoint is testable without a server. HttpServer converts to and from
// Boost.Beast at the edge.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iw::server {

using Params = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // GET, POST, PUT, DELETE ...
  std::string path;    // percent-decoded, without the query
  std::string target;  // the request-target exactly as the client sent it
  Params params;       // query (and form) arguments, percent-decoded, in order
  Params headers;      // as received
  std::string body;
  std::string remote_addr;  // client IP

  bool has(std::string_view name) const;
  // The first argument called `name`, or "" when absent.
  std::string arg(std::string_view name) const;
  // The first header called `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
};

// Writes one piece of a streamed body; false when the client went away (stop producing).
using BodyWriter = std::function<bool(std::string_view)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
  Params headers;
  // When set, the body is produced by this function in pieces (sent chunked) and `body` is
  // ignored. It runs on the server thread after the handler returned, so it must own (or hold
  // shared ownership of) everything it reads.
  std::function<void(const BodyWriter&)> stream;

  static HttpResponse text(int status, std::string body, std::string content_type = "text/plain");
  static HttpResponse json(std::string body, int status = 200);
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

// Exact method + path routing, as the original's dispatcher; anything else goes to the
// fallback (static files), else 404 `Not found: <METHOD>, URI: <path>`.
class Routes {
 public:
  void add(std::string method, std::string path, Handler handler);
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }
  HttpResponse dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method, path;
    Handler handler;
  };
  std::vector<Route> routes_;
  Handler fallback_;
};

HttpResponse not_found(const HttpRequest& request);

}  // namespace iw::server
