#include "upload/url.h"

#include <curl/curl.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <new>

#include "base/strings.h"

namespace iw::upload {

std::string BaseUrl::str() const { return scheme + "://" + authority() + path; }

std::string BaseUrl::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<BaseUrl> parse_base_url(std::string_view url, int default_port) {
  BaseUrl u;
  std::string_view rest = url;
  if (const size_t p = rest.find("://"); p != std::string_view::npos) {
    u.scheme = lower(rest.substr(0, p));
    rest.remove_prefix(p + 3);
  } else {
    u.scheme = "http";
  }
  if (u.scheme != "http" && u.scheme != "https") {
    return Status::InvalidArgument("url \"" + std::string(url) + "\": scheme must be http or https");
  }
  if (const size_t q = rest.find_first_of("?#"); q != std::string_view::npos) rest = rest.substr(0, q);
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument("url: put user names and passwords in their own keys, not in the url");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("url \"" + std::string(url) + "\": unclosed [");
    u.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') port_text = authority.substr(close + 2);
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    u.host = std::string(authority.substr(0, colon));
    port_text = authority.substr(colon + 1);
  } else {
    u.host = std::string(authority);
  }
  if (u.host.empty()) return Status::InvalidArgument("url \"" + std::string(url) + "\": no host");
  if (!port_text.empty()) {
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), u.port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || u.port < 1 || u.port > 65535) {
      return Status::InvalidArgument("url \"" + std::string(url) + "\": bad port \"" + std::string(port_text) + "\"");
    }
  } else {
    u.port = default_port ? default_port : (u.scheme == "https" ? 443 : 80);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  u.path = std::string(path);
  return u;
}

std::string url_encode(std::string_view s) {
  // curl_easy_escape keeps exactly the RFC 3986 unreserved characters and writes upper-case
  // hex; since curl 7.82 it ignores its handle argument.
  std::unique_ptr<char, decltype(&curl_free)> escaped(curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size())),
                                                      curl_free);
  if (!escaped) throw std::bad_alloc();  // its only failure
  return std::string(escaped.get());
}

}  // namespace iw::upload
