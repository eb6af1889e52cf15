// Parsing of an `Authorization: Digest ...` header value (RFC 7616 section 3.4, RFC 7230
// section 7 list syntax). Accepts quoted and token values, any parameter order, commas and
// escaped quotes inside quoted strings, empty list elements and optional whitespace.
// Never throws; every malformed header yields an error.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace iw::server {

// Parameter names lowercased; values unquoted and unescaped.
using DigestParams = std::map<std::string, std::string>;

// Size caps. The `uri` parameter repeats the request-target, so it has its own cap, as long
// as the server's whole request head (16 KiB): any request the server reads can log in.
// Everything else a real client sends is a few hundred bytes.
inline constexpr size_t kMaxDigestUriSize = 16384;
inline constexpr size_t kMaxDigestParamsSize = 4096;  // the header without its uri value
inline constexpr size_t kMaxAuthorizationSize = kMaxDigestUriSize + kMaxDigestParamsSize;

// REQUIRES: nothing. Errors: not the Digest scheme, a parameter without `=` or a value,
// an unterminated quoted string, characters after a value, a repeated parameter, a `uri`
// longer than kMaxDigestUriSize, the rest longer than kMaxDigestParamsSize.
Result<DigestParams> parse_digest_authorization(std::string_view header);

}  // namespace iw::server
