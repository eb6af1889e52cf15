// What both script parsers share: the text, the position, the first error, and the tokens that
// read the same in both syntaxes (`@n`). Internal to src/calc.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "base/strings.h"
#include "calc/names.h"
#include "calc/script.h"

namespace iw::calc::detail {

inline bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
inline bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

class ScriptReader {
 protected:
  ScriptReader(std::string_view text, const NameScope& names) : text_(text), names_(names) {}

  // The parse's result: the script with `root`, or the first error.
  Result<Script> finish(int root);
  // Records "position N: what" (the first error wins) and returns -1, the parsers' "no node".
  int fail(size_t at, std::string_view what);
  // `@n` at `at`: an active input's node.
  int channel(size_t at);
  // "unexpected character 'x'", or the byte in hex when it is not printable ASCII.
  static std::string unexpected_char(char c);

  std::string_view text_;
  const NameScope& names_;
  Script script_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace iw::calc::detail
