#include "server/http.h"

#include <strings.h>

namespace iw::server {

bool HttpRequest::has(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return true;
  }
  return false;
}

std::string HttpRequest::arg(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

HttpResponse HttpResponse::text(int status, std::string body, std::string content_type) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

HttpResponse HttpResponse::json(std::string body, int status) {
  return text(status, std::move(body), "application/json");
}

void Routes::add(std::string method, std::string path, Handler handler) {
  routes_.push_back({std::move(method), std::move(path), std::move(handler)});
}

HttpResponse Routes::dispatch(const HttpRequest& request) const {
  for (const Route& route : routes_) {
    if (route.path == request.path && route.method == request.method) return route.handler(request);
  }
  if (fallback_) return fallback_(request);
  return not_found(request);
}

HttpResponse not_found(const HttpRequest& request) {
  // The original names only GET or POST; anything that is not GET is reported as POST.
  const std::string method = request.method == "GET" ? "GET" : "POST";
  return HttpResponse::text(404, "Not found: " + method + ", URI: " + request.path);
}

}  // namespace iw::server
