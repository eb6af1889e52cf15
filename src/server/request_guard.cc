#include "server/request_guard.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "server/host_names.h"

namespace iw::server {
namespace {

constexpr size_t kMaxQuoted = 100;

// What a refusal may repeat of the request: printable ASCII, at most kMaxQuoted characters.
std::string quoted(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxQuoted)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return "'" + out + (text.size() > kMaxQuoted ? "...'" : "'");
}

std::string lower_trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

HttpResponse refusal(int status, const std::string& body) {
  HttpResponse r = HttpResponse::text(status, body + "\n");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// An Origin ("http://host[:port]") names the same host and port as the Host header. A Host
// without port means the default port of the Origin's scheme. Any other scheme, and "null"
// (sandboxed frames, file: pages), is another origin.
bool same_origin(std::string_view origin, std::string_view host_header) {
  int default_port = 0;
  if (origin.starts_with("http://")) {
    default_port = 80;
    origin.remove_prefix(7);
  } else if (origin.starts_with("https://")) {
    default_port = 443;
    origin.remove_prefix(8);
  } else {
    return false;
  }
  const auto o = parse_authority(origin);
  const auto h = parse_authority(host_header);
  if (!o || !h) return false;
  return o->host == h->host && o->port.value_or(default_port) == h->port.value_or(default_port);
}

// Why the browser's own headers say this request comes from another site, or "".
std::string cross_site_reason(const HttpRequest& r) {
  // same-origin: the monitor's own page; none: the user typed or bookmarked it. Anything
  // else, same-site included (another port or subdomain), is another origin.
  const std::string site = lower_trimmed(r.header("Sec-Fetch-Site"));
  if (!site.empty() && site != "same-origin" && site != "none") {
    return "the browser says it comes from another site (Sec-Fetch-Site: " + quoted(site) + ")";
  }
  const std::string origin = r.header("Origin");
  if (!origin.empty() && !same_origin(origin, r.header("Host"))) {
    return "it comes from another origin (Origin " + quoted(origin) + ", Host " + quoted(r.header("Host")) + ")";
  }
  return {};
}

// A body no page can send cross-site without a (refused) CORS preflight.
bool needs_preflight(const HttpRequest& r) {
  if (!r.header(kWriteHeader).empty()) return true;
  const std::string type = r.header("Content-Type");
  return lower_trimmed(std::string_view(type).substr(0, type.find(';'))) == "application/json";
}

}  // namespace

std::optional<HttpResponse> refuse_unknown_host(const HttpRequest& request, const HostAllowList& hosts) {
  const std::string host = request.header("Host");
  if (host.empty()) return std::nullopt;  // HTTP/1.0 without Host: no browser sends that
  const auto authority = parse_authority(host);
  if (authority && hosts.allows(authority->host)) return std::nullopt;
  if (!authority) return refusal(421, "Misdirected Request: the Host header " + quoted(host) + " is not a host name.");
  const std::string name = authority->host;
  return refusal(421, "Misdirected Request: this monitor does not answer to the name " + quoted(name) +
                          " (a guard against DNS rebinding). If the name is yours, allow it: add it to the config, "
                          "\"http\": {\"hosts\": [\"" +
                          name + "\"]}, or start the daemon with --allow-host " + name + ".");
}

std::optional<HttpResponse> refuse_cross_site_write(const HttpRequest& request) {
  if (request.method == "GET" || request.method == "HEAD") return std::nullopt;
  const std::string what = request.method + " " + quoted(request.path) + " refused: ";
  if (request.method == "OPTIONS") {
    return refusal(403, what + "this monitor grants no cross-origin requests (no CORS).");
  }
  if (const std::string reason = cross_site_reason(request); !reason.empty()) {
    return refusal(403, what + reason + ". Changes are taken only from the monitor's own pages and from API clients.");
  }
  if (!needs_preflight(request)) {
    return refusal(403, what + "a change must have Content-Type: application/json or an " + kWriteHeader +
                            " header (any value), which a page on another site cannot send.");
  }
  return std::nullopt;
}

std::optional<HttpResponse> guard_request(const HttpRequest& request, const HostAllowList& hosts) {
  if (auto refused = refuse_unknown_host(request, hosts)) return refused;
  return refuse_cross_site_write(request);
}

}  // namespace iw::server
