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

// Longest header value accepted; a real client sends a few hundred bytes.
inline constexpr size_t kMaxAuthorizationSize = 4096;

// REQUIRES: nothing. Errors: not the Digest scheme, a parameter without `=` or a value,
// an unterminated quoted string, characters after a value, a repeated parameter, too long.
Result<DigestParams> parse_digest_authorization(std::string_view header);

}  // namespace iw::server
