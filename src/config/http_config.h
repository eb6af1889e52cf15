// The "http" section of the config: settings of the HTTP edge. Ours, not in the original.
//
//   "http": {"hosts": ["iotawatt.example.lan", "192.0.2.7"]}
//
// `hosts`: names the HTTP API answers to besides the machine's own host names and addresses
// (the guard against DNS rebinding, src/server/request_guard.h): a DNS name, an IPv4 address
// or a bracketed IPv6 address, without scheme or port, case and a trailing dot ignored. Add the
// name a reverse proxy or your DNS gives the monitor. Errors name the key
// ("http.hosts[0]: ... is not a host name").
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace iw::config {

struct HttpConfig {
  std::vector<std::string> hosts;

  bool operator==(const HttpConfig&) const = default;
};

// The typed "http" section of `config` (defaults when absent). Every problem found is reported,
// one per line.
Result<HttpConfig> http_config(const Config& config);

}  // namespace iw::config
