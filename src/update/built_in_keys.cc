#include "update/built_in_keys.h"

#include <string_view>

#include "update/signing_key.h"

namespace iw::update {

std::vector<std::string> built_in_keys() {
  std::vector<std::string> keys;
  std::string_view list = IOTAWATT_UPDATE_KEYS;  // checked by CMake: 64 lowercase hex, comma-separated
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view key = list.substr(0, comma);
    if (is_public_key_hex(key)) keys.emplace_back(key);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return keys;
}

}  // namespace iw::update
