// Base64 (RFC 4648) on OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock, with the two alphabets
// this program speaks: standard ('+' '/') for HTTP Basic auth and the original's password
// form, URL-safe ('-' '_') for Emoncms and the config endpoint's ETag.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace iw {

// Standard alphabet, '=' padded: "fo" -> "Zm8=".
std::string base64_encode(std::string_view bytes);
// URL-safe alphabet ('-' for '+', '_' for '/'), still '=' padded, as Emoncms expects:
// "\xfb\xff\xbf" -> "-_-_".
std::string base64url_encode(std::string_view bytes);

// Decodes either alphabet (they may even mix), as browsers and scripts send it: blanks (space,
// tab, CR, LF) anywhere are skipped and the '=' padding is optional, but nothing may follow
// it. A lone character left over (4n+1 characters) is an error; leftover bits are dropped.
Result<std::string> base64_decode(std::string_view text);

}  // namespace iw
