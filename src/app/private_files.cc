#include "app/private_files.h"

#include <sys/stat.h>

#include <filesystem>

#include <spdlog/spdlog.h>

#include "app/assembly.h"
#include "base/files.h"

namespace iw::app {
namespace {

void restrict_one(const std::string& path, mode_t allowed) {
  const Result<std::optional<mode_t>> old = restrict_mode(path, allowed);
  if (!old) {
    spdlog::warn("permissions: {}; other users may read it", old.error());
  } else if (old.value()) {
    spdlog::warn("permissions: {} was mode {}, open to other users; now {}", path, mode_text(*old.value()),
                 mode_text(*old.value() & allowed));
  }
}

}  // namespace

void create_data_dir(const std::string& data_dir) {
  std::error_code ec;
  if (data_dir.empty() || std::filesystem::exists(data_dir, ec)) return;
  const std::filesystem::path parent = std::filesystem::path(data_dir).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  ::mkdir(data_dir.c_str(), kPrivateDirMode);  // a failure shows when the daemon writes there
}

void restrict_private_files(const RunOptions& options) {
  const std::string& data = options.data_dir;
  restrict_one(data, kPrivateDirMode);
  const std::string config = config_path_of(options);
  for (const std::string& path : {config, config + ".previous", data + "/auth.json", data + "/auth.txt"}) {
    restrict_one(path, kPrivateFileMode);
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(data + "/upload", ec)) {
    if (entry.path().extension() == ".json") restrict_one(entry.path().string(), kPrivateFileMode);
  }
}

}  // namespace iw::app
