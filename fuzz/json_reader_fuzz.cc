// libFuzzer target: arbitrary bytes through read_json (base/json_read.h), the one reader of
// every JSON that comes from outside. It may refuse the input, but it must not crash, leak,
// hang or trip a sanitizer, and:
//   - a value it returns nests no deeper than the limit, survives dump() and a re-read, and is
//     the value nlohmann's own parser builds from the same text;
//   - a text it refuses as a syntax error nlohmann refuses too (except one holding a NUL byte,
//     where nlohmann stops reading and we refuse);
//   - a "too deep" refusal points at the bracket that opened the level too many.
// The first byte picks the limits (depth 0..63, comments or not); the rest is the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json_read.h"

namespace {

using nlohmann::json;

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "json_reader_fuzz: %s\n%.*s\n", what, static_cast<int>(std::min<size_t>(text.size(), 2000)),
               text.data());
  std::abort();  // libFuzzer keeps the input that got here
}

// Containers nested in `v`, counted without recursion.
size_t depth_of(const json& v) {
  size_t deepest = 0;
  std::vector<std::pair<const json*, size_t>> todo{{&v, 0}};
  while (!todo.empty()) {
    const auto [at, depth] = todo.back();
    todo.pop_back();
    if (!at->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const json& child : *at) todo.push_back({&child, depth + 1});
  }
  return deepest;
}

void check_value(const iw::JsonRead& r, std::string_view text, const iw::JsonLimits& limits) {
  if (depth_of(r.value) > limits.max_depth) fail("a value deeper than the limit came back", text);
  const json nlohmann_value = json::parse(text.begin(), text.end(), nullptr, false, limits.allow_comments);
  if (nlohmann_value.is_discarded() || nlohmann_value != r.value) fail("nlohmann builds another value", text);
  const iw::JsonRead again = iw::read_json(r.value.dump(), limits);
  if (!again.ok() || again.value != r.value) fail("dump() does not read back to the same value", text);
}

void check_refusal(const iw::JsonError& e, std::string_view text, const iw::JsonLimits& limits) {
  if (e.byte == 0 || e.byte > text.size() + 1) fail("the refusal points outside the text", text);
  if (e.kind == iw::JsonError::Kind::kTooDeep) {
    const char c = text[e.byte - 1];
    if (c != '{' && c != '[') fail("a too-deep refusal does not point at a bracket", text);
    return;
  }
  if (text.find('\0') != std::string_view::npos) return;
  if (json::accept(text.begin(), text.end(), limits.allow_comments)) fail("nlohmann accepts what we refused", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  iw::JsonLimits limits;
  limits.max_depth = data[0] % 64;
  limits.allow_comments = (data[0] & 0x40) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const iw::JsonRead r = iw::read_json(text, limits);
  if (r.ok()) {
    check_value(r, text, limits);
  } else {
    check_refusal(*r.error, text, limits);
  }
  return 0;
}
