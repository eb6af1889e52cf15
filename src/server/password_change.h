// POST /auth (reference section 8.4): the body is the base64 of a JSON object
//   {"oldadmin":"...","newadmin":"...","newuser":"...","localAccess":true|false}
// Replies (text/plain, no line end), as the original:
//   400 "Json parse failed."               body is not base64 of a JSON object
//   400 "Current admin password invalid."  an admin password is set and oldadmin is wrong
//   200 ""                                 newadmin absent: the UI only checks oldadmin
//   200 "Passwords reset."                 saved; both passwords replaced (empty = removed)
//   400 "Error saving passwords."          save failed; the old passwords stay in force
// Our addition: 400 "Invalid password." when a new password is not a string, contains a
// control character (below 0x20, or 0x7f), or is longer than 64 bytes. The UI allows up to 16
// of [A-Za-z0-9_!%@#]; anything else printable (UTF-8 included) is accepted, because HA1 is
// computed over bytes and clients other than the UI may use longer passphrases. And 400
// "Json parse failed: nesting deeper than 64 levels at byte N." (base/json_read.h).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "server/credentials.h"

namespace iw::server {

struct AuthReply {
  int status = 200;
  std::string body;  // text/plain
};

// `current`: the credentials in force. `device_name`: the realm for new digests. `save`
// persists and installs new credentials; it is called only when newadmin is present.
AuthReply change_passwords(std::string_view body, const Credentials& current, const std::string& device_name,
                           const std::function<Status(const Credentials&)>& save);

// Base64 with either alphabet (+/ or -_), padding optional, whitespace ignored.
Result<std::string> decode_base64(std::string_view text);

}  // namespace iw::server
