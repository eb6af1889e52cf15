#include "config/config_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {

Result<std::string> read_text_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::string text;
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::Error(fmt::format("{}: read error", path));
  return text;
}

Result<Config> load_config_file(const std::string& path, const ModelCatalog& catalog,
                                std::vector<std::string>* notes) {
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  Result<Config> config = parse_config(text.value(), catalog, notes);
  if (!config.ok()) return Status::Error(fmt::format("{}:\n{}", path, config.error()));
  return config;
}

Result<ModelCatalog> load_catalog_file(const std::string& path) {
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  Result<ModelCatalog> catalog = ModelCatalog::parse(text.value());
  if (!catalog.ok()) return Status::Error(fmt::format("{}:\n{}", path, catalog.error()));
  return catalog;
}

Status save_config_file(const std::string& path, const Config& config) {
  return save_text_file(path, serialize_text(config));
}

Status save_text_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::Error(fmt::format("{}: cannot create: {}", tmp, std::strerror(errno)));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = ok && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const int err = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return Status::Error(fmt::format("{}: write failed: {}", tmp, std::strerror(err)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    std::remove(tmp.c_str());
    return Status::Error(fmt::format("{}: cannot replace: {}", path, std::strerror(rename_err)));
  }
  return Status::Ok();
}

}  // namespace iw::config
