#include "config/model_catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <utility>

#include "base/strings.h"
#include "config/json_reader.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

std::optional<ModelEntry> parse_entry(const json& v, const std::string& path, bool ct, Problems& problems) {
  if (!v.is_object()) {
    problems.add(path, fmt::format("{} is not an object", detail::describe(v)));
    return std::nullopt;
  }
  const size_t before = problems.size();
  ObjectReader r(v, path, problems);
  ModelEntry e;
  if (auto model = r.string("model")) {
    e.model = *model;
    if (e.model.empty()) problems.add(r.path_of("model"), "is empty");
  } else if (!r.get("model")) {
    problems.add(r.path_of("model"), "missing");
  }
  if (auto mfg = r.string("mfg")) e.mfg = *mfg;
  const bool type_given = r.get("type") != nullptr;
  if (auto type = r.string("type")) {
    if (*type == "C") {
      e.type = ModelType::kCurrent;
    } else if (*type == "V") {
      e.type = ModelType::kVoltage;
    } else if (*type == "U") {
      e.type = ModelType::kGeneric;
    } else {
      problems.add(r.path_of("type"), fmt::format("\"{}\" is not \"C\", \"V\" or \"U\"", *type));
    }
  }
  e.turns = r.number("turns");
  e.cal = r.number("cal");
  e.phase = r.number("phase");
  if (auto p = r.lead_table("p50")) e.p50 = std::move(*p);
  if (auto p = r.lead_table("p60")) e.p60 = std::move(*p);
  // Unknown keys in a model entry are harmless (newer tables may add fields): ignored.

  if (e.turns && !(*e.turns > 0))
    problems.add(r.path_of("turns"), fmt::format("{} is not positive", detail::num(*e.turns)));
  if (e.cal && !(*e.cal > 0)) problems.add(r.path_of("cal"), fmt::format("{} is not positive", detail::num(*e.cal)));
  if (e.phase) detail::check_range(*e.phase, -45, 45, r.path_of("phase"), problems, "degrees");
  if (ct) {
    if (e.type == ModelType::kNone) {
      if (!type_given) problems.add(r.path_of("type"), "missing; a CT entry needs \"C\", \"V\" or \"U\"");
    } else if (e.type == ModelType::kCurrent && !e.turns) {
      problems.add(r.path_of("turns"), "missing; a type \"C\" CT needs its turns ratio");
    } else if (e.type == ModelType::kVoltage && !e.cal) {
      problems.add(r.path_of("cal"), "missing; a type \"V\" CT needs its amps per volt");
    }
  } else {
    if (e.type == ModelType::kCurrent || e.type == ModelType::kVoltage) {
      problems.add(r.path_of("type"),
                   fmt::format("\"{}\" is a CT type; a VT entry has no type or \"U\"", to_string(e.type)));
    } else if (e.type == ModelType::kNone && !e.cal) {
      problems.add(r.path_of("cal"), "missing; a VT entry needs its calibration ratio");
    }
  }
  if (problems.size() != before) return std::nullopt;
  return e;
}

void parse_list(const json& doc, const char* key, bool ct, std::vector<ModelEntry>& out, Problems& problems) {
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return;
  if (!it->is_array()) {
    problems.add(key, fmt::format("{} is not an array", detail::describe(*it)));
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string path = detail::index_path(key, i);
    const json& raw = (*it)[i];
    std::optional<ModelEntry> e = parse_entry(raw, path, ct, problems);
    // Duplicates are found by the name as written, so a broken first entry still counts.
    if (raw.is_object() && raw.contains("model") && raw["model"].is_string()) {
      const std::string& name = raw["model"].get_ref<const std::string&>();
      if (!seen.insert(name).second) {
        problems.add(detail::key_path(path, "model"), fmt::format("\"{}\" appears twice in {}", name, key));
        continue;
      }
    }
    if (e) out.push_back(std::move(*e));
  }
}

json entry_to_json(const ModelEntry& e) {
  json j = json::object();
  j["model"] = e.model;
  if (!e.mfg.empty()) j["mfg"] = e.mfg;
  if (e.type != ModelType::kNone) j["type"] = to_string(e.type);
  if (e.turns) j["turns"] = detail::number_value(*e.turns);
  if (e.cal) j["cal"] = detail::number_value(*e.cal);
  if (e.phase) j["phase"] = detail::number_value(*e.phase);
  if (!e.p50.empty()) j["p50"] = detail::number_values(e.p50);
  if (!e.p60.empty()) j["p60"] = detail::number_values(e.p60);
  return j;
}

const ModelEntry* find_in(const std::vector<ModelEntry>& list, std::string_view model) {
  for (const auto& e : list) {
    if (e.model == model) return &e;
  }
  return nullptr;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

void merge_list(std::vector<ModelEntry>& base, const std::vector<ModelEntry>& user) {
  for (const auto& e : user) {
    auto it = std::find_if(base.begin(), base.end(), [&](const ModelEntry& b) { return b.model == e.model; });
    if (it != base.end()) {
      *it = e;
    } else {
      base.push_back(e);
    }
  }
}

}  // namespace

const char* to_string(ModelType type) {
  switch (type) {
    case ModelType::kCurrent:
      return "C";
    case ModelType::kVoltage:
      return "V";
    case ModelType::kGeneric:
      return "U";
    case ModelType::kNone:
      break;
  }
  return "";
}

Result<ModelCatalog> ModelCatalog::parse(std::string_view tables_txt) {
  Problems problems;
  std::optional<json> doc = detail::parse_text(tables_txt, "tables", problems);
  if (!doc) return Status::InvalidArgument(problems.joined());
  return from_json(*doc);
}

Result<ModelCatalog> ModelCatalog::from_json(const json& doc) {
  if (!doc.is_object())
    return Status::InvalidArgument(fmt::format("tables: {} is not an object", detail::describe(doc)));
  Problems problems;
  ModelCatalog c;
  if (auto it = doc.find("version"); it != doc.end() && !it->is_null()) {
    c.version_ = it->is_string() ? it->get<std::string>() : it->dump();
  }
  parse_list(doc, "VT", false, c.vt_, problems);
  parse_list(doc, "CT", true, c.ct_, problems);
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  return c;
}

const ModelCatalog& ModelCatalog::builtin() {
  static const ModelCatalog catalog = [] {
    Result<ModelCatalog> r = parse(builtin_tables_text());
    if (!r.ok()) {
      // The built-in table is part of the program and covered by tests; a failure here is a
      // build defect, not a user error.
      fmt::print(stderr, "built-in model table is invalid:\n{}\n", r.error());
      std::abort();
    }
    return std::move(r).value();
  }();
  return catalog;
}

const ModelEntry* ModelCatalog::find_vt(std::string_view model) const { return find_in(vt_, model); }
const ModelEntry* ModelCatalog::find_ct(std::string_view model) const { return find_in(ct_, model); }

std::vector<std::string> ModelCatalog::close_matches(std::string_view model, bool ct, size_t limit) const {
  const std::string want = lower(model);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& e : ct ? ct_ : vt_) {
    const std::string have = lower(e.model);
    size_t score = edit_distance(want, have);
    const bool contains =
        want.size() >= 3 && (have.find(want) != std::string::npos || want.find(have) != std::string::npos);
    const size_t allowed = std::max<size_t>(2, want.size() / 3);
    if (contains) score = std::min<size_t>(score, 1);
    if (score <= allowed) scored.emplace_back(score, e.model);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < limit; ++i) out.push_back(scored[i].second);
  return out;
}

ModelCatalog ModelCatalog::merged_with(const ModelCatalog& user) const {
  ModelCatalog out = *this;
  if (!user.version_.empty()) out.version_ = user.version_;
  merge_list(out.vt_, user.vt_);
  merge_list(out.ct_, user.ct_);
  return out;
}

json ModelCatalog::to_json() const {
  json doc = json::object();
  doc["version"] = version_;
  doc["VT"] = json::array();
  for (const auto& e : vt_) doc["VT"].push_back(entry_to_json(e));
  doc["CT"] = json::array();
  for (const auto& e : ct_) doc["CT"].push_back(entry_to_json(e));
  return doc;
}

}  // namespace iw::config
