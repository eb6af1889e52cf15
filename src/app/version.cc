#include "app/version.h"

#include <cstdlib>

#include "update/version.h"

namespace iw::app {

const std::string& running_version() {
  static const std::string version = [] {
    const char* test = std::getenv("IOTAWATT_TEST_VERSION");
    return test != nullptr && update::parse_version(test).ok() ? std::string(test) : std::string(kVersion);
  }();
  return version;
}

}  // namespace iw::app
