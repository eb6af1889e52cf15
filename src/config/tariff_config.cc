#include "config/tariff_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "config/json_reader.h"

namespace iw::config {
namespace {

using detail::ObjectReader;
using detail::Problems;
using nlohmann::json;

constexpr std::string_view kSection = "tariffs";
constexpr std::string_view kTariffKeys =
    "name, currency, meter, decimals, billing_day, holidays, import, export, standing_charge, demand";
constexpr std::string_view kImportKeys = "price, schedule, tiers";
constexpr std::string_view kExportKeys = "price, schedule";
constexpr std::string_view kRuleKeys = "months, days, from, to, price, peak";
constexpr std::string_view kTierKeys = "up_to_kwh, add";
constexpr std::string_view kDemandKeys = "minutes, price, on_peak_only";
constexpr size_t kMaxTextLength = 32;
constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string limit_text(size_t n) { return "at most " + std::to_string(n) + " entries"; }

// Printable text of 1..kMaxTextLength characters without control characters or quotes.
std::optional<std::string> read_label(ObjectReader& r, std::string_view key, Problems& problems, bool required) {
  auto v = r.string(key);
  if (!v) {
    if (required && r.get(key) == nullptr) problems.add(r.path_of(key), "missing");
    return std::nullopt;
  }
  const bool printable = std::all_of(v->begin(), v->end(), [](char c) { return c >= ' ' && c != '"' && c != '\\'; });
  if (v->empty() || v->size() > kMaxTextLength || !printable) {
    problems.add(r.path_of(key), "\"" + *v + "\" must be 1-" + std::to_string(kMaxTextLength) +
                                     " characters without control characters, quotes or backslashes");
    return std::nullopt;
  }
  return v;
}

std::optional<double> read_price(ObjectReader& r, std::string_view key, Problems& problems, double lo) {
  auto v = r.number(key);
  if (v && !detail::check_range(*v, lo, kMaxPrice, r.path_of(key), problems)) return std::nullopt;
  return v;
}

// "hh:mm", 00:00..24:00.
std::optional<int> read_clock(ObjectReader& r, std::string_view key, Problems& problems) {
  auto v = r.string(key);
  if (!v) return std::nullopt;
  const std::string& s = *v;
  const bool shaped = s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
                      std::isdigit(static_cast<unsigned char>(s[1])) &&
                      std::isdigit(static_cast<unsigned char>(s[3])) && std::isdigit(static_cast<unsigned char>(s[4]));
  const int h = shaped ? (s[0] - '0') * 10 + (s[1] - '0') : 99;
  const int m = shaped ? (s[3] - '0') * 10 + (s[4] - '0') : 99;
  if (!shaped || m > 59 || h * 60 + m > 1440) {
    problems.add(r.path_of(key), "\"" + s + "\" is not a time hh:mm from 00:00 to 24:00");
    return std::nullopt;
  }
  return h * 60 + m;
}

// An array of integers lo..hi as a bit mask (bit v - lo); nullopt on a problem.
std::optional<uint16_t> read_months(const json& v, const std::string& path, Problems& problems) {
  if (!v.is_array() || v.empty() || v.size() > 12) {
    problems.add(path, detail::describe(v) + " is not an array of 1-12 months (1-12)");
    return std::nullopt;
  }
  uint16_t mask = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const auto m = detail::read_integer(v[i], detail::index_path(path, i), problems);
    if (!m) return std::nullopt;
    if (*m < 1 || *m > 12) {
      problems.add(detail::index_path(path, i), std::to_string(*m) + " is not a month 1-12");
      return std::nullopt;
    }
    mask = static_cast<uint16_t>(mask | (1u << (*m - 1)));
  }
  return mask;
}

std::optional<uint8_t> read_days(const json& v, const std::string& path, Problems& problems) {
  if (!v.is_array() || v.empty() || v.size() > kDayNames.size()) {
    problems.add(path, detail::describe(v) + " is not an array of 1-7 days (\"mon\" ... \"sun\")");
    return std::nullopt;
  }
  uint8_t mask = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const auto it =
        v[i].is_string() ? std::find(kDayNames.begin(), kDayNames.end(), v[i].get<std::string>()) : kDayNames.end();
    if (it == kDayNames.end()) {
      problems.add(detail::index_path(path, i), detail::describe(v[i]) + " is not a day: mon tue wed thu fri sat sun");
      return std::nullopt;
    }
    mask = static_cast<uint8_t>(mask | (1u << (it - kDayNames.begin())));
  }
  return mask;
}

std::optional<TouRule> read_rule(const json& v, const std::string& path, Problems& problems) {
  if (!v.is_object()) {
    problems.add(path, detail::describe(v) + " is not an object");
    return std::nullopt;
  }
  const size_t before = problems.size();
  ObjectReader r(v, path, problems);
  TouRule rule;
  if (const json* m = r.get("months")) rule.months = read_months(*m, r.path_of("months"), problems).value_or(0xfff);
  if (const json* d = r.get("days")) rule.days = read_days(*d, r.path_of("days"), problems).value_or(0x7f);
  rule.from_minute = read_clock(r, "from", problems).value_or(0);
  rule.to_minute = read_clock(r, "to", problems).value_or(1440);
  if (auto p = read_price(r, "price", problems, -kMaxPrice)) {
    rule.price = *p;
  } else if (r.get("price") == nullptr) {
    problems.add(r.path_of("price"), "missing");
  }
  rule.peak = r.boolean("peak").value_or(false);
  if (problems.size() == before && rule.from_minute >= rule.to_minute) {
    problems.add(r.path_of("to"), "must be later than \"from\" (split a rule that runs past midnight in two)");
  }
  r.report_unknown(kRuleKeys);
  if (problems.size() != before) return std::nullopt;
  return rule;
}

std::vector<TouRule> read_schedule(const json& v, const std::string& path, Problems& problems) {
  std::vector<TouRule> rules;
  if (!v.is_array() || v.size() > kMaxScheduleRules) {
    problems.add(path, detail::describe(v) + " is not an array of " + limit_text(kMaxScheduleRules));
    return rules;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (auto rule = read_rule(v[i], detail::index_path(path, i), problems)) rules.push_back(*rule);
  }
  return rules;
}

// {"price": p, "schedule": [...]}: `price` is required.
PriceSchedule read_prices(ObjectReader& r, Problems& problems) {
  PriceSchedule s;
  if (auto p = read_price(r, "price", problems, -kMaxPrice)) {
    s.price = *p;
  } else if (r.get("price") == nullptr) {
    problems.add(r.path_of("price"), "missing");
  }
  if (const json* rules = r.get("schedule")) s.rules = read_schedule(*rules, r.path_of("schedule"), problems);
  return s;
}

std::vector<Tier> read_tiers(const json& v, const std::string& path, Problems& problems) {
  std::vector<Tier> tiers;
  if (!v.is_array() || v.empty() || v.size() > kMaxTiers) {
    problems.add(path, detail::describe(v) + " is not an array of 1-" + std::to_string(kMaxTiers) + " tiers");
    return tiers;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string p = detail::index_path(path, i);
    if (!v[i].is_object()) {
      problems.add(p, detail::describe(v[i]) + " is not an object");
      continue;
    }
    ObjectReader r(v[i], p, problems);
    Tier tier;
    tier.up_to_kwh = r.number("up_to_kwh");
    tier.add = read_price(r, "add", problems, -kMaxPrice).value_or(0);
    r.report_unknown(kTierKeys);
    const bool last = i + 1 == v.size();
    const double previous = tiers.empty() || !tiers.back().up_to_kwh ? 0 : *tiers.back().up_to_kwh;
    if (last && tier.up_to_kwh) problems.add(r.path_of("up_to_kwh"), "the last tier has no bound (it takes the rest)");
    if (!last && !tier.up_to_kwh) problems.add(r.path_of("up_to_kwh"), "missing (only the last tier has no bound)");
    if (tier.up_to_kwh && !(*tier.up_to_kwh > previous && *tier.up_to_kwh < 1e9)) {
      problems.add(r.path_of("up_to_kwh"),
                   "must be more than the previous bound (" + detail::num(previous) + ") and less than 1e9 kWh");
    }
    tiers.push_back(tier);
  }
  return tiers;
}

std::optional<DemandCharge> read_demand(const json& v, const std::string& path, Problems& problems) {
  if (!v.is_object()) {
    problems.add(path, detail::describe(v) + " is not an object");
    return std::nullopt;
  }
  ObjectReader r(v, path, problems);
  DemandCharge d;
  if (auto m = r.integer("minutes")) {
    if (*m != 15 && *m != 30 && *m != 60) problems.add(r.path_of("minutes"), "must be 15, 30 or 60");
    d.minutes = static_cast<int>(*m);
  }
  if (auto p = read_price(r, "price", problems, 0)) {
    d.price = *p;
  } else if (r.get("price") == nullptr) {
    problems.add(r.path_of("price"), "missing (per kW of the billing period's peak)");
  }
  d.on_peak_only = r.boolean("on_peak_only").value_or(false);
  r.report_unknown(kDemandKeys);
  return d;
}

// "YYYY-MM-DD", a real date (2026-02-30 is refused, not moved to March).
std::optional<cctz::civil_day> parse_date(const std::string& s) {
  const auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t k = from; k < from + n; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(s[k]))) return -1;
      v = v * 10 + (s[k] - '0');
    }
    return v;
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 1970 || m < 1 || d < 1) return std::nullopt;
  const cctz::civil_day day(y, m, d);
  if (day.month() != m || day.day() != d) return std::nullopt;
  return day;
}

std::vector<cctz::civil_day> read_holidays(const json& v, const std::string& path, Problems& problems) {
  std::vector<cctz::civil_day> days;
  if (!v.is_array() || v.size() > kMaxHolidays) {
    problems.add(path, detail::describe(v) + " is not an array of " + limit_text(kMaxHolidays));
    return days;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    auto day = v[i].is_string() ? parse_date(v[i].get<std::string>()) : std::nullopt;
    if (!day) {
      problems.add(detail::index_path(path, i), detail::describe(v[i]) + " is not a date YYYY-MM-DD");
      continue;
    }
    days.push_back(*day);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

// A CT input or an integrator of `config`: the two that carry exact import and export.
bool is_meter(const Config& config, const std::string& name) {
  for (const auto& in : config.inputs) {
    if (in && in->is_ct() && in->name == name) return true;
  }
  return std::any_of(config.integrators.begin(), config.integrators.end(),
                     [&](const ScriptDef& d) { return d.name == name; });
}

void read_sides(ObjectReader& r, Tariff& t, Problems& problems) {
  if (const json* v = r.get("import"); v != nullptr && v->is_object()) {
    ObjectReader ir(*v, r.path_of("import"), problems);
    t.import = read_prices(ir, problems);
    if (const json* tiers = ir.get("tiers")) t.tiers = read_tiers(*tiers, ir.path_of("tiers"), problems);
    ir.report_unknown(kImportKeys);
  } else {
    problems.add(r.path_of("import"), v == nullptr ? "missing (at least {\"price\": <per kWh>})" : "is not an object");
  }
  if (const json* v = r.get("export")) {
    if (!v->is_object()) {
      problems.add(r.path_of("export"), detail::describe(*v) + " is not an object");
    } else {
      ObjectReader er(*v, r.path_of("export"), problems);
      t.export_credit = read_prices(er, problems);
      er.report_unknown(kExportKeys);
    }
  }
}

// What needs a meter: everything priced on the grid connection rather than on a circuit.
void check_meter(ObjectReader& r, const Tariff& t, const Config& config, Problems& problems) {
  if (!t.meter.empty() && !is_meter(config, t.meter)) {
    problems.add(r.path_of("meter"), "\"" + t.meter + "\" is not a CT input or an integrator");
  }
  if (!t.meter.empty()) return;
  const std::pair<bool, const char*> needs[] = {{!t.tiers.empty(), "import.tiers"},
                                                {t.export_credit.has_value(), "export"},
                                                {t.standing_charge != 0, "standing_charge"},
                                                {t.demand.has_value(), "demand"}};
  for (const auto& [present, key] : needs) {
    if (present) problems.add(r.path_of(key), "needs \"meter\" (the grid connection: a CT input or an integrator)");
  }
}

std::optional<Tariff> read_tariff(const json& v, const std::string& path, const Config& config, Problems& problems) {
  if (!v.is_object()) {
    problems.add(path, detail::describe(v) + " is not an object");
    return std::nullopt;
  }
  ObjectReader r(v, path, problems);
  Tariff t;
  t.name = read_label(r, "name", problems, true).value_or("");
  t.currency = read_label(r, "currency", problems, true).value_or("");
  t.meter = read_label(r, "meter", problems, false).value_or("");
  if (auto d = r.integer("decimals"))
    t.decimals = detail::check_range(double(*d), 0, 6, r.path_of("decimals"), problems) ? int(*d) : 2;
  if (auto d = r.integer("billing_day")) {
    t.billing_day =
        detail::check_range(double(*d), 1, 28, r.path_of("billing_day"), problems, "(a day every month has)") ? int(*d)
                                                                                                              : 1;
  }
  if (const json* h = r.get("holidays")) t.holidays = read_holidays(*h, r.path_of("holidays"), problems);
  read_sides(r, t, problems);
  t.standing_charge = read_price(r, "standing_charge", problems, 0).value_or(0);
  if (const json* d = r.get("demand")) t.demand = read_demand(*d, r.path_of("demand"), problems);
  check_meter(r, t, config, problems);
  r.report_unknown(kTariffKeys);
  return t;
}

}  // namespace

Result<std::vector<Tariff>> tariff_config(const Config& config) {
  std::vector<Tariff> tariffs;
  const json* section = config.section(kSection);
  if (section == nullptr) return tariffs;
  if (!section->is_array() || section->size() > kMaxTariffs) {
    return Status::InvalidArgument(std::string(kSection) + ": " + detail::describe(*section) + " is not an array of " +
                                   limit_text(kMaxTariffs));
  }
  Problems problems;
  for (size_t i = 0; i < section->size(); ++i) {
    const std::string path = detail::index_path(kSection, i);
    auto t = read_tariff((*section)[i], path, config, problems);
    if (!t) continue;
    const bool repeated =
        std::any_of(tariffs.begin(), tariffs.end(), [&](const Tariff& o) { return o.name == t->name; });
    if (repeated) problems.add(path + ".name", "\"" + t->name + "\" is the name of an earlier tariff");
    tariffs.push_back(std::move(*t));
  }
  if (!problems.empty()) return Status::InvalidArgument(problems.joined());
  return tariffs;
}

}  // namespace iw::config
