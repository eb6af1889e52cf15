// The "tariffs" section of the config: what energy costs, so that the monitor prices it itself
// (src/query/cost_series.h). Ours, not in the original firmware. A flat import price:
//
//   "tariffs": [{"name": "flat", "currency": "EUR", "import": {"price": 0.30}}]
//
// A whole plan (every key but `name`, `currency` and `import.price` is optional):
//
//   {"name": "home", "currency": "EUR", "meter": "Mains", "decimals": 2, "billing_day": 1,
//    "holidays": ["2026-12-25"],
//    "import": {"price": 0.20,
//               "schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"], "months": [1, 2, 3, 10, 11, 12],
//                             "from": "17:00", "to": "21:00", "price": 0.40, "peak": true}],
//               "tiers": [{"up_to_kwh": 300, "add": 0}, {"up_to_kwh": 600, "add": 0.03}, {"add": 0.06}]},
//    "export": {"price": 0.08, "schedule": [{"from": "11:00", "to": "13:00", "price": 0.05}]},
//    "standing_charge": 0.50,
//    "demand": {"minutes": 15, "price": 10, "on_peak_only": true}}
//
// Meanings (README, "Tariffs and cost", has the pricing rules):
//   meter            the grid connection: a CT input or an integrator (exact import/export). Needed
//                    by tiers, export, standing_charge and demand.
//   schedule         time-of-use rules on the monitor's local wall clock; the first rule whose
//                    months, days and [from, to) hold the local time gives the price, else `price`.
//                    A holiday is priced as a Sunday.
//   tiers            adders to the import price by the meter's import so far in the billing period
//                    (up_to_kwh increasing; the last tier has none).
//   billing_day      the billing period starts on this day of the month (1-28), local 00:00.
//   standing_charge  per local day, in the currency.
//   demand           price per kW of the billing period's highest `minutes` average import.
//
// Errors name the key ("tariffs[0].import.schedule[2].from: \"25:00\" is not a time hh:mm").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cctz/civil_time.h>

#include "base/status.h"
#include "config/config.h"

namespace iw::config {

// Limits (each one stated in the error that enforces it).
inline constexpr size_t kMaxTariffs = 4;
inline constexpr size_t kMaxScheduleRules = 32;
inline constexpr size_t kMaxTiers = 8;
inline constexpr size_t kMaxHolidays = 64;
inline constexpr double kMaxPrice = 1e6;  // per kWh, per day or per kW: any sane currency is far below

// One time-of-use rule. Invariant: 0 <= from_minute < to_minute <= 1440; months bit m-1 for
// month m, days bit 0 Monday .. bit 6 Sunday, neither empty.
struct TouRule {
  uint16_t months = 0xfff;
  uint8_t days = 0x7f;
  int from_minute = 0;
  int to_minute = 1440;
  double price = 0;
  bool peak = false;  // on-peak hours: where demand with on_peak_only is measured

  bool operator==(const TouRule&) const = default;
};

// A price in currency per kWh: `price`, unless a rule holds the local time.
struct PriceSchedule {
  double price = 0;
  std::vector<TouRule> rules;  // at most kMaxScheduleRules

  bool operator==(const PriceSchedule&) const = default;
};

// Import beyond the previous tier's bound and up to `up_to_kwh` (in the billing period) costs
// the schedule's price plus `add`. Invariant: bounds increase; only the last is nullopt.
struct Tier {
  std::optional<double> up_to_kwh;
  double add = 0;

  bool operator==(const Tier&) const = default;
};

struct DemandCharge {
  int minutes = 15;  // 15, 30 or 60
  double price = 0;  // per kW of the billing period's peak
  bool on_peak_only = false;

  bool operator==(const DemandCharge&) const = default;
};

struct Tariff {
  std::string name;
  std::string currency;
  std::string meter;  // empty: no meter; then only import.price and its schedule are allowed
  int decimals = 2;   // of .cost columns without .dN
  int billing_day = 1;
  std::vector<cctz::civil_day> holidays;  // sorted, unique
  PriceSchedule import;
  std::optional<PriceSchedule> export_credit;  // what exported energy earns
  std::vector<Tier> tiers;
  double standing_charge = 0;  // per local day
  std::optional<DemandCharge> demand;

  bool operator==(const Tariff&) const = default;
};

// The typed "tariffs" section of `config` (empty when absent). A meter must name a CT input or
// an integrator of `config`. Every problem found is reported, one per line.
Result<std::vector<Tariff>> tariff_config(const Config& config);

}  // namespace iw::config
