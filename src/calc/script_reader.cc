#include "calc/script_reader.h"

#include <charconv>

#include <fmt/format.h>

namespace iw::calc::detail {

Result<Script> ScriptReader::finish(int root) {
  if (!error_.empty()) return Status::InvalidArgument(error_);
  script_.set_root(root);
  return std::move(script_);
}

int ScriptReader::fail(size_t at, std::string_view what) {
  if (error_.empty()) error_ = fmt::format("position {}: {}", at + 1, what);
  return -1;
}

int ScriptReader::channel(size_t at) {
  pos_ = at + 1;
  const size_t begin = pos_;
  while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
  int ch = 0;
  const auto [end, ec] = std::from_chars(text_.data() + begin, text_.data() + pos_, ch);
  if (begin == pos_ || ec != std::errc()) return fail(at, "'@' must be followed by a channel number");
  if (!names_.has_channel(ch)) return fail(at, fmt::format("input @{} is not an active input", ch));
  return script_.input(ch);
}

std::string ScriptReader::unexpected_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) return fmt::format("unexpected byte 0x{:02x}", u);
  return fmt::format("unexpected character '{}'", c);
}

}  // namespace iw::calc::detail
