#include "config/config_parser.h"

#include <cctz/time_zone.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <utility>

#include "base/strings.h"
#include "config/json_reader.h"
#include "config/measurement_keys.h"
#include "config/script_defs.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

// The UI's bounds for a VT calibration factor (line volts per VT secondary volt).
constexpr double kVtCalMin = 5;
constexpr double kVtCalMax = 300;
// Static phase leads beyond this are certainly typing errors (real sensors: 0-5 degrees).
constexpr double kMaxPhaseDeg = 45;
constexpr size_t kMaxNameLength = 32;
// The original firmware renames this legacy model on load (reference §2.4).
constexpr std::string_view kLegacyTdc = "TDC DA-10-09(USA)";
constexpr std::string_view kLegacyTdcNew = "TDC DA-10-09";

constexpr std::array<std::string_view, 6> kUpdateClasses = {"NONE", "MAJOR", "MINOR", "BETA", "ALPHA", "TEST"};
// Top-level sections owned by later work: only their JSON type is checked here.
constexpr std::array<std::string_view, 2> kArraySections = {"integrations", "tariffs"};
constexpr std::array<std::string_view, 10> kObjectSections = {
    "emoncms", "influxdb", "influxdb2", "pvoutput", "mqtt", "webhook", "simsolar", "server", "http", "update_server"};

template <size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& list) {
  for (auto item : list) {
    if (item == s) return true;
  }
  return false;
}

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// [A-Za-z][A-Za-z0-9_]*: the UI's rule for input names, which scripts and queries rely on.
bool valid_input_name(std::string_view s) {
  if (s.empty() || !is_letter(s[0])) return false;
  for (char c : s) {
    if (!is_letter(c) && !is_digit(c) && c != '_') return false;
  }
  return true;
}

// [A-Za-z0-9][A-Za-z0-9_-]*: the device name becomes a host name, the digest-auth realm and
// an influx tag. Looser than the UI's 4-8 letters and digits, which hand-edited files may
// not follow.
bool valid_device_name(std::string_view s) {
  if (s.empty() || !(is_letter(s[0]) || is_digit(s[0]))) return false;
  for (char c : s) {
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += json(n).dump();
  }
  return out;
}

class Parser {
 public:
  Parser(const ModelCatalog& catalog, std::vector<std::string>* notes) : catalog_(catalog), notes_(notes) {}

  Result<Config> run(const json& doc);

 private:
  void note(std::string_view path, std::string_view what) {
    if (notes_) notes_->push_back(fmt::format("{}: {}", path, what));
  }
  void parse_timezone(const json& v);
  void parse_device(const json* v);
  void parse_dstrule(const json& v);
  std::optional<DstPoint> parse_dst_point(const json* v, const std::string& path);
  void parse_inputs(const json* v);
  std::optional<Input> parse_input(const json& v, size_t index);
  void resolve_lead(Input& in, ObjectReader& r, const ModelEntry* entry);
  void resolve_vt(Input& in, ObjectReader& r, const ModelEntry* entry);
  void resolve_ct(Input& in, ObjectReader& r, const ModelEntry* entry, std::optional<double> vmult);
  void check_inputs();
  void parse_adc(const json& v);
  void parse_sampling(const json& v);
  void parse_sim(const json& v);
  std::map<int, double> parse_overdrive(const json& v, const std::string& path);
  void parse_datalog(const json& v);
  void keep_section(const std::string& key, const json& v);
  json keep_unknown(const ObjectReader& r, detail::KeyPlace place);
  std::vector<int> read_address_array(const json& v, const std::string& path);

  const ModelCatalog& catalog_;
  std::vector<std::string>* notes_;
  Problems problems_;
  Config cfg_;
  // Per channel: whether the entry's "type" was valid, so a CT that names a VT whose own
  // entry is broken does not get a second, misleading error.
  std::vector<bool> type_ok_;
};

Result<Config> Parser::run(const json& doc) {
  if (!doc.is_object())
    return Status::InvalidArgument(fmt::format("config: {} is not a JSON object", detail::describe(doc)));
  ObjectReader r(doc, "", problems_);

  if (auto v = r.integer("format")) cfg_.format = static_cast<int>(*v);
  if (const json* v = r.get("timezone")) parse_timezone(*v);
  if (auto v = r.string("update")) {
    const std::string update = upper(*v);
    if (one_of(update, kUpdateClasses)) {
      cfg_.update = update;
    } else {
      problems_.add("update", fmt::format("\"{}\" is not one of NONE, MAJOR, MINOR, BETA, ALPHA, TEST", *v));
    }
  }
  if (auto v = r.integer("logdays");
      v && detail::check_range(static_cast<double>(*v), 1, 36500, "logdays", problems_)) {
    cfg_.logdays = static_cast<int>(*v);
  }
  cfg_.derive3ph = r.boolean("derive3ph");
  parse_device(r.get("device"));
  if (const json* v = r.get("dstrule")) {
    parse_dstrule(*v);
    if (!cfg_.timezone_name.empty() && cfg_.dst) {
      note("dstrule", fmt::format("kept but not used: time zone \"{}\" has its own DST rules", cfg_.timezone_name));
    }
  }
  parse_inputs(r.get("inputs"));
  if (const json* v = r.get("adc")) parse_adc(*v);
  if (const json* v = r.get("sampling")) parse_sampling(*v);
  if (const json* v = r.get("sim")) parse_sim(*v);
  if (const json* v = r.get("datalog")) parse_datalog(*v);
  if (const json* v = r.get("outputs")) {
    cfg_.outputs = detail::read_script_defs(*v, detail::ScriptList::kOutputs, cfg_.inputs, problems_);
  }
  if (const json* v = r.get("integrators")) {
    cfg_.integrators = detail::read_script_defs(*v, detail::ScriptList::kIntegrators, cfg_.inputs, problems_);
  }
  const json rest = r.unknown();
  for (const auto& [key, value] : rest.items()) keep_section(key, value);

  if (!problems_.empty()) return Status::InvalidArgument(problems_.joined());
  return std::move(cfg_);
}

void Parser::keep_section(const std::string& key, const json& v) {
  if (!v.is_null()) {
    if (one_of(key, kArraySections) && !v.is_array()) {
      problems_.add(key, fmt::format("{} is not an array", detail::describe(v)));
      return;
    }
    if (one_of(key, kObjectSections) && !v.is_object()) {
      problems_.add(key, fmt::format("{} is not an object", detail::describe(v)));
      return;
    }
    if (!one_of(key, kArraySections) && !one_of(key, kObjectSections)) {
      if (auto why = detail::measurement_key_problem(key, detail::KeyPlace::kTop)) {
        problems_.add(key, *why);
        return;
      }
      note(key, "unknown key, kept as is");
    }
  }
  cfg_.sections[key] = v;
}

// The keys of `r` nobody read, to keep verbatim. Those that look like measurement settings
// are refused instead (measurement_keys.h): kept, they would be silently ignored.
json Parser::keep_unknown(const ObjectReader& r, detail::KeyPlace place) {
  json kept = json::object();
  const json unknown = r.unknown();  // items() refers to it: it must outlive the loop
  for (const auto& [key, value] : unknown.items()) {
    if (auto why = detail::measurement_key_problem(key, place)) {
      problems_.add(r.path_of(key), *why);
      continue;
    }
    // An input's "vref" is read and then overwritten by the original (reference §2.4): kept
    // so the file round-trips, otherwise unused, and not worth a note.
    if (!(place == detail::KeyPlace::kInput && key == "vref")) note(r.path_of(key), "unknown key, kept as is");
    kept[key] = value;
  }
  return kept;
}

std::vector<int> Parser::read_address_array(const json& v, const std::string& path) {
  std::vector<int> out;
  if (!v.is_array()) {
    problems_.add(path, fmt::format("{} is not an array", detail::describe(v)));
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string p = detail::index_path(path, i);
    // ADC address: bit 3 selects the chip, bits 0-2 the port (reference §1.1).
    if (auto a = detail::read_integer(v[i], p, problems_);
        a && detail::check_range(static_cast<double>(*a), 0, 15, p, problems_)) {
      out.push_back(static_cast<int>(*a));
    }
  }
  return out;
}

void Parser::parse_device(const json* v) {
  Device& d = cfg_.device;
  if (!v) return;  // defaults: IotaWatt, 15 channels
  if (!v->is_object()) {
    problems_.add("device", fmt::format("{} is not an object", detail::describe(*v)));
    return;
  }
  ObjectReader r(*v, "device", problems_);
  if (auto name = r.string("name")) {
    if (!valid_device_name(*name) || name->size() > kMaxNameLength) {
      problems_.add(r.path_of("name"),
                    fmt::format("{} must be 1 to {} letters, digits, _ or -, starting with a letter or digit",
                                json(*name).dump(), kMaxNameLength));
    } else {
      d.name = *name;
    }
  }
  if (auto ch = r.integer("channels");
      ch && detail::check_range(static_cast<double>(*ch), 1, kMaxChannels, r.path_of("channels"), problems_)) {
    d.channels = static_cast<int>(*ch);
  }
  if (auto rv = r.number("refvolts");
      rv && detail::check_range(*rv, 0.5, 5.5, r.path_of("refvolts"), problems_, "volts")) {
    d.refvolts = *rv;
  }
  if (const json* b = r.get("burden")) {
    if (auto list = detail::read_number_array(*b, r.path_of("burden"), problems_)) {
      for (size_t i = 0; i < list->size(); ++i) {
        detail::check_range((*list)[i], 0, 1e5, detail::index_path(r.path_of("burden"), i), problems_, "ohms");
      }
      // Kept even when a value is out of range (already reported), so that the CTs on the
      // other channels still resolve and report only their own problems.
      d.burden = std::move(*list);
    }
  }
  if (const json* a = r.get("chanaddr")) d.chanaddr = read_address_array(*a, r.path_of("chanaddr"));
  if (const json* a = r.get("chanaref")) d.chanaref = read_address_array(*a, r.path_of("chanaref"));
  if (auto ver = r.integer("version")) d.version = static_cast<int>(*ver);
  d.httpsproxy = r.string("httpsproxy");
  d.extra = keep_unknown(r, detail::KeyPlace::kDevice);
}

// Hours (the original form, also as a numeric string such as "-5") or an IANA name (ours).
void Parser::parse_timezone(const json& v) {
  if (v.is_string()) {
    Problems not_hours;
    if (!detail::read_number(v, "timezone", not_hours)) {
      const std::string& name = v.get_ref<const std::string&>();
      if (known_time_zone(name)) {
        cfg_.timezone_name = name;
      } else {
        problems_.add("timezone", fmt::format("unknown time zone {} (use an IANA name such as \"Europe/Berlin\", "
                                              "or hours such as -5)",
                                              detail::describe(v)));
      }
      return;
    }
  }
  if (auto hours = detail::read_number(v, "timezone", problems_);
      hours && detail::check_range(*hours, -12, 14, "timezone", problems_, "hours")) {
    cfg_.timezone = *hours;
  }
}

std::optional<DstPoint> Parser::parse_dst_point(const json* v, const std::string& path) {
  if (!v) {
    problems_.add(path, "missing");
    return std::nullopt;
  }
  if (!v->is_object()) {
    problems_.add(path, fmt::format("{} is not an object", detail::describe(*v)));
    return std::nullopt;
  }
  const size_t before = problems_.size();
  ObjectReader r(*v, path, problems_);
  DstPoint p;
  auto field = [&](const char* key, int lo, int hi, int& out) {
    const auto x = r.integer(key);
    if (!x) {
      if (!r.get(key)) problems_.add(r.path_of(key), "missing");
      return;
    }
    if (detail::check_range(static_cast<double>(*x), lo, hi, r.path_of(key), problems_)) out = static_cast<int>(*x);
  };
  field("month", 1, 12, p.month);
  field("weekday", 1, 7, p.weekday);
  field("instance", -5, 5, p.instance);
  field("time", 0, 1439, p.time);
  if (p.instance == 0) problems_.add(r.path_of("instance"), "0 is neither n-th (1..5) nor n-th from last (-1..-5)");
  if (problems_.size() != before) return std::nullopt;
  return p;
}

void Parser::parse_dstrule(const json& v) {
  cfg_.dstrule = v;  // kept as written; the typed view below is what the clock uses
  if (!v.is_object()) {
    problems_.add("dstrule", fmt::format("{} is not an object", detail::describe(v)));
    return;
  }
  const size_t before = problems_.size();
  ObjectReader r(v, "dstrule", problems_);
  DstRule rule;
  if (auto adj = r.integer("adj")) {
    if (detail::check_range(static_cast<double>(*adj), -180, 180, r.path_of("adj"), problems_, "minutes")) {
      rule.adj = static_cast<int>(*adj);
    }
  }
  if (auto utc = r.boolean("utc")) rule.utc = *utc;
  auto begin = parse_dst_point(r.get("begin"), r.path_of("begin"));
  auto end = parse_dst_point(r.get("end"), r.path_of("end"));
  if (problems_.size() != before || !begin || !end) return;
  rule.begin = *begin;
  rule.end = *end;
  cfg_.dst = rule;
}

void Parser::parse_inputs(const json* v) {
  const int channels = cfg_.device.channels;
  cfg_.inputs.assign(static_cast<size_t>(channels), std::nullopt);
  type_ok_.assign(static_cast<size_t>(channels), false);
  if (!v) return;
  if (!v->is_array()) {
    problems_.add("inputs", fmt::format("{} is not an array", detail::describe(*v)));
    return;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const json& entry = (*v)[i];
    if (i >= static_cast<size_t>(channels)) {
      if (entry.is_object()) {
        problems_.add(
            detail::index_path("inputs", i),
            fmt::format("channel {} is beyond device.channels ({} channels: 0 to {})", i, channels, channels - 1));
      }
      continue;
    }
    if (!entry.is_object()) {
      // The original treats null and any other non-object as an inactive channel.
      if (!entry.is_null()) {
        note(detail::index_path("inputs", i),
             fmt::format("{} is not an object; channel inactive", detail::describe(entry)));
      }
      continue;
    }
    cfg_.inputs[i] = parse_input(entry, i);
  }
  check_inputs();
}

std::optional<Input> Parser::parse_input(const json& v, size_t index) {
  const std::string path = detail::index_path("inputs", index);
  ObjectReader r(v, path, problems_);
  Input in;
  in.channel = static_cast<int>(index);

  // The original firmware skips an entry whose channel differs from its position, with only
  // a log message, so the circuit silently stops being measured. Only a hand edit produces
  // such an entry, and the user surely meant to measure something: make it an error.
  if (auto ch = r.integer("channel"); ch && *ch != static_cast<int64_t>(index)) {
    problems_.add(r.path_of("channel"),
                  fmt::format("{} does not match the entry's position {} in the inputs array", *ch, index));
  }
  if (auto name = r.string("name")) {
    if (!valid_input_name(*name)) {
      problems_.add(r.path_of("name"),
                    fmt::format("{} must start with a letter and hold only letters, digits and _", json(*name).dump()));
    } else if (name->size() > kMaxNameLength) {
      problems_.add(r.path_of("name"),
                    fmt::format("{} is longer than {} characters", json(*name).dump(), kMaxNameLength));
    }
    in.name = *name;
  } else if (!r.get("name")) {
    problems_.add(r.path_of("name"), "missing");
  }
  bool type_ok = false;
  if (auto type = r.string("type")) {
    if (*type == "VT" || *type == "CT") {
      in.type = *type == "VT" ? InputType::kVT : InputType::kCT;
      type_ok = true;
    } else {
      problems_.add(r.path_of("type"), fmt::format("{} is not \"VT\" or \"CT\"", json(*type).dump()));
    }
  } else if (!r.get("type")) {
    problems_.add(r.path_of("type"), "missing; \"VT\" or \"CT\"");
  }
  type_ok_[index] = type_ok;

  if (auto model = r.string("model")) in.model = *model;
  if (in.model == kLegacyTdc) {
    note(r.path_of("model"), fmt::format("legacy model \"{}\" renamed to \"{}\"", kLegacyTdc, kLegacyTdcNew));
    in.model = std::string(kLegacyTdcNew);
  }
  const ModelEntry* entry = nullptr;
  if (type_ok) {
    entry = in.is_ct() ? catalog_.find_ct(in.model) : catalog_.find_vt(in.model);
    if (!entry && in.model != "generic") {
      const char* kind = in.is_ct() ? "CT" : "VT";
      std::string msg = fmt::format("{} is not a known {} model", json(in.model).dump(), kind);
      const bool other = in.is_ct() ? catalog_.find_vt(in.model) != nullptr : catalog_.find_ct(in.model) != nullptr;
      if (other) {
        msg += fmt::format(" (it is a {} model)", in.is_ct() ? "VT" : "CT");
      } else if (auto close = catalog_.close_matches(in.model, in.is_ct()); !close.empty()) {
        msg += "; close matches: " + quoted_list(close);
      } else {
        msg += "; use \"generic\" with cal (and turns, phase), or add the model to a tables file";
      }
      problems_.add(r.path_of("model"), msg);
    }
  }

  resolve_lead(in, r, entry);
  if (auto vphase = r.number("vphase")) {
    if (detail::check_range(*vphase, -360, 360, r.path_of("vphase"), problems_, "degrees")) in.vphase = *vphase;
  }
  std::optional<double> vmult = r.number("vmult");
  if (vmult && !(*vmult > 0 && *vmult <= 10)) {
    problems_.add(r.path_of("vmult"), fmt::format("{} is not in (0, 10]", detail::num(*vmult)));
    vmult.reset();
  }
  in.is_signed = r.boolean("signed").value_or(false);
  in.is_double = r.boolean("double").value_or(false);
  in.reverse = r.boolean("reverse").value_or(false);
  if (auto watts = r.number("step_watts")) {
    if (in.is_vt()) {
      problems_.add(r.path_of("step_watts"), "a VT reports no power steps (only a CT does); remove it");
    } else if (detail::check_range(*watts, 0, kMaxStepWatts, r.path_of("step_watts"), problems_,
                                   "watts; 0: no events")) {
      in.step_watts = *watts;
    }
  }
  if (auto role = r.string("role")) {
    if (auto parsed = parse_input_role(*role)) {
      in.role = *parsed;
    } else {
      problems_.add(r.path_of("role"),
                    fmt::format("{} is not \"mains\", \"solar\" or \"circuit\"", json(*role).dump()));
    }
  }

  if (type_ok && in.is_vt()) {
    resolve_vt(in, r, entry);
  } else if (type_ok) {
    resolve_ct(in, r, entry, vmult);
  } else {
    r.ignore("cal");
    r.ignore("turns");
    r.ignore("vchan");
  }
  in.extra = keep_unknown(r, detail::KeyPlace::kInput);
  return in;
}

// The sensor's lead: each of "phase", "p50" and "p60" the entry gives wins over its model's,
// so a generic or calibrated sensor carries its own tables. Absent everywhere: phase 0, no
// tables.
void Parser::resolve_lead(Input& in, ObjectReader& r, const ModelEntry* entry) {
  if (auto phase = r.number("phase")) {
    if (detail::check_range(*phase, -kMaxPhaseDeg, kMaxPhaseDeg, r.path_of("phase"), problems_, "degrees"))
      in.phase = *phase;
  } else if (entry && entry->phase) {
    in.phase = *entry->phase;
  }
  if (entry) {
    in.p50 = entry->p50;
    in.p60 = entry->p60;
  }
  if (auto table = r.lead_table("p50")) in.p50 = std::move(*table);
  if (auto table = r.lead_table("p60")) in.p60 = std::move(*table);
}

void Parser::resolve_vt(Input& in, ObjectReader& r, const ModelEntry* entry) {
  in.vchan = in.channel;
  r.ignore("vchan");  // a VT is its own reference
  // vphase shifts a CT's reference; on a VT it means nothing and the writer drops it, so
  // keeping it broke the round trip parse(serialize(c)) == c (found by config_parser_fuzz).
  if (in.vphase != 0) {
    note(r.path_of("vphase"), "ignored on a VT (it shifts a CT's reference)");
    in.vphase = 0;
  }
  if (auto turns = r.number("turns")) in.turns = *turns;
  std::optional<double> cal = r.number("cal");
  if (!cal && !r.get("cal") && entry) cal = entry->cal;
  if (!cal) {
    if (!r.get("cal"))
      problems_.add(r.path_of("cal"), "missing; a VT needs its calibration ratio (line volts per VT volt)");
    return;
  }
  if (detail::check_range(*cal, kVtCalMin, kVtCalMax, r.path_of("cal"), problems_,
                          fmt::format("a VT cal must be {} to {}", kVtCalMin, kVtCalMax))) {
    in.cal = *cal;
  }
}

void Parser::resolve_ct(Input& in, ObjectReader& r, const ModelEntry* entry, std::optional<double> vmult) {
  in.vmult = vmult.value_or(1.0) * (in.is_double ? 2.0 : 1.0);
  if (auto vchan = r.integer("vchan")) {
    const int channels = cfg_.device.channels;
    if (*vchan < 0 || *vchan >= channels) {
      problems_.add(r.path_of("vchan"), fmt::format("{} is not a channel (0 to {})", *vchan, channels - 1));
      in.vchan = -1;  // checked; check_inputs() skips it
    } else {
      in.vchan = static_cast<int>(*vchan);
    }
  }
  std::optional<double> turns = r.number("turns");
  if (turns && !(*turns > 0)) {
    problems_.add(r.path_of("turns"), fmt::format("{} is not positive", detail::num(*turns)));
    turns.reset();
  }
  const bool turns_present = r.get("turns") != nullptr;
  const std::optional<double> given_cal = r.number("cal");
  const bool cal_present = r.get("cal") != nullptr;
  const double burden = cfg_.device.burden_ohms(in.channel);
  const std::string cal_path = r.path_of("cal");
  in.turns = turns;
  if (burden < 0 || (turns_present && !turns)) return;  // already reported; cal cannot be resolved
  // The catalog fills in only what the entry leaves out entirely, so an entry with its own
  // cal keeps it, as in the original (which reads only the config's turns and cal).
  const std::optional<double> table_turns =
      entry && entry->type == ModelType::kCurrent && !turns_present && !cal_present ? entry->turns : std::nullopt;
  if (turns && burden > 0) {
    // Reference §2.4: with turns and a burden the firmware computes cal and ignores "cal".
    in.cal = *turns / burden;
    if (given_cal && std::fabs(*given_cal - in.cal) > 1e-6 * in.cal) {
      note(cal_path, fmt::format("{} replaced by turns/burden = {}/{} = {}", detail::num(*given_cal),
                                 detail::num(*turns), detail::num(burden), detail::num(in.cal)));
    }
  } else if (given_cal) {
    in.cal = *given_cal;
  } else if (cal_present) {
    return;  // present but not a number: already reported
  } else if (table_turns && burden > 0) {
    in.turns = table_turns;
    in.cal = *table_turns / burden;
  } else if (entry && entry->type == ModelType::kVoltage && entry->cal) {
    in.cal = *entry->cal;
  } else {
    const std::optional<double> t = turns ? turns : table_turns;
    if (t) {
      problems_.add(cal_path, fmt::format("missing; turns {} needs a burden resistor on channel {} "
                                          "(device.burden[{}] is {}), or give cal (amps per volt)",
                                          detail::num(*t), in.channel, in.channel, detail::num(burden)));
    } else {
      problems_.add(cal_path, "missing; give cal (amps per volt), or turns with a burden resistor on this channel");
    }
    return;
  }
  if (!(in.cal > 0) || in.cal > 1e6) {
    problems_.add(cal_path, fmt::format("{} is not in (0, 1000000] amps per volt", detail::num(in.cal)));
  }
}

void Parser::check_inputs() {
  std::map<std::string, size_t, std::less<>> names;
  const int channels = cfg_.device.channels;
  for (size_t i = 0; i < cfg_.inputs.size(); ++i) {
    const auto& in = cfg_.inputs[i];
    if (!in) continue;
    const std::string path = detail::index_path("inputs", i);
    if (!in->name.empty()) {
      if (auto [it, fresh] = names.emplace(in->name, i); !fresh) {
        problems_.add(detail::key_path(path, "name"),
                      fmt::format("{} is already used by inputs[{}]", json(in->name).dump(), it->second));
      }
    }
    if (!type_ok_[i] || !in->is_ct()) continue;
    const int vchan = in->vchan;
    const std::string vpath = detail::key_path(path, "vchan");
    if (vchan < 0 || vchan >= channels) {
      continue;  // reported by resolve_ct()
    } else if (!cfg_.inputs[static_cast<size_t>(vchan)]) {
      problems_.add(vpath, fmt::format("channel {} is not active; a CT needs an active VT as its reference", vchan));
    } else if (type_ok_[static_cast<size_t>(vchan)] && !cfg_.inputs[static_cast<size_t>(vchan)]->is_vt()) {
      problems_.add(vpath, fmt::format("channel {} is not a VT", vchan));
    }
  }
}

void Parser::parse_adc(const json& v) {
  if (!v.is_object()) {
    problems_.add("adc", fmt::format("{} is not an object", detail::describe(v)));
    return;
  }
  const size_t before = problems_.size();
  ObjectReader r(v, "adc", problems_);
  AdcConfig adc;
  if (auto board = r.string("board")) {
    if (board->empty()) problems_.add(r.path_of("board"), "is empty; name the board profile");
    adc.board = *board;
  } else if (!r.get("board")) {
    problems_.add(r.path_of("board"), "missing; name the board profile");
  }
  if (const json* s = r.get("spidev")) {
    const std::string path = r.path_of("spidev");
    if (!s->is_array()) {
      problems_.add(path, fmt::format("{} is not an array of device paths", detail::describe(*s)));
    } else {
      for (size_t i = 0; i < s->size(); ++i) {
        const std::string p = detail::index_path(path, i);
        if (auto dev = detail::read_string((*s)[i], p, problems_)) {
          if (dev->empty() || (*dev)[0] != '/') {
            problems_.add(p, fmt::format("{} is not an absolute path such as \"/dev/spidev0.0\"", json(*dev).dump()));
          }
          adc.spidev.push_back(*dev);
        }
      }
    }
  }
  if (auto hz = r.integer("spi_hz")) {
    if (detail::check_range(static_cast<double>(*hz), 1000, 50e6, r.path_of("spi_hz"), problems_, "Hz"))
      adc.spi_hz = *hz;
  }
  r.report_unknown("board, spidev, spi_hz");
  if (problems_.size() == before) cfg_.adc = std::move(adc);
}

void Parser::parse_sampling(const json& v) {
  if (!v.is_object()) {
    problems_.add("sampling", fmt::format("{} is not an object", detail::describe(v)));
    return;
  }
  ObjectReader r(v, "sampling", problems_);
  SamplingConfig& s = cfg_.sampling;
  if (auto mode = r.string("mode"); mode && !source::parse_sampling_mode(*mode, &s.mode)) {
    problems_.add(r.path_of("mode"), fmt::format("{} is not \"continuous\" or \"roundrobin\"", json(*mode).dump()));
  }
  if (auto cps = r.number("conversions_per_second")) {
    if (detail::check_range(*cps, 1000, 10e6, r.path_of("conversions_per_second"), problems_))
      s.conversions_per_second = *cps;
  }
  if (auto nf = r.number("noise_floor_lsb")) {
    if (detail::check_range(*nf, 0, 64, r.path_of("noise_floor_lsb"), problems_, "ADC codes")) s.noise_floor_lsb = *nf;
  }
  r.report_unknown("mode, conversions_per_second, noise_floor_lsb");
}

// {"<input channel>": gain, ...}: the gain of each listed channel's simulated sensor.
std::map<int, double> Parser::parse_overdrive(const json& v, const std::string& path) {
  std::map<int, double> out;
  if (!v.is_object()) {
    problems_.add(path, fmt::format("{} is not an object of input channel: gain", detail::describe(v)));
    return out;
  }
  for (const auto& [key, gain] : v.items()) {
    const std::string at = path + "." + key;
    int channel = -1;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), channel);
    if (ec != std::errc() || end != key.data() + key.size() || channel < 0 || channel > 255) {
      problems_.add(at, "is not an input channel number");
    } else if (!gain.is_number() || gain.get<double>() <= 0 || gain.get<double>() > 1000) {
      problems_.add(at, fmt::format("{} is not a gain in (0, 1000]", detail::describe(gain)));
    } else {
      out[channel] = gain.get<double>();
    }
  }
  return out;
}

void Parser::parse_sim(const json& v) {
  if (!v.is_object()) {
    problems_.add("sim", fmt::format("{} is not an object", detail::describe(v)));
    return;
  }
  ObjectReader r(v, "sim", problems_);
  SimConfig sim;
  if (auto scenario = r.string("scenario")) sim.scenario = *scenario;
  if (auto seed = r.integer("seed")) {
    if (*seed < 0) {
      problems_.add(r.path_of("seed"), fmt::format("{} is negative", *seed));
    } else {
      sim.seed = static_cast<uint64_t>(*seed);
    }
  }
  if (const json* od = r.get("overdrive")) sim.overdrive = parse_overdrive(*od, r.path_of("overdrive"));
  r.report_unknown("scenario, seed, overdrive");
  cfg_.sim = std::move(sim);
}

void Parser::parse_datalog(const json& v) {
  if (!v.is_object()) {
    problems_.add("datalog", fmt::format("{} is not an object", detail::describe(v)));
    return;
  }
  ObjectReader r(v, "datalog", problems_);
  DatalogConfig& d = cfg_.datalog;
  auto days = [&](const char* key, int low, std::optional<int>* out) {
    if (auto x = r.integer(key);
        x && detail::check_range(static_cast<double>(*x), low, 36500, r.path_of(key), problems_, "days")) {
      *out = static_cast<int>(*x);
    }
  };
  days("current_days", 1, &d.current_days);
  days("history_days", 0, &d.history_days);
  if (auto x = r.integer("max_mb");
      x && detail::check_range(static_cast<double>(*x), 0, 1e9, r.path_of("max_mb"), problems_, "MiB")) {
    d.max_mb = *x;
  }
  if (auto x = r.integer("sync_seconds");
      x && detail::check_range(static_cast<double>(*x), 0, 3600, r.path_of("sync_seconds"), problems_, "s")) {
    d.sync_seconds = static_cast<int>(*x);
  }
  r.report_unknown("current_days, history_days, max_mb, sync_seconds");
}

}  // namespace

std::optional<cctz::time_zone> load_known_time_zone(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string::npos)
    return std::nullopt;
  for (char c : name) {
    if (!is_letter(c) && !is_digit(c) && c != '/' && c != '_' && c != '-' && c != '+') return std::nullopt;
  }
  cctz::time_zone zone;
  if (!cctz::load_time_zone(name, &zone)) return std::nullopt;
  return zone;
}

bool known_time_zone(const std::string& name) { return load_known_time_zone(name).has_value(); }

Result<Config> parse_config(const std::string& json_text, const ModelCatalog& catalog,
                            std::vector<std::string>* notes) {
  return parse_config(std::string_view(json_text), catalog, notes);
}

Result<Config> parse_config(const char* json_text, const ModelCatalog& catalog, std::vector<std::string>* notes) {
  return parse_config(std::string_view(json_text), catalog, notes);
}

Result<Config> parse_config(const nlohmann::json& doc, const ModelCatalog& catalog, std::vector<std::string>* notes) {
  return Parser(catalog, notes).run(doc);
}

Result<Config> parse_config(std::string_view json_text, const ModelCatalog& catalog, std::vector<std::string>* notes) {
  Problems problems;
  std::optional<nlohmann::json> doc = detail::parse_text(json_text, "config", problems);
  if (!doc) return Status::InvalidArgument(problems.joined());
  return parse_config(*doc, catalog, notes);
}

}  // namespace iw::config
