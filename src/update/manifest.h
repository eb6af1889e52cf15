// The signed manifest of a release: which version an update class offers, where each
// architecture's bundle is, its size and SHA-256, from which version it may be installed and
// until when the offer is fresh. FORMAT.md beside this file is the format's home.
//
// Invariant: a Manifest returned by open_manifest() carried a valid Ed25519 signature by one
// of the keys the caller trusts, over exactly the bytes its fields were parsed from, and had
// not expired at the time the caller gave.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "update/signing_key.h"
#include "update/version.h"

namespace iw::update {

// The original's update classes. kNone: never check.
enum class UpdateClass { kNone, kMajor, kMinor, kBeta, kAlpha };

// "NONE", "MAJOR", "MINOR", "BETA", "ALPHA" (any case, as the original's config wrote them).
Result<UpdateClass> parse_update_class(std::string_view text);
std::string_view to_string(UpdateClass c);

// Limits on what a manifest may hold; a manifest beyond them is refused, not truncated.
inline constexpr size_t kMaxManifestBytes = 64 * 1024;
inline constexpr size_t kMaxSignatures = 8;
inline constexpr size_t kMaxBundles = 8;
inline constexpr size_t kMaxKeys = 8;
inline constexpr size_t kMaxBundlePathChars = 200;
inline constexpr uint64_t kMaxBundleBytes = 1ull << 30;

// One architecture's installed tree of a version.
struct Bundle {
  std::string arch;    // Debian's name: amd64, arm64, armhf
  std::string path;    // relative to the server's base URL: bundles/1.4.0/iotawatt_1.4.0_arm64.tar.gz
  uint64_t size = 0;   // bytes
  std::string sha256;  // 64 lowercase hex digits
};

struct Manifest {
  ReleaseVersion version;
  UpdateClass update_class = UpdateClass::kMinor;
  int64_t published = 0;       // unix seconds
  int64_t expires = 0;         // unix seconds; after it the manifest is refused
  ReleaseVersion min_version;  // the oldest installed version this release may replace
  std::vector<Bundle> bundles;
  std::vector<std::string> keys;  // key rotation: the public keys to trust from now on; empty: unchanged

  const Bundle* bundle_for(std::string_view arch) const;
};

// The manifest's body as a JSON text: the bytes that are signed.
std::string manifest_body(const Manifest& m);
// A body written by manifest_body(), checked field by field; an error names the field.
Result<Manifest> parse_manifest_body(std::string_view body);

// The manifest file: `body` and one signature by each of `keys`.
std::string sign_manifest(std::string_view body, const std::vector<const SigningKey*>& keys);

// Checks a manifest file as a device must before it believes a word of it: its size and shape,
// a valid signature by a key in `trusted_keys` (64 hex digits each), its body, and that it has
// not expired at `now`. The error says which check failed and what it means.
Result<Manifest> open_manifest(std::string_view file, const std::vector<std::string>& trusted_keys, int64_t now);

}  // namespace iw::update
