// GET and POST /config: the configuration file over HTTP with the original's conflict check
// (firmware reference 2.7, 6.6). Every read carries `X-configSHA256`, the SHA-256 of the text
// in URL-safe base64; a write that sends the hash it read gets 409 `Config not current` when
// someone else changed the config since. A write that fails validation changes nothing: the
// running configuration stays, and the answer (400) lists every problem with its key path.
//
// A valid write that would change what is measured must say that it means it (issue 12,
// finding 6): a config without inputs while the running one has some (nothing would be
// measured, logged or uploaded any more) needs `?confirm=inputs`; one that switches the sample
// source between the simulator and an ADC board (simulated data logged as measurements, or
// the other way round) needs `?confirm=source`; both: `?confirm=inputs,source`. Without it
// the answer is 409 with header `X-Config-Confirm: <what to confirm>` and a message saying
// what the config would do and how to confirm; nothing changes. (The other 409, `Config not
// current`, has no such header.)
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "base/status.h"
#include "server/http.h"

namespace iw::server {

// What a write has confirmed, from its `confirm` query argument.
struct ConfigConfirmations {
  bool inputs = false;  // dropping every input
  bool source = false;  // switching between the simulator and an ADC board
};

// The outcome of a write: applied (ok), refused because it is not a valid config, or refused
// only because it would do something `confirm` did not cover (`confirm` names what, in the
// words of the query: "inputs", "source", "inputs,source").
struct ConfigWriteResult {
  Status status;
  std::string confirm;  // not empty: refused for want of this confirmation
};

struct ConfigAccess {
  // The running configuration's text.
  std::function<std::string()> text;
  // Validates, saves and applies `text`. On error nothing changed; the message says why.
  std::function<ConfigWriteResult(const std::string& text, const ConfigConfirmations& confirmed)> replace;
};

class ConfigEndpoint {
 public:
  explicit ConfigEndpoint(ConfigAccess access) : access_(std::move(access)) {}

  HttpResponse get(const HttpRequest& request) const;
  // Body: the whole new config.txt (JSON). Header X-configSHA256 (optional): hash it was based on.
  // Query `confirm` (optional): comma-separated "inputs", "source".
  HttpResponse post(const HttpRequest& request);

 private:
  ConfigAccess access_;
  std::mutex write_mu_;  // one check-and-replace at a time
};

// SHA-256 of `text`, base64 with the `-_` alphabet and `=` padding (44 characters).
std::string config_sha256(std::string_view text);

}  // namespace iw::server
