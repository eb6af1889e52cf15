// `iotawatt update check|install|rollback|status`: the updater by hand, on a data directory
// (the daemon's, or a copy). `install` switches to the new version; it runs once the daemon
// restarts (systemctl restart iotawatt), on trial.
#pragma once

#include <string>

namespace iw::cli {

struct UpdateToolOptions {
  std::string action;       // check | install | rollback | status
  std::string data_dir;     // the daemon's data directory
  std::string config_path;  // empty: <data>/config.txt, else the system config
  std::string system_config;
  bool allow_downgrade = false;  // install: an older version on purpose
};

// Prints what it did. Returns 0, or 1 when the check failed or was refused, 2 when the
// config cannot be read.
int run_update_tool(const UpdateToolOptions& options);

}  // namespace iw::cli
