// POST /auth (reference section 8.4): the body is the base64 of a JSON object
//   {"oldadmin":"...","newadmin":"...","newuser":"...","localAccess":true|false}
// Replies (text/plain, no line end), as the original:
//   400 "Json parse failed."               body is not base64 of a JSON object
//   400 "Current admin password invalid."  an admin password is set and oldadmin is wrong
//   200 ""                                 newadmin absent: the UI only checks oldadmin
//   200 "Passwords reset."                 saved; both passwords replaced (empty = removed)
//   400 "Error saving passwords."          save failed; the old passwords stay in force
// Our additions:
//   400 "Invalid password."                 a new password is not a string, contains a control
//                                           character (below 0x20, or 0x7f), or is longer than
//                                           64 bytes
//   400 kPasswordTooShort                   a new password (admin or user) is not empty and
//                                           has fewer than 8 characters (UTF-8 code points)
// The original's UI allows up to 16 of [A-Za-z0-9_!%@#]; anything printable (UTF-8 included)
// is accepted, because HA1 is computed over bytes and clients may use longer passphrases.
// The minimum length matters because guessing is limited only by the per-client backoff
// (login_backoff.h): a handful of guesses a minute per address.
//   400 "Json parse failed: nesting deeper than 64 levels at byte N." (base/json_read.h)
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "server/auth/credentials.h"

namespace iw::server {

inline constexpr size_t kMinPasswordCharacters = 8;
inline constexpr const char* kPasswordTooShort = "Passwords need at least 8 characters.";

struct AuthReply {
  int status = 200;
  std::string body;  // text/plain
};

// `current`: the credentials in force. `device_name`: the realm for new digests. `save`
// persists and installs new credentials; it is called only when newadmin is present.
AuthReply change_passwords(std::string_view body, const Credentials& current, const std::string& device_name,
                           const std::function<Status(const Credentials&)>& save);

}  // namespace iw::server
