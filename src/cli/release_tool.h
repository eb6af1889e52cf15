// `iotawatt release keygen|sign|verify`: the publisher's side of signed updates. A release is
// published as a static directory (src/update/FORMAT.md): `sign` copies the bundles into it and
// writes the class's signed manifest; `verify` checks such a directory as a device would.
#pragma once

#include <string>
#include <vector>

namespace iw::cli {

// Writes a new Ed25519 private key to `key_path` (mode 0600; refuses to overwrite one) and its
// public key, as 64 hex digits, to `<key_path>.pub`. Returns the exit code.
int run_release_keygen(const std::string& key_path);

struct ReleaseSignOptions {
  std::vector<std::string> key_paths;  // one signature per key (two while rotating keys)
  std::string update_class = "MINOR";
  std::string version;                 // MAJOR.MINOR.PATCH[-pre]
  std::string min_version = "0.0.0";   // oldest installed version this release may replace
  int days = 30;                       // the manifest expires this many days from now
  std::vector<std::string> rotate_to;  // public keys devices trust from this manifest on
  std::string out_dir;                 // the update server's root directory
  std::vector<std::string> bundles;    // iotawatt_<version>_<arch>.{deb,tar.gz}
};
int run_release_sign(const ReleaseSignOptions& options);

// Opens `manifest_path` with `trusted` public keys, as a device would now, prints it, and checks
// each bundle's size and SHA-256 under `root` (default: the manifest's directory's parent).
int run_release_verify(const std::string& manifest_path, const std::vector<std::string>& trusted, std::string root);

}  // namespace iw::cli
