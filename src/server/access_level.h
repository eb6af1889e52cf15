// The account level each HTTP endpoint needs (reference sections 6.1, 6.6 and 8.3), with the
// original's gap closed: /esp_spiffs/* needs admin like any non-user static path (fix 13).
#pragma once

#include <string_view>

#include "server/digest_auth.h"

namespace iw::server {

// `method` as received ("GET", "HEAD" counts as GET); `path` percent-decoded, without the
// query. Unknown API routes and unknown methods need admin (fail closed). Static files: user
// when the path does not start with /config and is in the root directory, /user/, /graphs/
// or /vendor/ (ours: the web app's libraries); admin otherwise. Never kNone: whether a password is set is DigestAuth's decision.
Access access_for(std::string_view method, std::string_view path);

}  // namespace iw::server
