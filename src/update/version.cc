#include "update/version.h"

#include <algorithm>

#include "base/strings.h"

namespace iw::update {
namespace {

constexpr size_t kMaxVersionChars = 64;
constexpr size_t kMaxNumberDigits = 9;  // below 2^32 by far

bool valid_identifier(std::string_view s) {
  if (s.empty()) return false;
  if (is_digits(s)) return s.size() == 1 || s[0] != '0';
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool parse_number(std::string_view s, uint32_t& out) {
  if (!is_digits(s) || s.size() > kMaxNumberDigits || (s.size() > 1 && s[0] == '0')) return false;
  out = 0;
  for (char c : s) out = out * 10 + static_cast<uint32_t>(c - '0');
  return true;
}

// Semantic Versioning 2.0, rule 11.4.
std::strong_ordering compare_identifiers(const std::string& a, const std::string& b) {
  const bool na = is_digits(a), nb = is_digits(b);
  if (na && nb) {
    if (a.size() != b.size()) return a.size() <=> b.size();  // no leading zeros: length orders
    return a.compare(b) <=> 0;
  }
  if (na != nb) return na ? std::strong_ordering::less : std::strong_ordering::greater;
  return a.compare(b) <=> 0;
}

}  // namespace

std::string ReleaseVersion::to_string() const {
  std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  for (size_t i = 0; i < pre_release.size(); ++i) s += (i == 0 ? "-" : ".") + pre_release[i];
  return s;
}

std::strong_ordering operator<=>(const ReleaseVersion& a, const ReleaseVersion& b) {
  if (auto c = a.major <=> b.major; c != 0) return c;
  if (auto c = a.minor <=> b.minor; c != 0) return c;
  if (auto c = a.patch <=> b.patch; c != 0) return c;
  const bool a_release = a.pre_release.empty(), b_release = b.pre_release.empty();
  if (a_release || b_release) return a_release <=> b_release;  // a release follows its pre-releases
  const size_t n = std::min(a.pre_release.size(), b.pre_release.size());
  for (size_t i = 0; i < n; ++i) {
    if (auto c = compare_identifiers(a.pre_release[i], b.pre_release[i]); c != 0) return c;
  }
  return a.pre_release.size() <=> b.pre_release.size();
}

Result<ReleaseVersion> parse_version(std::string_view text) {
  const std::string shown(text.substr(0, kMaxVersionChars));
  auto refuse = [&](const std::string& why) {
    return Status::InvalidArgument("version '" + shown + "': " + why + " (expected MAJOR.MINOR.PATCH, e.g. 1.4.0)");
  };
  if (text.size() > kMaxVersionChars) return refuse("longer than 64 characters");
  if (text.find('+') != std::string_view::npos) return refuse("build metadata ('+...') is not accepted");
  const size_t dash = text.find('-');
  const std::vector<std::string_view> numbers = split(text.substr(0, dash), '.');
  ReleaseVersion v;
  if (numbers.size() != 3 || !parse_number(numbers[0], v.major) || !parse_number(numbers[1], v.minor) ||
      !parse_number(numbers[2], v.patch)) {
    return refuse("not three numbers without leading zeros");
  }
  if (dash == std::string_view::npos) return v;
  for (std::string_view id : split(text.substr(dash + 1), '.')) {
    if (!valid_identifier(id)) return refuse("pre-release identifier '" + std::string(id) + "' is not valid");
    v.pre_release.emplace_back(id);
  }
  return v;
}

}  // namespace iw::update
