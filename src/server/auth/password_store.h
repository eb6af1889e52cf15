// Where the passwords live: `<data dir>/auth.json`, HA1 digests only (MD5 and SHA-256 of
// "<user>:<realm>:<password>"), plus the realm they were made with and the localAccess flag.
//
//   {"format":"iotawatt-auth","version":1,"realm":"IotaWatt",
//    "admin":{"md5":"<32 hex>","sha256":"<64 hex>"},      (absent: no admin password)
//    "user":{"md5":"<32 hex>","sha256":"<64 hex>"},       (absent: no user password)
//    "localAccess":false}
//
// Written atomically (temp file, fsync, rename, fsync of the directory), mode 0600. A file
// with no admin entry is kept, not deleted, so that a legacy auth.txt next to it is never
// picked up again. To recover a lost password, delete auth.json (and auth.txt).
//
// When ours is absent, the original firmware's `auth.txt` in the same directory is read:
// 32 hex admin HA1 (MD5), optionally 32 hex user HA1, optionally the byte 0x01 (localAccess).
// Those digests carry no realm; the device name at load time is assumed, and they have no
// SHA-256 twin, so only MD5 logins work until the passwords are changed.
//
// Renaming the device: HA1 includes the realm and cannot be recomputed without the password,
// so the stored realm is kept and still used in challenges; logins keep working after a
// rename. The next POST /auth hashes the new passwords with the then-current device name.
#pragma once

#include <string>

#include "base/status.h"
#include "server/auth/credentials.h"

namespace iw::server {

class PasswordStore {
 public:
  // `data_dir` must exist; the files are `data_dir`/auth.json and `data_dir`/auth.txt.
  explicit PasswordStore(std::string data_dir);

  // The stored credentials; no file at all means no passwords (everything open) with
  // `device_name` as realm. A damaged file is an error, never "no passwords": the caller
  // must not open the device because a file is unreadable.
  Result<Credentials> load(const std::string& device_name) const;

  // REQUIRES: external synchronization between concurrent save() calls.
  Status save(const Credentials& credentials) const;

  std::string path() const;
  std::string legacy_path() const;

 private:
  std::string dir_;
};

// Parsers, exposed for tests.
Result<Credentials> parse_auth_json(const std::string& text);
Result<Credentials> parse_legacy_auth_txt(const std::string& bytes, const std::string& realm);
std::string render_auth_json(const Credentials& credentials);

}  // namespace iw::server
