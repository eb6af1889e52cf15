#include "update/download.h"

#include <filesystem>

#include "update/digest.h"

namespace iw::update {
namespace {

namespace fs = std::filesystem;

// The file's size and SHA-256 are the bundle's.
Status check_file(const std::string& path, const Bundle& b) {
  auto d = sha256_file(path);
  if (!d) return d.status();
  if (d.value().size != b.size || d.value().sha256 != b.sha256) {
    return Status::Corruption(b.path + ": " + std::to_string(d.value().size) + " bytes with SHA-256 " +
                              d.value().sha256.substr(0, 12) + "..., not the " + std::to_string(b.size) +
                              " bytes with " + b.sha256.substr(0, 12) +
                              "... the manifest signed: the server holds another file (deleted, not installed)");
  }
  return Status::Ok();
}

std::string join_url(const std::string& base, const std::string& path) {
  return base.ends_with('/') ? base + path : base + "/" + path;
}

}  // namespace

Result<std::string> download_bundle(const std::string& base_url, const Bundle& bundle, const std::string& dir,
                                    const DownloadOptions& options) {
  if (bundle.size > options.max_bytes) {
    return Status::InvalidArgument(bundle.path + ": " + std::to_string(bundle.size) + " bytes, more than the " +
                                   std::to_string(options.max_bytes) +
                                   " this device downloads (update_server.max_download_mb)");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string name = fs::path(bundle.path).filename().string();
  const std::string final_path = (fs::path(dir) / name).string(), part = final_path + ".part";
  if (fs::exists(final_path, ec)) {
    if (check_file(final_path, bundle).ok()) return final_path;
    fs::remove(final_path, ec);
  }
  const std::string url = join_url(base_url, bundle.path);
  Status last = Status::Ok();
  uint64_t have = 0;
  for (int attempt = 0; attempt < options.attempts && have < bundle.size; ++attempt) {
    auto got = fetch_to_file(url, part, bundle.size, options.fetch);
    if (!got.ok() && !got.status().is_unavailable()) {
      fs::remove(part, ec);  // more than the manifest says, or a disk error: start over next time
      return got.status();
    }
    last = got.ok() ? Status::Ok() : got.status();
    have = fs::file_size(part, ec);
    if (ec) have = 0;
    if (options.progress) options.progress(have, bundle.size);
  }
  if (have < bundle.size) {
    return Status::Unavailable(bundle.path + ": " + std::to_string(have) + " of " + std::to_string(bundle.size) +
                               " bytes after " + std::to_string(options.attempts) + " tries" +
                               (last.ok() ? std::string() : " (" + last.message() + ")") + "; resumes next time");
  }
  if (Status st = check_file(part, bundle); !st) {
    fs::remove(part, ec);
    return st;
  }
  fs::rename(part, final_path, ec);
  if (ec) return Status::IOError(final_path + ": cannot be renamed into place: " + ec.message());
  return final_path;
}

}  // namespace iw::update
