// Small text helpers every layer needs, written once. All are ASCII-only and independent of
// the C locale (std::isdigit and std::tolower are not, and take int, not char): the texts are
// protocol tokens, keys and URLs, never prose. Prefix and suffix tests are
// std::string_view::starts_with / ends_with (C++20); no helper here repeats them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace iw {

// '0'..'9'.
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
// '0'..'9', 'a'..'f', 'A'..'F'.
bool is_hex_digit(char c);
// The value (0..15) of a hex digit of either case; -1 for any other character.
int hex_value(char c);

// True when `s` is not empty and every character is a decimal digit.
bool is_digits(std::string_view s);
// True when `s` is not empty and every character is a hex digit of either case.
bool is_hex(std::string_view s);
// True when `s` is not empty and every character is in 0-9a-f (the form digests are stored in).
bool is_lower_hex(std::string_view s);

// Two lowercase hex digits per byte of `bytes`, high nibble first: "\x01\xab" -> "01ab".
std::string hex_encode(std::string_view bytes);

// `s` with 'A'..'Z' mapped to 'a'..'z'; every other byte (UTF-8 included) unchanged.
std::string lower(std::string_view s);
// `s` with 'a'..'z' mapped to 'A'..'Z'.
std::string upper(std::string_view s);
// a == b ignoring ASCII case (header names, unit names).
bool equals_ignore_case(std::string_view a, std::string_view b);

// RFC 3986 percent-decoding: "%XX" (hex of either case) becomes the byte XX; a '%' not
// followed by two hex digits stays as it is; '+' stays '+'. For request paths and URIs.
std::string percent_decode(std::string_view s);
// application/x-www-form-urlencoded: percent_decode, and '+' means a space. For query strings
// and form bodies.
std::string form_decode(std::string_view s);

// "YYYY-MM-DDTHH:MM:SSZ" for a Unix time in seconds (`separator` between date and time). Any
// int64 time: std::chrono's civil calendar, not gmtime, whose time_t has 32 bits on 32-bit
// ARM (Debian 12's armhf) and wraps in January 2038.
std::string utc_text(int64_t unix_seconds, char separator = 'T');

}  // namespace iw
