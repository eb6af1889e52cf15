#include "config/update_config.h"

#include <fstream>
#include <string_view>

#include "base/strings.h"
#include "config/json_reader.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kSection = "update_server";
constexpr std::string_view kKnownKeys = "url, ca_file, keys, interval, max_download_mb, health_deadline";
constexpr size_t kMaxKeys = 8;
constexpr size_t kMaxUrlLength = 512;

void read_int(ObjectReader& r, std::string_view key, int lo, int hi, int& out, Problems& problems) {
  if (auto v = r.integer(key); v && detail::check_range(static_cast<double>(*v), lo, hi, r.path_of(key), problems)) {
    out = static_cast<int>(*v);
  }
}

void read_url(ObjectReader& r, UpdateServerConfig& u, Problems& problems) {
  if (auto v = r.string("url")) u.url = *v;
  if (u.url.empty()) {
    problems.add(r.path_of("url"), "required: the https:// address of the update server's directory");
  } else if (!u.url.starts_with("https://") || u.url.size() > kMaxUrlLength ||
             u.url.find_first_of(" \t\r\n\"<>\\^`{|}") != std::string::npos) {
    problems.add(r.path_of("url"), "must be an https:// address of at most 512 characters without spaces");
  }
}

void read_keys(const json& v, const std::string& path, UpdateServerConfig& u, Problems& problems) {
  if (!v.is_array() || v.size() > kMaxKeys) {
    problems.add(path, "must be an array of at most 8 public keys, not " + detail::describe(v));
    return;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get<std::string>().size() != 64 || !is_lower_hex(v[i].get<std::string>())) {
      problems.add(detail::index_path(path, i),
                   "is not a public key: 64 lowercase hex digits, as `iotawatt release keygen` prints");
      continue;
    }
    u.keys.push_back(v[i].get<std::string>());
  }
}

}  // namespace

Result<std::optional<UpdateServerConfig>> update_server_config(const Config& config) {
  const json* section = config.section(kSection);
  if (section == nullptr) return std::optional<UpdateServerConfig>{};
  if (!section->is_object()) {
    return Status::InvalidArgument("update_server: must be an object, not " + detail::describe(*section));
  }
  Problems problems;
  ObjectReader r(*section, std::string(kSection), problems);
  UpdateServerConfig u;
  read_url(r, u, problems);
  if (auto v = r.string("ca_file")) u.ca_file = *v;
  if (!u.ca_file.empty() && !std::ifstream(u.ca_file)) {
    problems.add(r.path_of("ca_file"), "cannot read \"" + u.ca_file + "\"");
  }
  if (const json* v = r.get("keys")) read_keys(*v, r.path_of("keys"), u, problems);
  read_int(r, "interval", 600, 86400, u.interval_s, problems);
  read_int(r, "max_download_mb", 1, 1024, u.max_download_mb, problems);
  read_int(r, "health_deadline", 60, 3600, u.health_deadline_s, problems);
  r.report_unknown(kKnownKeys);
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  return std::optional<UpdateServerConfig>(std::move(u));
}

}  // namespace iw::config
