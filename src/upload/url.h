// Uploader base URLs: the original's leniency (no scheme means http://, a trailing '/' and the
// query are dropped) and the pieces messages may show (never the credentials).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace iw::upload {

struct BaseUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // without user info
  int port = 0;        // explicit or the default for the scheme (or default_port)
  std::string path;    // "" or "/prefix" without a trailing '/'

  // scheme://host:port/path: what requests are built on.
  std::string str() const;
  // host:port, for messages.
  std::string authority() const;
};

// Parses `url`. `default_port` is used when it has none (InfluxDB: 8086); 0: 80 or 443.
// User info ("user:pw@") is refused: credentials belong in their own config keys.
Result<BaseUrl> parse_base_url(std::string_view url, int default_port = 0);

// Percent-encoding of a query parameter value or form field (RFC 3986 unreserved kept).
std::string url_encode(std::string_view s);

}  // namespace iw::upload
