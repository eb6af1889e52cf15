// GET and POST /config: the configuration file over HTTP with the original's conflict check
// (firmware reference 2.7, 6.6). Every read carries `X-configSHA256`, the SHA-256 of the text
// in URL-safe base64; a write that sends the hash it read gets 409 `Config not current` when
// someone else changed the config since. A write that fails validation changes nothing: the
// running configuration stays, and the answer (400) lists every problem with its key path.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "base/status.h"
#include "server/http.h"

namespace iw::server {

struct ConfigAccess {
  // The running configuration's text.
  std::function<std::string()> text;
  // Validates, saves and applies `text`. On error nothing changed; the message says why.
  std::function<Status(const std::string& text)> replace;
};

class ConfigEndpoint {
 public:
  explicit ConfigEndpoint(ConfigAccess access) : access_(std::move(access)) {}

  HttpResponse get(const HttpRequest& request) const;
  // Body: the whole new config.txt (JSON). Header X-configSHA256 (optional): hash it was based on.
  HttpResponse post(const HttpRequest& request);

 private:
  ConfigAccess access_;
  std::mutex write_mu_;  // one check-and-replace at a time
};

// SHA-256 of `text`, base64 with the `-_` alphabet and `=` padding (44 characters).
std::string config_sha256(std::string_view text);

}  // namespace iw::server
