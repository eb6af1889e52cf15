#include "config/uploader_config.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/json_reader.h"
#include "config/script_defs.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kCommonKeys[] = {"type", "revision", "url",     "postInterval", "bulksend",
                                            "stop", "begdate",  "outputs", "cafile"};

void parse_outputs(const json* v, const std::string& path, std::vector<ScriptOutput>& out, Problems& p) {
  if (!v) {
    p.add(path, "missing: an uploader needs a list of measurements to send");
    return;
  }
  if (!v->is_array()) {
    p.add(path, fmt::format("{} is not an array", detail::describe(*v)));
    return;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const std::string at = detail::index_path(path, i);
    const json& item = (*v)[i];
    if (!item.is_object()) {
      p.add(at, fmt::format("{} is not an object", detail::describe(item)));
      continue;
    }
    ObjectReader r(item, at, p);
    ScriptOutput o;
    if (auto name = r.string("name")) o.name = *name;
    if (o.name.empty()) p.add(r.path_of("name"), "missing or empty");
    if (auto units = r.string("units")) o.units = *units;
    if (auto text = detail::read_script_text(r, at, p)) {
      o.script = std::move(text->text);
      o.syntax = text->syntax;
    }
    out.push_back(std::move(o));
  }
}

}  // namespace

Result<UploaderConfig> parse_uploader(std::string_view key, const json& v) {
  const std::string path(key);
  if (!v.is_object()) return Status::InvalidArgument(fmt::format("{}: {} is not an object", path, detail::describe(v)));
  Problems p;
  ObjectReader r(v, path, p);
  UploaderConfig c;
  c.key = path;
  c.type = r.string("type").value_or(path);
  if (auto rev = r.integer("revision")) c.revision = *rev;
  if (auto url = r.string("url")) c.url = *url;
  if (c.url.empty() && c.type != "pvoutput") p.add(r.path_of("url"), "missing or empty");
  if (auto n = r.integer("postInterval")) {
    if (*n < 5 || *n > 3600 || *n % 5 != 0) {
      p.add(r.path_of("postInterval"), fmt::format("{} is not a multiple of 5 from 5 to 3600", *n));
    } else {
      c.post_interval = static_cast<int>(*n);
    }
  }
  if (auto n = r.integer("bulksend")) c.bulksend = static_cast<int>(std::clamp<int64_t>(*n, 1, 60));
  c.stop = r.boolean("stop").value_or(false);
  if (auto n = r.integer("begdate")) {
    if (*n < 0)
      p.add(r.path_of("begdate"), fmt::format("{} is before 1970", *n));
    else
      c.begdate = *n;
  }
  parse_outputs(r.get("outputs"), r.path_of("outputs"), c.outputs, p);
  if (auto ca = r.string("cafile")) c.cafile = *ca;
  for (std::string_view k : kCommonKeys) r.ignore(k);
  c.extra = r.unknown();
  c.section = v;
  if (!p.empty()) return Status::InvalidArgument(p.joined());
  return c;
}

namespace {

void parse_template(ObjectReader& r, InfluxPointTemplate& t, Problems& p) {
  if (auto m = r.string("measurement"); m && !m->empty()) t.measurement = *m;
  if (auto f = r.string("fieldkey"); f && !f->empty()) t.fieldkey = *f;
  const json* tags = r.get("tagset");
  if (!tags) return;
  const std::string path = r.path_of("tagset");
  if (!tags->is_array()) {
    p.add(path, fmt::format("{} is not an array", detail::describe(*tags)));
    return;
  }
  for (size_t i = 0; i < tags->size(); ++i) {
    const std::string at = detail::index_path(path, i);
    if (!(*tags)[i].is_object()) {
      p.add(at, fmt::format("{} is not an object", detail::describe((*tags)[i])));
      continue;
    }
    ObjectReader tr((*tags)[i], at, p);
    InfluxTag tag{tr.string("key").value_or(""), tr.string("value").value_or("")};
    if (tag.key.empty()) {
      p.add(tr.path_of("key"), "missing or empty");
      continue;
    }
    t.tagset.push_back(std::move(tag));
  }
}

// The string at `key`, which must be present and not empty.
std::string required_string(ObjectReader& r, std::string_view key, Problems& p) {
  std::string value = r.string(key).value_or("");
  if (value.empty()) p.add(r.path_of(key), "missing or empty");
  return value;
}

}  // namespace

Result<Influx1Config> influx1_config(const UploaderConfig& c) {
  Problems p;
  ObjectReader r(c.extra, c.key, p);
  Influx1Config out;
  out.database = required_string(r, "database", p);
  out.retention_policy = r.string("retp").value_or("");
  out.user = r.string("user").value_or("");
  out.password = r.string("pwd").value_or("");
  parse_template(r, out.point, p);
  r.ignore("heap");  // the ESP's free memory: nothing to report here
  if (!p.empty()) return Status::InvalidArgument(p.joined());
  return out;
}

Result<Influx2Config> influx2_config(const UploaderConfig& c) {
  Problems p;
  ObjectReader r(c.extra, c.key, p);
  Influx2Config out;
  out.bucket = required_string(r, "bucket", p);
  out.orgid = required_string(r, "orgid", p);
  out.token = required_string(r, "authtoken", p);
  parse_template(r, out.point, p);
  r.ignore("heap");
  r.ignore("token");  // the UI's unused default key
  if (!p.empty()) return Status::InvalidArgument(p.joined());
  return out;
}

}  // namespace iw::config
