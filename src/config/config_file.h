// Reading and writing config and model-table files.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "config/model_catalog.h"

namespace iw::config {

// Reads and parses a config file. Errors name the file.
Result<Config> load_config_file(const std::string& path, const ModelCatalog& catalog,
                                std::vector<std::string>* notes = nullptr);

// Writes `config` to `path` atomically and privately (mode 0600: a config holds API keys and
// passwords): the text goes to "<path>.tmp", is flushed to disk, then renamed over `path`, so
// a crash leaves either the old file or the new one (base/files.h write_private_file).
Status save_config_file(const std::string& path, const Config& config);
// The same for text as written (a config received over HTTP is saved byte for byte).
Status save_text_file(const std::string& path, const std::string& text);

// Reads a tables.txt-format model file.
Result<ModelCatalog> load_catalog_file(const std::string& path);

// The largest config or model-table file read: the original's config.txt is a few KB, and
// an HTTP request body is at most 1 MiB.
inline constexpr size_t kMaxConfigFileBytes = 1 << 20;

// Reads a whole file as text; a file larger than `max_bytes` is an error.
Result<std::string> read_text_file(const std::string& path, size_t max_bytes = kMaxConfigFileBytes);

}  // namespace iw::config
