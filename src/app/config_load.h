// The daemon's config file: the text checked as a whole (parse, scripts, MQTT section), saved
// with its predecessor kept, and loaded at start-up with a way out when it is damaged.
//
// A damaged config file (larger than 1 MiB, not JSON, nested deeper than 64 levels: nothing
// this program or a text editor saves that way) is set aside as "<path>.bad-<unix time>",
// never deleted, so the daemon does not fail the same way at every restart. Then
// "<path>.previous" (the config before the last change over HTTP), when it is good, is
// restored as <path> and run; else the daemon runs the simulator's demo config. Every step is
// logged as an error naming the files.
// Not damage, so the caller refuses to start with the message: a file that cannot be opened
// (permissions), and a JSON config with invalid values (the file is intact and the message
// names the key to fix; running the demo instead would silently stop measuring the circuits).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace iw::app {

// The config of `text` with its scripts compiled and its "mqtt", "webhook", "http", "update_server" and
// "tariffs" sections checked; errors name every problem by key path.
Result<config::Config> parse_and_check(const std::string& text, std::vector<std::string>* notes);

// Saves a config received over the API byte for byte (mode 0600), keeping the one it replaces
// as <path>.previous (also 0600).
Status save_config_text(const std::string& path, const std::string& text);

struct StartupConfig {
  std::optional<config::Config> config;  // nullopt: the simulator's own config for its scenario
  std::string text;                      // as read; empty with no config
};

// The config at `path`. `optional`: a missing file means no config (the simulator's own);
// otherwise a missing file is an error.
Result<StartupConfig> load_startup_config(const std::string& path, bool optional);

}  // namespace iw::app
