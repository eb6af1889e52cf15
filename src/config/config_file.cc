#include "config/config_file.h"

#include <fmt/format.h>

#include "base/files.h"
#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {

Result<std::string> read_text_file(const std::string& path, size_t max_bytes) { return read_file(path, max_bytes); }

Result<Config> load_config_file(const std::string& path, const ModelCatalog& catalog, std::vector<std::string>* notes) {
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  Result<Config> config = parse_config(text.value(), catalog, notes);
  if (!config.ok()) return Status::InvalidArgument(fmt::format("{}:\n{}", path, config.error()));
  return config;
}

Result<ModelCatalog> load_catalog_file(const std::string& path) {
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  Result<ModelCatalog> catalog = ModelCatalog::parse(text.value());
  if (!catalog.ok()) return Status::InvalidArgument(fmt::format("{}:\n{}", path, catalog.error()));
  return catalog;
}

Status save_config_file(const std::string& path, const Config& config) {
  return save_text_file(path, serialize_text(config));
}

Status save_text_file(const std::string& path, const std::string& text) { return write_private_file(path, text); }

}  // namespace iw::config
