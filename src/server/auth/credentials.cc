#include "server/auth/credentials.h"

#include "server/auth/digest_hash.h"

namespace iw::server {

Credentials make_credentials(const std::string& realm, const std::string& admin_password,
                             const std::string& user_password, bool local_access) {
  Credentials c;
  c.realm = realm;
  c.local_access = local_access;
  if (!admin_password.empty()) {
    c.admin_md5 = digest_ha1(DigestAlgorithm::kMd5, "admin", realm, admin_password);
    c.admin_sha256 = digest_ha1(DigestAlgorithm::kSha256, "admin", realm, admin_password);
  }
  if (!user_password.empty()) {
    c.user_md5 = digest_ha1(DigestAlgorithm::kMd5, "user", realm, user_password);
    c.user_sha256 = digest_ha1(DigestAlgorithm::kSha256, "user", realm, user_password);
  }
  return c;
}

}  // namespace iw::server
