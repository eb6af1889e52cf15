// Release versions as the update manifests and `iotawatt --version` write them: semantic
// versions "MAJOR.MINOR.PATCH" with an optional pre-release ("1.4.0-beta.2"). Ordering is
// Semantic Versioning 2.0's: numbers compare as numbers, a pre-release sorts before its
// release, pre-release identifiers compare numerically when both are numbers, else as text.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace iw::update {

struct ReleaseVersion {
  uint32_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre_release;  // dot-separated identifiers after '-'; empty: a release

  std::string to_string() const;
  bool operator==(const ReleaseVersion&) const = default;
};

std::strong_ordering operator<=>(const ReleaseVersion& a, const ReleaseVersion& b);

// At most 64 characters; each number at most 9 digits without a leading zero; identifiers of
// [0-9A-Za-z-], numeric ones without a leading zero. Build metadata ("+...") is refused: two
// builds of one version must not both be offered.
Result<ReleaseVersion> parse_version(std::string_view text);

}  // namespace iw::update
