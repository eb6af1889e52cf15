// The account level each HTTP endpoint needs (reference sections 6.1, 6.6 and 8.3), with the
// original's gaps closed: /esp_spiffs/* needs admin like any non-user static path (fix 13),
// and the user role reads only the web app's own files and its data (issue 12).
#pragma once

#include <string_view>

#include "server/auth/digest_auth.h"
#include "server/http.h"

namespace iw::server {

// `method` as received ("GET", "HEAD" counts as GET); `path` percent-decoded, without the
// query. Unknown API routes and unknown methods need admin (fail closed). Static files need
// user only where the user role has something to read (never a path starting /config):
//   - the web app's own files in the root directory and /vendor/ (its libraries), by type:
//     pages, scripts, styles, images, fonts ("/" itself too). Other files there, such as the
//     web directory's README.md and package.json, are not the app: admin;
//   - any file under /user/ and /graphs/ (the original's user data, saved graphs).
// Everything else needs admin: /iotawatt/ (the message log), node_modules, config.txt.
// Never kNone: whether a password is set is DigestAuth's decision.
Access access_for(std::string_view method, std::string_view path);

// The same for a whole request head, where the query matters:
//   - GET /list?dir=D lists a directory: user for /user/ and /graphs/ and below, admin for
//     any other (the web root shows the files the user may not read; /iotawatt/ the log);
//   - a GET of a path that is no API route with download=yes runs a query, as the original
//     does (api_routes.cc's fallback), so it needs what /query needs: user.
Access access_for(const HttpRequest& request);

}  // namespace iw::server
