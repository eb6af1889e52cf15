// Response headers for the web app's pages and files (the static-file fallback adds them, so
// they are set in this one place):
//   Content-Security-Policy  scripts, styles, fetches only from this monitor, no inline script or
//                            style attribute, no plugins; images also data: (the empty favicon);
//                            no framing (frame-ancestors, with X-Frame-Options for old browsers)
//   X-Content-Type-Options   nosniff: a file is only ever what its Content-Type says
//   Referrer-Policy          same-origin: links out do not tell other sites the monitor's address
// The app (web/) keeps to this: no inline <script>, event or style attribute; styles set from
// JS go through the CSSOM (element.style), which the policy allows.
#pragma once

#include "server/http.h"

namespace iw::server {

inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

// `response` with the headers above.
HttpResponse with_page_headers(HttpResponse response);

}  // namespace iw::server
