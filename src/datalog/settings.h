// How the daemon keeps its logs: durability and retention, from the config's "datalog"
// section (config/config.h DatalogConfig) and the original's `logdays`.
#pragma once

#include <cstdint>

#include "datalog/log.h"

namespace iw::config {
struct Config;
}

namespace iw::datalog {

struct RecorderSettings {
  int64_t sync_interval_s = 60;           // loss window on a power cut; a crash loses nothing
  Retention current{2 * 366 * 86400, 0};  // 5 s data: two years (config `logdays`)
  Retention history{0, 0};                // 60 s data: forever
};

// The settings `config` asks for; absent keys keep the defaults above. `datalog.current_days`
// wins over `logdays`; `datalog.max_mb` caps each of the two logs.
RecorderSettings settings_of(const config::Config& config);

}  // namespace iw::datalog
