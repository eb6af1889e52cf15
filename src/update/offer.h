// What a device does with a manifest it has opened: whether the release it offers is one this
// device may install. Signature and expiry are already checked (manifest.h); this adds what
// only the device knows: its version, its architecture, the versions that failed here before.
#pragma once

#include <string>
#include <vector>

#include "update/manifest.h"

namespace iw::update {

struct Installed {
  ReleaseVersion version;
  std::string arch;                 // Debian's name of this build: amd64, arm64, armhf
  std::vector<ReleaseVersion> bad;  // rolled back on this device: never tried again
  bool allow_downgrade = false;     // an admin asked for an older version on purpose
};

struct Offer {
  enum class Kind {
    kInstall,   // `bundle` is newer (or a forced downgrade) and may be installed
    kUpToDate,  // the manifest offers the installed version
    kRefused,   // the manifest offers something this device must not install; `reason` says why
  };
  Kind kind = Kind::kUpToDate;
  const Bundle* bundle = nullptr;  // kInstall: points into the manifest
  std::string reason;              // kRefused: for the message log and /status
};

// REQUIRES: `m` came from open_manifest().
Offer decide_offer(const Manifest& m, const Installed& installed);

}  // namespace iw::update
