#include "config/pvoutput_config.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "config/json_reader.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kSection = "pvoutput";
constexpr std::string_view kExtendedPrefix = "extended_";

// "generation", "consumption", "voltage", "extended_<1..6>..." (only the digit after
// "extended_" matters: the UI writes "extended_1(v7)").
std::optional<PvoutputOutput> field_of(const ScriptOutput& out) {
  PvoutputOutput p;
  p.output = out;
  if (out.name == "generation") {
    p.field = PvoutputField::kGeneration;
  } else if (out.name == "consumption") {
    p.field = PvoutputField::kConsumption;
  } else if (out.name == "voltage") {
    p.field = PvoutputField::kVoltage;
  } else if (out.name.starts_with(kExtendedPrefix) && out.name.size() > kExtendedPrefix.size() &&
             out.name[kExtendedPrefix.size()] >= '1' && out.name[kExtendedPrefix.size()] <= '6') {
    p.field = PvoutputField::kExtended;
    p.extended = out.name[kExtendedPrefix.size()] - '0';
  } else {
    return std::nullopt;
  }
  return p;
}

int slot_of(const PvoutputOutput& p) {
  return p.field == PvoutputField::kExtended ? 2 + p.extended : static_cast<int>(p.field);
}

void read_outputs(ObjectReader& r, PvoutputSettings& s, Problems& problems) {
  const std::string path = r.path_of("outputs");
  auto outputs = detail::read_script_outputs(r, "names generation, consumption, voltage, extended_1..6", problems);
  if (!outputs) return;
  std::vector<int> seen;
  for (size_t i = 0; i < outputs->size(); ++i) {
    const std::string name_path = detail::key_path(detail::index_path(path, i), "name");
    auto p = field_of((*outputs)[i]);
    if (!p) {
      problems.add(name_path, fmt::format("\"{}\" is not generation, consumption, voltage or extended_1..extended_6",
                                          (*outputs)[i].name));
      continue;
    }
    if (std::find(seen.begin(), seen.end(), slot_of(*p)) != seen.end()) {
      problems.add(name_path, fmt::format("\"{}\" feeds the same PVOutput value as an earlier output", p->output.name));
      continue;
    }
    seen.push_back(slot_of(*p));
    s.outputs.push_back(std::move(*p));
  }
  if (s.outputs.empty() && problems.empty()) {
    problems.add(path, "is empty: PVOutput needs at least generation or consumption");
  }
}

void read_identity(ObjectReader& r, PvoutputSettings& s, Problems& problems) {
  if (!r.get("apikey")) {
    problems.add(r.path_of("apikey"), "missing (the 40 hex digit API key of the PVOutput account)");
  } else if (auto v = r.string("apikey")) {
    if (v->size() == 40 && is_hex(*v)) {
      s.apikey = *v;
    } else {  // never echo the key, only its shape
      problems.add(r.path_of("apikey"), fmt::format("is {} characters; expected 40 hex digits", v->size()));
    }
  }
  const json* id = r.get("systemid");
  if (id == nullptr) {
    problems.add(r.path_of("systemid"), "missing (the PVOutput system id, digits)");
  } else if (id->is_number_unsigned()) {
    s.systemid = std::to_string(id->get<uint64_t>());
  } else if (id->is_string() && is_digits(id->get<std::string>())) {
    s.systemid = id->get<std::string>();
  } else {
    problems.add(r.path_of("systemid"), fmt::format("{} is not a system id (digits)", detail::describe(*id)));
  }
}

void read_schedule(ObjectReader& r, PvoutputSettings& s, Problems& problems) {
  if (auto v = r.integer("interval")) {
    if (*v == 300 || *v == 600 || *v == 900) {
      s.status_interval_s = static_cast<int>(*v);
    } else {
      problems.add(r.path_of("interval"),
                   fmt::format("{} is not a PVOutput status interval (300, 600 or 900 seconds)", *v));
    }
  }
  if (auto v = r.integer("begdate");
      v && detail::check_range(static_cast<double>(*v), 0, 4102444800.0, r.path_of("begdate"), problems)) {
    s.begdate = *v;
  }
  if (auto v = r.boolean("reload")) s.reload = *v;
  if (auto v = r.boolean("stop")) s.stop = *v;
  if (auto v = r.boolean("donation")) s.donation = *v;
}

}  // namespace

Result<PvoutputSettings> parse_pvoutput_settings(const json& section) {
  if (!section.is_object()) {
    return Status::InvalidArgument(fmt::format("{}: {} is not an object", kSection, detail::describe(section)));
  }
  Problems problems;
  ObjectReader r(section, std::string(kSection), problems);
  PvoutputSettings s;
  if (auto v = r.string("type"); v && *v != "pvoutput") {
    problems.add(r.path_of("type"), fmt::format("\"{}\" is not \"pvoutput\"", *v));
  }
  if (auto v = r.integer("revision")) s.revision = *v;
  if (auto v = r.string("url")) {
    if (auto url = detail::read_base_url(*v, r.path_of("url"), problems)) s.url = *url;
  }
  read_identity(r, s, problems);
  read_schedule(r, s, problems);
  read_outputs(r, s, problems);
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  return s;
}

std::string describe_pvoutput(const PvoutputSettings& s) {
  std::string names;
  for (const auto& o : s.outputs) names += (names.empty() ? "" : ",") + o.output.name;
  return fmt::format("system={} interval={}s{} outputs={}{}", s.systemid, s.status_interval_s,
                     s.donation ? " donation" : "", names, s.stop ? " stopped" : "");
}

}  // namespace iw::config
