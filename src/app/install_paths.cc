#include "app/install_paths.h"

#include <filesystem>
#include <system_error>

#include "app/launcher.h"

namespace iw::app {
namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

}  // namespace

InstallPaths install_paths_for(const std::string& exe, const std::string& source_web_dir) {
  InstallPaths paths;
  paths.data_dir = "/var/lib/iotawatt";
  paths.web_dir = source_web_dir;
  if (exe.empty()) return paths;
  // <prefix>/bin/iotawatt: the prefix is two levels up from the program.
  const fs::path prefix = fs::path(exe).parent_path().parent_path();
  const fs::path web = prefix / "share/iotawatt/web";
  if (!is_file(web / "index.html")) return paths;  // a build tree (or a broken install): the source's web/
  paths.installed = true;
  paths.web_dir = web.string();
  paths.system_config = system_config_for(prefix.string());
  return paths;
}

std::string system_config_for(const std::string& prefix) {
  const fs::path etc = prefix == "/usr" ? fs::path("/etc") : fs::path(prefix) / "etc";
  return (etc / "iotawatt/config.json").string();
}

InstallPaths install_paths() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  InstallPaths paths = install_paths_for(ec ? std::string() : exe.string(), IOTAWATT_WEB_DIR);
  // An installed update runs from its slot under the data directory: its web app is its own,
  // the system's config and data directory are the launcher's.
  if (auto launcher = launcher_path()) {
    const InstallPaths outer = install_paths_for(*launcher, IOTAWATT_WEB_DIR);
    paths.data_dir = outer.data_dir;
    paths.system_config = outer.system_config;
  }
  return paths;
}

std::string startup_config_path(const std::string& data_config, const std::string& system_config) {
  if (is_file(data_config) || system_config.empty() || !is_file(system_config)) return data_config;
  return system_config;
}

}  // namespace iw::app
