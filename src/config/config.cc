#include "config/config.h"

namespace iw::config {

const char* to_string(InputType type) { return type == InputType::kVT ? "VT" : "CT"; }

const char* to_string(InputRole role) {
  switch (role) {
    case InputRole::kUnset:
      return "";
    case InputRole::kMains:
      return "mains";
    case InputRole::kSolar:
      return "solar";
    case InputRole::kCircuit:
      return "circuit";
  }
  return "";
}

std::optional<InputRole> parse_input_role(std::string_view text) {
  for (InputRole role : {InputRole::kMains, InputRole::kSolar, InputRole::kCircuit}) {
    if (text == to_string(role)) return role;
  }
  return std::nullopt;
}

}  // namespace iw::config
