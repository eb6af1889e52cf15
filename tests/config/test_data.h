// Where the config tests find their data files.
#pragma once

#include <string>

#include "config/config_file.h"

namespace iw::config::testing {

inline std::string data_path(const std::string& name) {
  return std::string(IOTAWATT_SOURCE_DIR) + "/tests/config/data/" + name;
}

// The text of a data file; fails the calling test (empty text) when it cannot be read.
inline std::string read_data(const std::string& name) {
  Result<std::string> text = read_text_file(data_path(name));
  return text.ok() ? text.value() : std::string();
}

}  // namespace iw::config::testing
