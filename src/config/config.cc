#include "config/config.h"

namespace iw::config {

const char* to_string(InputType type) { return type == InputType::kVT ? "VT" : "CT"; }

}  // namespace iw::config
