// Reading and writing config and model-table files.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "config/model_catalog.h"

namespace iw::config {

// Reads and parses a config file. Errors name the file.
Result<Config> load_config_file(const std::string& path, const ModelCatalog& catalog,
                                std::vector<std::string>* notes = nullptr);

// Writes `config` to `path` atomically: the text goes to "<path>.tmp", is flushed to disk,
// then renamed over `path`, so a crash leaves either the old file or the new one.
Status save_config_file(const std::string& path, const Config& config);
// The same for text as written (a config received over HTTP is saved byte for byte).
Status save_text_file(const std::string& path, const std::string& text);

// Reads a tables.txt-format model file.
Result<ModelCatalog> load_catalog_file(const std::string& path);

// Reads a whole file as text.
Result<std::string> read_text_file(const std::string& path);

}  // namespace iw::config
