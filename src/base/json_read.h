// Reading JSON that comes from outside the process: request bodies, files on disk, other
// servers' answers. Every parse of such input goes through read_json.
//
// Invariant: a value read_json returns nests at most `max_depth` containers deep. The limit is
// applied while parsing (nlohmann's SAX interface), so a deeper document is refused before any
// part of it below the limit exists: nlohmann's copy, comparison, dump and destructor recurse
// once per level, and a value 100 000 levels deep (600 KB of `{"a":`) overflows the stack in
// any of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace iw {

// Deep enough for any document this program reads (a config is 4 levels deep, a saved graph 5),
// shallow enough for any recursion over a value.
inline constexpr size_t kMaxJsonDepth = 64;

struct JsonLimits {
  size_t max_depth = kMaxJsonDepth;  // `1` and `[]` are depth 0 and 1, `{"a":[]}` is 2
  bool allow_comments = false;       // `//` and `/* */`, as ArduinoJson allowed in config.txt
};

// Why a text was refused, and where.
struct JsonError {
  enum class Kind {
    kSyntax,          // not JSON (nlohmann's description in `detail`)
    kNumberTooLarge,  // a number beyond a double, such as 2e308
    kTooDeep,         // containers nested deeper than JsonLimits::max_depth
  };
  Kind kind = Kind::kSyntax;
  size_t byte = 0;     // 1-based offset of the byte where reading stopped
  std::string detail;  // what is wrong, without the position

  // "<detail> at byte <byte>", e.g. "nesting deeper than 64 levels at byte 65".
  std::string message() const;
};

// The value of a text, or why it was refused.
struct JsonRead {
  nlohmann::json value;            // null when refused
  std::optional<JsonError> error;  // set when refused
  bool ok() const { return !error; }
};

// Parses all of `text` (trailing bytes other than blanks are a syntax error).
JsonRead read_json(std::string_view text, const JsonLimits& limits = {});

// `v` as an integer when it is a JSON integer within [lo, hi]; nullopt for anything else (a
// string, a fraction, a float such as 1e3, or a number out of range). Every integer read from
// a file or the network goes through this: nlohmann's get<int64_t>() casts a float (a number
// beyond int64 parses as one) by a conversion that is undefined out of range, and it wraps an
// unsigned integer beyond int64, or any integer read as `int`, silently.
std::optional<int64_t> json_integer(const nlohmann::json& v, int64_t lo, int64_t hi);
// json_integer of `object`'s member `key`; nullopt when `object` is not an object or lacks it.
std::optional<int64_t> json_integer_at(const nlohmann::json& object, const char* key, int64_t lo, int64_t hi);

}  // namespace iw
