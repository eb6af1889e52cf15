// Where the program finds its own files (the web app) and the defaults for the user's files,
// for an installed program (<prefix>/bin/iotawatt beside <prefix>/share/iotawatt/web) and for
// the one in a build tree, which serves the source tree's web/ (compiled in as IOTAWATT_WEB_DIR).
// `iotawatt run --web/--data/--config` override each of them.
#pragma once

#include <string>

namespace iw::app {

struct InstallPaths {
  bool installed = false;  // the program runs from an install, not from a build tree
  std::string web_dir;     // the web app served at /
  std::string data_dir;    // default --data
  // The system's config (an install only; empty in a build tree): read at start-up when there
  // is no --config and no <data>/config.txt yet. Never written (ProtectSystem=strict keeps /etc
  // read-only): the web app saves to <data>/config.txt, which wins from then on.
  std::string system_config;
};

// `exe`: the program's own path, symlinks resolved. The program is installed when
// <dir of exe>/../share/iotawatt/web/index.html exists; then the config lives under
// <prefix>/etc/iotawatt (/etc/iotawatt for the prefix /usr, as GNU's sysconfdir does).
InstallPaths install_paths_for(const std::string& exe, const std::string& source_web_dir);

// <prefix>/etc/iotawatt/config.json; /etc/iotawatt/config.json for the prefix /usr.
std::string system_config_for(const std::string& prefix);

// For this process: /proc/self/exe and the compiled-in IOTAWATT_WEB_DIR; for an installed
// update started by a launcher (launcher.h), the launcher's system config and data directory.
InstallPaths install_paths();

// The config file to read at start-up when --config is not given: `data_config`
// (<data>/config.txt) when it exists, else `system_config` when it is set and exists, else
// `data_config` (missing: the simulator's own config, as without an install).
std::string startup_config_path(const std::string& data_config, const std::string& system_config);

}  // namespace iw::app
