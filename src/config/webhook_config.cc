#include "config/webhook_config.h"

#include <fstream>
#include <string_view>

#include "config/json_reader.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kSection = "webhook";
constexpr std::string_view kKnownKeys = "enabled, url, secret, ca_file, timeout_s";

// What is wrong with `url` as a webhook address, or "" when it is fine: a scheme the
// transport speaks, a host, no credentials (the secret has its own key) and nothing a header
// or a log line could be split on.
std::string url_problem(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return "must start with http:// or https://";
  }
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) return "must not contain spaces or line breaks";
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return "must not hold a user name or password";
  if (authority.empty() || authority.front() == ':') return "must name a host";
  return "";
}

}  // namespace

Result<std::optional<WebhookConfig>> webhook_config(const Config& config) {
  const json* section = config.section(kSection);
  if (section == nullptr) return std::optional<WebhookConfig>{};
  if (!section->is_object()) {
    return Status::InvalidArgument("webhook: must be an object, not " + detail::describe(*section));
  }
  Problems problems;
  ObjectReader r(*section, std::string(kSection), problems);
  if (!r.boolean("enabled").value_or(true)) return std::optional<WebhookConfig>{};

  WebhookConfig w;
  if (r.get("url") == nullptr) {
    problems.add(r.path_of("url"), "required: the address events are POSTed to");
  } else if (auto v = r.string("url")) {  // not a string: reported by string()
    w.url = *v;
    if (std::string why = url_problem(w.url); !why.empty()) problems.add(r.path_of("url"), why);
  }
  if (auto v = r.string("secret")) w.secret = *v;
  if (auto v = r.string("ca_file")) w.ca_file = *v;
  // Read when connecting; a wrong path is reported when the config is saved, not in the log.
  if (!w.ca_file.empty() && !std::ifstream(w.ca_file)) {
    problems.add(r.path_of("ca_file"), "cannot read \"" + w.ca_file + "\"");
  }
  if (auto v = r.integer("timeout_s")) {
    if (*v < 1 || *v > 60) {
      problems.add(r.path_of("timeout_s"), "must be 1-60");
    } else {
      w.timeout_s = static_cast<int>(*v);
    }
  }
  r.report_unknown(kKnownKeys);
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  return std::optional<WebhookConfig>(std::move(w));
}

}  // namespace iw::config
