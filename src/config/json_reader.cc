#include "config/json_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "base/json_read.h"
#include "base/strings.h"
#include "measure/phase_curve.h"

namespace iw::config::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Parses the whole of `s` (surrounding blanks allowed) as a decimal number.
std::optional<double> number_from_text(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::string copy(s);  // strtod needs a terminated string
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return v;
}

// "line L, column C" of the 1-based `byte` (the byte itself counts as read).
std::string line_and_column(std::string_view text, size_t byte) {
  const size_t end = std::min(text.size(), byte == 0 ? size_t{0} : byte - 1);
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

}  // namespace

void Problems::add(std::string_view path, std::string_view what) {
  lines_.push_back(path.empty() ? std::string(what) : fmt::format("{}: {}", path, what));
}

std::string Problems::joined() const {
  std::string out;
  for (const auto& line : lines_) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

std::string key_path(std::string_view base, std::string_view key) {
  if (base.empty()) return std::string(key);
  return fmt::format("{}.{}", base, key);
}

std::string index_path(std::string_view base, size_t index) { return fmt::format("{}[{}]", base, index); }

std::string num(double v) { return fmt::format("{}", v); }

json number_value(double v) {
  if (v == std::trunc(v) && std::fabs(v) < 9.0e15) return static_cast<int64_t>(v);
  return v;
}

json number_values(const std::vector<double>& v) {
  json out = json::array();
  for (double x : v) out.push_back(number_value(x));
  return out;
}

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return v.empty() ? "an empty array" : fmt::format("an array of {}", v.size());
    case json::value_t::number_float:
      return num(v.get<double>());
    case json::value_t::string: {
      std::string s = v.dump();
      if (s.size() > 40) s = s.substr(0, 36) + "...\"";
      return s;
    }
    default:
      return v.dump();
  }
}

std::optional<json> parse_text(std::string_view text, std::string_view what, Problems& problems) {
  JsonLimits limits;
  limits.allow_comments = true;
  JsonRead r = read_json(text, limits);
  if (r.ok()) return std::move(r.value);
  const JsonError& e = *r.error;
  switch (e.kind) {
    case JsonError::Kind::kSyntax:
      problems.add(what, fmt::format("JSON syntax error at {}: {}", line_and_column(text, e.byte), e.detail));
      break;
    case JsonError::Kind::kNumberTooLarge:
      problems.add(what, fmt::format("JSON number out of range: {}", e.detail));
      break;
    case JsonError::Kind::kTooDeep:
      problems.add(what, fmt::format("{} ({})", e.message(), line_and_column(text, e.byte)));
      break;
  }
  return std::nullopt;
}

std::optional<double> read_number(const json& v, std::string_view path, Problems& problems) {
  std::optional<double> out;
  if (v.is_number()) {
    out = v.get<double>();
  } else if (v.is_string()) {
    out = number_from_text(v.get_ref<const std::string&>());
  }
  if (!out) {
    problems.add(path, fmt::format("{} is not a number", describe(v)));
    return std::nullopt;
  }
  if (!std::isfinite(*out)) {
    problems.add(path, fmt::format("{} is not a finite number", describe(v)));
    return std::nullopt;
  }
  return out;
}

std::optional<int64_t> read_integer(const json& v, std::string_view path, Problems& problems) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()}) {
      problems.add(path, fmt::format("{} is too large", describe(v)));
      return std::nullopt;
    }
    return v.get<int64_t>();
  }
  if (v.is_string()) {
    // Exact integer text first, so large values (seeds) keep every digit.
    const std::string_view s = trim(v.get_ref<const std::string&>());
    int64_t exact = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), exact);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return exact;
  }
  Problems local;
  const std::optional<double> d = read_number(v, path, local);
  if (!d) {
    problems.add(path, fmt::format("{} is not a whole number", describe(v)));
    return std::nullopt;
  }
  if (*d != std::floor(*d) || std::fabs(*d) > 9.0e15) {
    problems.add(path, fmt::format("{} is not a whole number", describe(v)));
    return std::nullopt;
  }
  return static_cast<int64_t>(*d);
}

std::optional<bool> read_bool(const json& v, std::string_view path, Problems& problems) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i == 0 || i == 1) return i == 1;
  }
  if (v.is_string()) {
    const std::string_view s = trim(v.get_ref<const std::string&>());
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
  }
  problems.add(path, fmt::format("{} is not true or false", describe(v)));
  return std::nullopt;
}

std::optional<std::string> read_string(const json& v, std::string_view path, Problems& problems) {
  if (v.is_string()) return v.get<std::string>();
  problems.add(path, fmt::format("{} is not a string", describe(v)));
  return std::nullopt;
}

std::optional<std::vector<double>> read_number_array(const json& v, std::string_view path, Problems& problems) {
  if (!v.is_array()) {
    problems.add(path, fmt::format("{} is not an array of numbers", describe(v)));
    return std::nullopt;
  }
  std::vector<double> out;
  bool ok = true;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::optional<double> d = read_number(v[i], index_path(path, i), problems);
    if (d) {
      out.push_back(*d);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

bool check_range(double v, double lo, double hi, std::string_view path, Problems& problems, std::string_view why) {
  const std::string tail = why.empty() ? std::string() : fmt::format(" ({})", why);
  if (v < lo) {
    problems.add(path, fmt::format("{} is less than {}{}", num(v), num(lo), tail));
    return false;
  }
  if (v > hi) {
    problems.add(path, fmt::format("{} is more than {}{}", num(v), num(hi), tail));
    return false;
  }
  return true;
}

const json* ObjectReader::get(std::string_view key) {
  known_.insert(std::string(key));
  const auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<double> ObjectReader::number(std::string_view key) {
  const json* v = get(key);
  return v ? read_number(*v, path_of(key), problems_) : std::nullopt;
}

std::optional<int64_t> ObjectReader::integer(std::string_view key) {
  const json* v = get(key);
  return v ? read_integer(*v, path_of(key), problems_) : std::nullopt;
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
  const json* v = get(key);
  return v ? read_bool(*v, path_of(key), problems_) : std::nullopt;
}

std::optional<std::string> ObjectReader::string(std::string_view key) {
  const json* v = get(key);
  return v ? read_string(*v, path_of(key), problems_) : std::nullopt;
}

std::optional<std::vector<double>> ObjectReader::number_array(std::string_view key) {
  const json* v = get(key);
  return v ? read_number_array(*v, path_of(key), problems_) : std::nullopt;
}

std::optional<std::vector<double>> ObjectReader::lead_table(std::string_view key) {
  std::optional<std::vector<double>> table = number_array(key);
  if (!table) return table;
  if (Status st = measure::PhaseCurve::check_table(*table); !st) {
    problems_.add(path_of(key), st.message());
    return std::nullopt;
  }
  return table;
}

json ObjectReader::unknown() const {
  json out = json::object();
  for (const auto& [key, value] : obj_.items()) {
    if (!known_.contains(key)) out[key] = value;
  }
  return out;
}

void ObjectReader::report_unknown(std::string_view known_list) {
  for (const auto& [key, value] : obj_.items()) {
    if (!known_.contains(key)) problems_.add(path_of(key), fmt::format("unknown key (known: {})", known_list));
  }
}

}  // namespace iw::config::detail
