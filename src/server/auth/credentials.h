// The secrets the device authenticates against: HA1 digests only, never passwords.
#pragma once

#include <string>

namespace iw::server {

// HA1 = H("<user>:<realm>:<password>") as lowercase hex; empty means "no password".
// INVARIANT: the digests were computed with `realm`. HA1 cannot be re-keyed without the
// password, so the device keeps challenging with this realm after a rename (see
// password_store.h); the next password change re-hashes with the device name then current.
struct Credentials {
  std::string realm;
  std::string admin_md5, admin_sha256;
  std::string user_md5, user_sha256;  // meaningful only when an admin password is set
  bool local_access = false;          // LAN clients need no credentials

  // No admin password: everything is open (as the original).
  bool has_admin() const { return !admin_md5.empty() || !admin_sha256.empty(); }
  bool has_user() const { return !user_md5.empty() || !user_sha256.empty(); }
};

// Builds both digests of each non-empty password. Empty passwords stay unset.
Credentials make_credentials(const std::string& realm, const std::string& admin_password,
                             const std::string& user_password, bool local_access);

}  // namespace iw::server
