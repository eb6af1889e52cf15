#include "config/http_config.h"

#include <algorithm>
#include <string_view>

#include "base/strings.h"
#include "config/json_reader.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kSection = "http";
constexpr std::string_view kKnownKeys = "hosts";
constexpr size_t kMaxHostLength = 254;  // 253 and a trailing dot

// A DNS name or IPv4 address ([A-Za-z0-9._-]), or "[IPv6]". The server normalises it; this
// only keeps out what is surely not a name: a scheme, a port, a path, spaces.
bool host_like(std::string_view s) {
  if (s.empty() || s.size() > kMaxHostLength) return false;
  if (s.front() == '[') {
    return s.size() > 2 && s.back() == ']' &&
           std::all_of(s.begin() + 1, s.end() - 1, [](char c) { return is_hex_digit(c) || c == ':' || c == '.'; });
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
  });
}

std::vector<std::string> read_hosts(const json& v, const std::string& path, Problems& problems) {
  std::vector<std::string> hosts;
  if (!v.is_array()) {
    problems.add(path, detail::describe(v) + " is not an array of host names");
    return hosts;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string p = detail::index_path(path, i);
    if (!v[i].is_string() || !host_like(v[i].get<std::string>())) {
      problems.add(p, detail::describe(v[i]) +
                          " is not a host name (a DNS name or an IP address, without scheme or port, "
                          "e.g. \"iotawatt.example.lan\" or \"[fd00::7]\")");
      continue;
    }
    hosts.push_back(v[i].get<std::string>());
  }
  return hosts;
}

}  // namespace

Result<HttpConfig> http_config(const Config& config) {
  const json* section = config.section(kSection);
  if (section == nullptr) return HttpConfig{};
  Problems problems;
  if (!section->is_object())
    return Status::InvalidArgument("http: must be an object, not " + detail::describe(*section));
  ObjectReader r(*section, std::string(kSection), problems);
  HttpConfig http;
  if (const json* hosts = r.get("hosts")) http.hosts = read_hosts(*hosts, r.path_of("hosts"), problems);
  r.report_unknown(kKnownKeys);
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  return http;
}

}  // namespace iw::config
