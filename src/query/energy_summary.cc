#include "query/energy_summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace iw::query {
namespace {

using datalog::Record;
using nlohmann::ordered_json;

constexpr int kKwhDecimals = 3;

QueryAnswer error_answer(int status, const std::string& message) {
  return {status,
          "application/json",
          nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          {}};
}

const std::string* arg(const QueryArgs& args, std::string_view name) {
  for (const auto& [key, value] : args) {
    if (key == name) return &value;
  }
  return nullptr;
}

double rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

std::string iso(const cctz::civil_second& c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d", static_cast<long long>(c.year()), c.month(),
                c.day(), c.hour(), c.minute(), c.second());
  return buf;
}

// "YYYY-MM-DD", a real date.
std::optional<cctz::civil_day> parse_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const size_t from[3] = {0, 5, 8}, len[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (size_t i = from[k]; i < from[k] + len[k]; ++i) {
      if (!is_digit(s[i])) return std::nullopt;
      parts[k] = parts[k] * 10 + (s[i] - '0');
    }
  }
  const cctz::civil_day day(parts[0], parts[1], parts[2]);
  if (parts[0] < 1970 || day.month() != parts[1] || day.day() != parts[2]) return std::nullopt;
  return day;
}

struct Period {
  std::string name;
  cctz::civil_second begin, end;
};

Result<Period> period_of(const QueryArgs& args, const QueryEnvironment& env) {
  const std::string* p = arg(args, "period");
  const std::string name = p == nullptr ? "day" : *p;
  cctz::civil_day day(env.zone->to_local(env.now));
  if (const std::string* d = arg(args, "date")) {
    auto parsed = parse_day(*d);
    if (!parsed) return Status::InvalidArgument("date: \"" + *d + "\" is not a date YYYY-MM-DD");
    day = *parsed;
  }
  if (name == "day") return Period{name, cctz::civil_second(day), cctz::civil_second(day + 1)};
  if (name == "week") {
    const cctz::civil_day sunday = cctz::prev_weekday(day + 1, cctz::weekday::sunday);
    return Period{name, cctz::civil_second(sunday), cctz::civil_second(sunday + 7)};
  }
  if (name == "month") {
    const cctz::civil_month m(day);
    return Period{name, cctz::civil_second(m), cctz::civil_second(m + 1)};
  }
  if (name == "year") {
    const cctz::civil_year y(day);
    return Period{name, cctz::civil_second(y), cctz::civil_second(y + 1)};
  }
  return Status::InvalidArgument("period: \"" + name + "\" is not day, week, month or year");
}

// `total` split in proportion to the positive `weights`, in whole units of 10^-decimals, by
// largest remainder: the parts add up to the rounded total exactly.
std::vector<double> split_total(double total, const std::vector<double>& weights, int decimals) {
  const double scale = std::pow(10.0, decimals);
  double sum = 0;
  for (double w : weights) sum += std::max(w, 0.0);
  std::vector<double> parts(weights.size(), 0);
  if (!(sum > 0)) return parts;
  if (!(std::abs(total * scale) < 1e15)) {  // beyond whole units an int64 holds exactly: plain shares
    for (size_t i = 0; i < weights.size(); ++i) parts[i] = total * std::max(weights[i], 0.0) / sum;
    return parts;
  }
  const auto units = static_cast<int64_t>(std::llround(total * scale));
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double raw = static_cast<double>(units) * std::max(weights[i], 0.0) / sum;
    parts[i] = std::floor(raw);
    given += static_cast<int64_t>(parts[i]);
    remainders.emplace_back(raw - parts[i], i);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < units && k < remainders.size(); ++k, ++given) parts[remainders[k].second] += 1;
  for (double& p : parts) p /= scale;
  return parts;
}

ordered_json circuits_json(const TariffEngine& engine, const SeriesCatalog& catalog, const Record& older,
                           const Record& newer, std::optional<double> total) {
  const int decimals = engine.tariff().decimals;
  std::vector<const InputSeries*> circuits;
  std::vector<double> costs;
  for (const InputSeries* in : catalog.inputs()) {
    if (in->is_vt() || (engine.has_meter() && in->name() == engine.tariff().meter)) continue;
    auto c = engine.series_cost(*in, older, newer);
    circuits.push_back(in);
    costs.push_back(c.ok() && c.value() ? *c.value() : 0);
  }
  const std::vector<double> shares = total ? split_total(*total, costs, decimals) : costs;
  ordered_json list = ordered_json::array();
  const Interval interval{&older, &newer};
  for (size_t i = 0; i < circuits.size(); ++i) {
    list.push_back({{"name", circuits[i]->name()},
                    {"kwh", rounded(circuits[i]->value(interval, Unit::kKWh).value_or(0), kKwhDecimals)},
                    {"cost", rounded(costs[i], decimals)},
                    {"share", rounded(shares[i], decimals)}});
  }
  return list;
}

// The meter's part of the answer: energy, cost and its parts, the period's demand peak.
Status add_meter(ordered_json& doc, const QueryEnvironment& env, int64_t begin, int64_t end, const Record& older,
                 const Record& newer) {
  const TariffEngine& engine = *env.tariff;
  const int d = engine.tariff().decimals;
  auto c = engine.meter_cost(older, newer);
  if (!c.ok()) return c.status();
  const MeterCost& m = c.value();
  doc["import_kwh"] = rounded(m.import_wh / 1000, kKwhDecimals);
  doc["export_kwh"] = rounded(m.export_wh / 1000, kKwhDecimals);
  doc["cost"] = rounded(m.total(), d);
  doc["parts"] = {{"energy", rounded(m.energy, d)},
                  {"tiers", rounded(m.tiers, d)},
                  {"export_credit", rounded(m.export_credit, d)},
                  {"standing", rounded(m.standing, d)},
                  {"demand", rounded(m.demand, d)}};
  if (!engine.tariff().demand) return Status::Ok();
  auto peak = engine.demand_peak(begin, std::min(end, newer.time));  // no window past the newest record
  if (!peak.ok()) return peak.status();
  doc["demand"] = {
      {"minutes", engine.tariff().demand->minutes},
      {"peak_kw", rounded(peak.value().kw, kKwhDecimals)},
      {"at", peak.value().at == 0 ? ordered_json() : ordered_json(iso(env.zone->to_local(peak.value().at)))}};
  return Status::Ok();
}

}  // namespace

QueryAnswer answer_energy(const QueryArgs& args, const QueryEnvironment& env) {
  if (env.tariff == nullptr) return error_answer(404, "no tariff in the config: add a \"tariffs\" section");
  auto period = period_of(args, env);
  if (!period.ok()) return error_answer(400, period.error());
  const int64_t begin = env.zone->to_utc(period.value().begin);
  const int64_t end = env.zone->to_utc(period.value().end);
  const config::Tariff& t = env.tariff->tariff();
  ordered_json doc = {
      {"period", period.value().name},  {"begin", iso(period.value().begin)},
      {"end", iso(period.value().end)}, {"tariff", t.name},
      {"currency", t.currency},         {"meter", t.meter.empty() ? ordered_json() : ordered_json(t.meter)}};
  for (const char* key : {"import_kwh", "export_kwh", "cost", "parts", "demand"}) doc[key] = nullptr;
  auto older = env.records->at_or_before(begin);
  auto newer = env.records->at_or_before(end);
  if (!older.ok() || !newer.ok()) return error_answer(500, "datalog: " + (older.ok() ? newer : older).error());
  if (!older.value() || !newer.value()) {
    doc["circuits"] = ordered_json::array();
    return {200, "application/json", doc.dump(), {}};
  }
  std::optional<double> total;
  if (env.tariff->has_meter()) {
    if (Status st = add_meter(doc, env, begin, end, *older.value(), *newer.value()); !st) {
      return error_answer(500, "datalog: " + st.message());
    }
    total = doc["cost"].get<double>();
  }
  doc["circuits"] = circuits_json(*env.tariff, *env.catalog, *older.value(), *newer.value(), total);
  return {200, "application/json", doc.dump(), {}};
}

}  // namespace iw::query
