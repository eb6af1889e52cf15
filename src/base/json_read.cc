#include "base/json_read.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <utility>
#include <vector>

namespace iw {
namespace {

using nlohmann::json;

// Walks the text and counts the bytes the parser has taken, so that a refusal from the
// builder (for which nlohmann reports no position) can say where it happened.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* at, size_t* taken) : at_(at), taken_(taken) {}
  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    ++*taken_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_;
  size_t* taken_;
};

// Builds the value from nlohmann's SAX events, and stops at the first container that would
// nest deeper than the limit. Invariants: `open_` holds the containers not yet closed,
// outermost first, never more than `max_depth_`; `slot_` is the member named by the last key
// of the innermost open object. A pointer in `open_` stays valid because values are only
// added to the innermost container: its ancestors do not grow while it is open.
class DepthLimitedBuilder {
 public:
  explicit DepthLimitedBuilder(size_t max_depth) : max_depth_(max_depth) {}

  bool null() { return put(nullptr); }
  bool boolean(bool v) { return put(v); }
  bool number_integer(json::number_integer_t v) { return put(v); }
  bool number_unsigned(json::number_unsigned_t v) { return put(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return put(v); }
  bool string(json::string_t& v) { return put(std::move(v)); }
  bool binary(json::binary_t& v) { return put(json::binary(std::move(v))); }
  bool start_object(size_t) { return open(json::object()); }
  bool start_array(size_t) { return open(json::array()); }
  bool key(json::string_t& name) {
    slot_ = &(*open_.back())[name];
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(size_t position, const std::string&, const json::exception& e) {
    const bool overflow = dynamic_cast<const json::out_of_range*>(&e) != nullptr;
    error_ = JsonError{overflow ? JsonError::Kind::kNumberTooLarge : JsonError::Kind::kSyntax, position,
                       description(e.what())};
    return false;
  }

  bool too_deep() const { return too_deep_; }
  const std::optional<JsonError>& error() const { return error_; }
  json take() { return std::move(root_); }

 private:
  // nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1, column 2:
  // <detail>" or "[json.exception.out_of_range.406] <detail>"; the position is reported apart.
  static std::string description(std::string what) {
    if (const size_t at = what.find("column"); at != std::string::npos) {
      if (const size_t colon = what.find(": ", at); colon != std::string::npos) return what.substr(colon + 2);
    }
    if (const size_t at = what.find("] "); at != std::string::npos) return what.substr(at + 2);
    return what;
  }

  bool put(json v) {
    place(std::move(v));
    return true;
  }
  json* place(json v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    *slot_ = std::move(v);
    return slot_;
  }
  bool open(json container) {
    if (open_.size() >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    open_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  const size_t max_depth_;
  json root_;
  std::vector<json*> open_;
  json* slot_ = nullptr;
  bool too_deep_ = false;
  std::optional<JsonError> error_;
};

}  // namespace

std::string JsonError::message() const { return detail + " at byte " + std::to_string(byte); }

JsonRead read_json(std::string_view text, const JsonLimits& limits) {
  // nlohmann ends the input at a NUL byte and ignores what follows; JSON text never holds one
  // (not even in a string, where it must be escaped), so it is refused here.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return JsonRead{nullptr, JsonError{JsonError::Kind::kSyntax, nul + 1, "unexpected NUL byte"}};
  }
  DepthLimitedBuilder builder(limits.max_depth);
  size_t taken = 0;
  const CountingIterator first(text.data(), &taken);
  const CountingIterator last(text.data() + text.size(), &taken);
  const bool parsed =
      json::sax_parse(first, last, &builder, json::input_format_t::json, /*strict=*/true, limits.allow_comments);
  if (parsed) return JsonRead{builder.take(), std::nullopt};
  if (builder.too_deep()) {
    // The parser stopped right after the bracket that opened the container too many.
    return JsonRead{nullptr, JsonError{JsonError::Kind::kTooDeep, taken,
                                       "nesting deeper than " + std::to_string(limits.max_depth) + " levels"}};
  }
  if (std::optional<JsonError> e = builder.error()) {
    // nlohmann counts a read past the end twice after a `//` comment that runs to the end;
    // the end of the text is byte size + 1 (found by fuzz/json_reader_fuzz.cc).
    e->byte = std::min(e->byte, text.size() + 1);
    return JsonRead{nullptr, std::move(e)};
  }
  return JsonRead{nullptr, JsonError{JsonError::Kind::kSyntax, taken, "unreadable JSON"}};
}

std::optional<int64_t> json_integer(const nlohmann::json& v, int64_t lo, int64_t hi) {
  int64_t i = 0;
  if (v.is_number_unsigned()) {  // nlohmann reads every integer >= 0 as unsigned
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    i = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    i = v.get<int64_t>();
  } else {
    return std::nullopt;
  }
  if (i < lo || i > hi) return std::nullopt;
  return i;
}

std::optional<int64_t> json_integer_at(const nlohmann::json& object, const char* key, int64_t lo, int64_t hi) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  return it == object.end() ? std::nullopt : json_integer(*it, lo, hi);
}

}  // namespace iw
