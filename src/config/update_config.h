// The "update_server" section of the config: where signed updates come from (the class is the
// original's top-level "update"). Ours; the original fetched from a fixed plain-HTTP server.
//
//   "update": "MINOR",
//   "update_server": {"url": "https://updates.example.org/iotawatt", "ca_file": "",
//                     "keys": ["<64 hex digits>"], "interval": 3600,
//                     "max_download_mb": 256, "health_deadline": 600}
//
// `keys` add to the public keys the program was built with (src/update/FORMAT.md); a publisher
// of their own builds needs them. Errors name the key ("update_server.url: must be https://").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace iw::config {

struct UpdateServerConfig {
  std::string url;                // https://, the directory that holds manifests/ and bundles/
  std::string ca_file;            // PEM; empty: the system's CAs
  std::vector<std::string> keys;  // public keys trusted besides the built-in ones
  int interval_s = 3600;          // between checks, 600-86400 (jittered by up to 10 %)
  int max_download_mb = 256;      // a bigger bundle is refused, 1-1024
  int health_deadline_s = 600;    // a new version not healthy this long after its switch is rolled back, 60-3600

  bool operator==(const UpdateServerConfig&) const = default;
};

// The typed section; nullopt when it is absent. Every problem is reported, one per line.
Result<std::optional<UpdateServerConfig>> update_server_config(const Config& config);

}  // namespace iw::config
