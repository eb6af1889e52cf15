// The HTTP edge's guard against browsers used as weapons (issue 12, findings 4 and 5). It reads
// only the request head (method, headers), so it runs before a body is read, and it runs before
// authentication: a cross-site write never gets a digest challenge the browser could answer
// with a cached login.
//
// DNS rebinding: a page on attacker.example whose name now resolves to this monitor sends
// `Host: attacker.example`. Every request whose Host is not in the HostAllowList is refused
// with 421 Misdirected Request. A request without Host (HTTP/1.0) passes; browsers always send
// one. The port in Host is not compared: a rebinding attack is told apart by its name, and port
// forwarding or a proxy may change the port.
//
// Cross-site writes: every method but GET and HEAD changes state, and is refused (403) when
//   * the browser says it is cross-site: Sec-Fetch-Site other than `same-origin` or `none`
//     (so `same-site`, another port or subdomain of the same site, is refused too), or an
//     Origin that is `null` or whose host:port differs from Host's (a Host without port has the
//     Origin scheme's default port, as behind a TLS proxy);
//   * it is OPTIONS: a CORS preflight, which this server never grants (no Access-Control-*);
//   * its Content-Type is not application/json and it has no X-Requested-With header. Both
//     make a browser send a preflight first, which is refused, so the two forms a page can
//     send without one (an HTML form; fetch with a text/plain body) never arrive. This also
//     covers old browsers that send neither Origin nor Sec-Fetch-Site.
// API clients (curl, Home Assistant) send no Origin and no Sec-Fetch-Site; a write from them
// needs Content-Type: application/json or X-Requested-With (any value).
#pragma once

#include <optional>

#include "server/host_allow_list.h"
#include "server/http.h"

namespace iw::server {

// The header a write with a non-JSON body must carry (any non-empty value).
inline constexpr const char* kWriteHeader = "X-Requested-With";

// 421 when the request's Host is not allowed (or malformed).
std::optional<HttpResponse> refuse_unknown_host(const HttpRequest& request, const HostAllowList& hosts);

// 403 when the request changes state and a browser may have sent it from another site.
std::optional<HttpResponse> refuse_cross_site_write(const HttpRequest& request);

// Both, host first.
std::optional<HttpResponse> guard_request(const HttpRequest& request, const HostAllowList& hosts);

}  // namespace iw::server
