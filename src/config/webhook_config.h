// The "webhook" section of the config: where the daemon POSTs its appliance step events
// (src/upload/WEBHOOK.md has the request). Ours, not in the original firmware.
//
//   "webhook": {"url": "https://hooks.example.com/iotawatt", "secret": "...",
//               "ca_file": "/etc/ssl/private-ca.pem", "timeout_s": 10}
//
// Only `url` is required. Errors name the key ("webhook.timeout_s: must be 1-60").
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "config/config.h"

namespace iw::config {

struct WebhookConfig {
  std::string url;      // http:// or https://, with a host; where every batch is POSTed
  std::string secret;   // secret: signs each body (HMAC-SHA256); empty: requests are not signed
  std::string ca_file;  // PEM bundle that replaces the system's CAs for https://; empty: the system's
  int timeout_s = 10;   // a whole request, answer included, 1-60

  bool operator==(const WebhookConfig&) const = default;
};

// The typed "webhook" section of `config`: nullopt when the section is absent or has
// "enabled": false. Every problem found is reported, one per line.
Result<std::optional<WebhookConfig>> webhook_config(const Config& config);

}  // namespace iw::config
