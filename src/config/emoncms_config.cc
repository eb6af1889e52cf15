#include "config/emoncms_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>

#include "base/json_read.h"
#include "base/strings.h"
#include "config/json_reader.h"
#include "config/script_defs.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kSection = "emoncms";
constexpr int kMaxInputKey = 29;

// Emoncms keeps letters, digits, '_', ' ', '-' and '.' of a node name; anything else would
// also need escaping inside the JSON frames, which the original never did.
bool valid_node(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ' ' || c == '-' || c == '.';
  });
}

// `userid` is numeric; the UI writes it as a string, a hand-edited file may hold a number.
std::optional<std::string> read_userid(const json* v, const std::string& path, Problems& problems) {
  if (v == nullptr) return std::string();
  if (const std::optional<int64_t> id = json_integer(*v, 0, INT64_MAX)) return std::to_string(*id);
  if (!v->is_string()) {
    problems.add(path, fmt::format("{} is not a user id (digits)", detail::describe(*v)));
    return std::nullopt;
  }
  const std::string s = v->get<std::string>();
  if (!s.empty() && !is_digits(s)) {
    problems.add(path, fmt::format("{} is not a user id (digits)", detail::describe(*v)));
    return std::nullopt;
  }
  return s;
}

void read_apikey(ObjectReader& r, EmoncmsSettings& s, Problems& problems) {
  const std::string path = r.path_of("apikey");
  const std::optional<std::string> key = r.get("apikey") ? r.string("apikey") : std::nullopt;
  if (!r.get("apikey")) {
    problems.add(path, "missing (the 32 hex digit write API key of the Emoncms account)");
  } else if (key && (key->size() != 32 || !is_hex(*key))) {
    // The key itself is never echoed: only its shape.
    problems.add(path, fmt::format("is {} characters{}; expected 32 hex digits (the write API key)", key->size(),
                                   is_hex(*key) ? "" : " with non-hex characters"));
  } else if (key) {
    s.apikey = lower(*key);
  }
}

// Outputs: names are Emoncms input keys, integers 1..29, strictly increasing (the firmware
// calls anything else an "output sequence error").
void read_outputs(ObjectReader& r, EmoncmsSettings& s, Problems& problems) {
  const std::string path = r.path_of("outputs");
  auto outputs = detail::read_script_outputs(r, "name is the Emoncms input key 1..29", problems);
  if (!outputs) return;
  if (outputs->empty()) problems.add(path, "is empty: nothing would be sent");
  int previous = 0;
  for (size_t i = 0; i < outputs->size(); ++i) {
    const ScriptOutput& out = (*outputs)[i];
    const std::string name_path = detail::key_path(detail::index_path(path, i), "name");
    int key = 0;
    const auto [end, ec] = std::from_chars(out.name.data(), out.name.data() + out.name.size(), key);
    if (ec != std::errc() || end != out.name.data() + out.name.size() || key < 1 || key > kMaxInputKey) {
      problems.add(name_path,
                   fmt::format("\"{}\" is not an Emoncms input key (an integer 1..{})", out.name, kMaxInputKey));
      continue;
    }
    if (key <= previous) {
      problems.add(name_path,
                   fmt::format("input key {} does not follow {}: keys must be strictly increasing", key, previous));
      continue;
    }
    previous = key;
    s.outputs.push_back(EmoncmsOutput{key, out});
  }
}

void read_timing(ObjectReader& r, EmoncmsSettings& s, Problems& problems) {
  if (auto v = r.integer("postInterval")) {
    const std::string path = r.path_of("postInterval");
    if (detail::check_range(static_cast<double>(*v), 5, 3600, path, problems)) {
      if (*v % 5 != 0) {
        problems.add(path, fmt::format("{} is not a multiple of 5 (the datalog's interval)", *v));
      } else {
        s.post_interval_s = static_cast<int>(*v);
      }
    }
  }
  if (auto v = r.integer("bulksend");
      v && detail::check_range(static_cast<double>(*v), 1, 60, r.path_of("bulksend"), problems)) {
    s.bulksend = static_cast<int>(*v);
  }
  if (auto v = r.integer("begdate");
      v && detail::check_range(static_cast<double>(*v), 0, 4102444800.0, r.path_of("begdate"), problems)) {
    s.begdate = *v;
  }
}

}  // namespace

namespace detail {

std::optional<std::vector<ScriptOutput>> read_script_outputs(ObjectReader& section, std::string_view names_hint,
                                                             Problems& problems) {
  const std::string path = section.path_of("outputs");
  const json* outputs = section.get("outputs");
  if (outputs == nullptr) {
    problems.add(path, fmt::format("missing (an array of {{name, units, script}}; {})", names_hint));
    return std::nullopt;
  }
  if (!outputs->is_array()) {
    problems.add(path, fmt::format("{} is not an array of outputs", describe(*outputs)));
    return std::nullopt;
  }
  const size_t before = problems.size();
  std::vector<ScriptOutput> out;
  for (size_t i = 0; i < outputs->size(); ++i) {
    const json& o = (*outputs)[i];
    const std::string p = index_path(path, i);
    if (!o.is_object()) {
      problems.add(p, fmt::format("{} is not an object {{name, units, script}}", describe(o)));
      continue;
    }
    ObjectReader r(o, p, problems);
    ScriptOutput s;
    for (auto [key, field] : {std::pair{"name", &s.name}, {"units", &s.units}}) {
      if (!r.get(key)) {
        problems.add(r.path_of(key), "missing");
      } else if (auto v = r.string(key)) {
        if (v->empty()) problems.add(r.path_of(key), "is empty");
        *field = *v;
      }
    }
    if (auto text = read_script_text(r, p, problems)) {
      s.script = std::move(text->text);
      s.syntax = text->syntax;
    }
    out.push_back(std::move(s));
  }
  if (problems.size() != before) return std::nullopt;
  return out;
}

std::optional<std::string> read_base_url(const std::string& text, std::string_view path, Problems& problems) {
  std::string url = text;
  if (const size_t q = url.find_first_of("?#"); q != std::string::npos) url.resize(q);  // the original drops it
  if (url.find("://") == std::string::npos) url = "http://" + url;
  const size_t scheme_end = url.find("://");
  const std::string scheme = lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    problems.add(path, fmt::format("\"{}\" is not an http:// or https:// URL", text));
    return std::nullopt;
  }
  url = scheme + url.substr(scheme_end);
  const size_t host_begin = scheme_end + 3;
  const size_t host_end = std::min(url.find('/', host_begin), url.size());
  const std::string host = url.substr(host_begin, host_end - host_begin);
  const bool host_ok = !host.empty() && host.front() != ':' && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
  if (!host_ok) {
    problems.add(path, fmt::format("\"{}\" has no valid host name", text));
    return std::nullopt;
  }
  while (url.size() > host_end && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace detail

Result<EmoncmsSettings> parse_emoncms_settings(const json& section) {
  if (!section.is_object()) {
    return Status::InvalidArgument(fmt::format("{}: {} is not an object", kSection, detail::describe(section)));
  }
  Problems problems;
  ObjectReader r(section, std::string(kSection), problems);
  EmoncmsSettings s;
  if (auto v = r.string("type"); v && lower(*v) != "emoncms") {
    problems.add(r.path_of("type"), fmt::format("\"{}\" is not \"emoncms\"", *v));
  }
  if (auto v = r.integer("revision")) s.revision = *v;
  if (!r.get("url")) {
    problems.add(r.path_of("url"), "missing (the Emoncms server, e.g. \"http://emoncms.org\")");
  } else if (auto v = r.string("url")) {
    if (auto url = detail::read_base_url(*v, r.path_of("url"), problems)) s.url = *url;
  }
  if (!r.get("node")) {
    problems.add(r.path_of("node"), "missing (the Emoncms node name, usually the device name)");
  } else if (auto v = r.string("node")) {
    if (valid_node(*v)) {
      s.node = *v;
    } else {
      problems.add(r.path_of("node"), fmt::format("\"{}\" is not a node name (1-64 of A-Z a-z 0-9 _ - . space)", *v));
    }
  }
  read_apikey(r, s, problems);
  if (auto v = read_userid(r.get("userid"), r.path_of("userid"), problems)) s.userid = *v;
  read_timing(r, s, problems);
  if (auto v = r.boolean("stop")) s.stop = *v;
  read_outputs(r, s, problems);
  // Other keys (the UI's unused `user` and `pwd`, future UI fields) are ignored, as the
  // original ignores them: a config the original accepts must not be refused here.
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  return s;
}

std::string describe_emoncms(const EmoncmsSettings& s) {
  return fmt::format("url={} node={} interval={}s bulksend={} {} outputs={}{}", s.url, s.node, s.post_interval_s,
                     s.bulksend, s.encrypted() ? "encrypted" : "plain", s.outputs.size(), s.stop ? " stopped" : "");
}

}  // namespace iw::config
