#include "config/script_defs.h"

#include <map>
#include <string>

#include <fmt/format.h>

namespace iw::config::detail {
namespace {

// Characters that would break a query column ("name.method", lists in [..]) or a feed id.
bool valid_script_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ',' || c == '.' || c == '[' || c == ']' || c == '"' || c == '\\') {
      return false;
    }
  }
  return true;
}

bool valid_integrator_name(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool is_wh(std::string_view units) {
  return units.size() == 2 && (units[0] == 'W' || units[0] == 'w') && (units[1] == 'h' || units[1] == 'H');
}

std::optional<ScriptDef> read_one(const json& v, const std::string& path, ScriptList list, Problems& problems) {
  if (!v.is_object()) {
    problems.add(path, fmt::format("{} is not an object with name, units and script", describe(v)));
    return std::nullopt;
  }
  ObjectReader r(v, path, problems);
  ScriptDef def;
  const size_t before = problems.size();
  auto name = r.string("name");
  if (!name) {
    if (problems.size() == before) problems.add(r.path_of("name"), "missing");
  } else if (list == ScriptList::kIntegrators ? !valid_integrator_name(*name) : !valid_script_name(*name)) {
    problems.add(r.path_of("name"),
                 list == ScriptList::kIntegrators
                     ? fmt::format("{} is not 1-16 letters, digits or '_' starting with a letter", json(*name).dump())
                     : fmt::format("{} must be 1-64 characters without control characters or , . [ ] \" \\",
                                   json(*name).dump()));
  } else {
    def.name = *name;
  }
  if (auto units = r.string("units")) def.units = *units;
  if (list == ScriptList::kIntegrators && !def.units.empty() && !is_wh(def.units)) {
    problems.add(r.path_of("units"),
                 fmt::format("{} is not Wh: integrators integrate watt-hours", json(def.units).dump()));
  }
  if (auto text = read_script_text(r, path, problems, problems.size() == before)) {
    def.text = std::move(text->text);
    def.syntax = text->syntax;
  }
  def.extra = r.unknown();
  if (problems.size() != before) return std::nullopt;
  return def;
}

}  // namespace

std::optional<ScriptText> read_script_text(ObjectReader& r, const std::string& path, Problems& problems,
                                           bool report_missing) {
  const size_t before = problems.size();
  auto script = r.string("script");
  auto expr = r.string("expr");
  if (script && expr) {
    problems.add(path, "has both \"script\" (original syntax) and \"expr\" (readable syntax); keep one");
    return std::nullopt;
  }
  if (!script && !expr) {
    if (report_missing && problems.size() == before)
      problems.add(path, "has no \"script\" (original syntax) or \"expr\" (readable syntax)");
    return std::nullopt;
  }
  const std::string& text = script ? *script : *expr;
  if (text.empty()) {
    problems.add(r.path_of(script ? "script" : "expr"), "is empty");
    return std::nullopt;
  }
  return ScriptText{text, script ? ScriptSyntax::kOriginal : ScriptSyntax::kReadable};
}

std::vector<ScriptDef> read_script_defs(const json& v, ScriptList list, const std::vector<std::optional<Input>>& inputs,
                                        Problems& problems) {
  const char* key = list == ScriptList::kOutputs ? "outputs" : "integrators";
  std::vector<ScriptDef> defs;
  if (!v.is_array()) {
    problems.add(key, fmt::format("{} is not an array", describe(v)));
    return defs;
  }
  std::map<std::string, size_t, std::less<>> names;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string path = index_path(key, i);
    auto def = read_one(v[i], path, list, problems);
    if (!def) continue;
    if (auto [it, fresh] = names.emplace(def->name, i); !fresh) {
      problems.add(key_path(path, "name"),
                   fmt::format("{} is already used by {}[{}]", json(def->name).dump(), key, it->second));
      continue;
    }
    if (list == ScriptList::kOutputs) {
      for (const auto& in : inputs) {
        if (in && in->name == def->name) {
          problems.add(key_path(path, "name"),
                       fmt::format("{} is also the name of input {}", json(def->name).dump(), in->channel));
        }
      }
    }
    defs.push_back(std::move(*def));
  }
  return defs;
}

json script_defs_json(const std::vector<ScriptDef>& defs) {
  json list = json::array();
  for (const ScriptDef& d : defs) {
    json j = d.extra;
    j["name"] = d.name;
    if (!d.units.empty()) j["units"] = d.units;
    j[d.syntax == ScriptSyntax::kOriginal ? "script" : "expr"] = d.text;
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace iw::config::detail
