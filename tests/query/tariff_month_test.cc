// A month of a whole tariff (time-of-use + tiers + export credit + standing charge + 15-minute
// demand on peak) across the spring-forward change in Europe/Berlin, priced by hand below and
// by the engine through the real /query and /energy paths: equal to the cent.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "config/tariff_config.h"
#include "query/cost_series.h"
#include "query/energy_summary.h"
#include "query/output_series.h"
#include "query/query.h"
#include "query/query_testing.h"
#include "query/zone_testing.h"

namespace iw::query {
namespace {

using nlohmann::json;

// March 2026 in Berlin: the 1st is a Sunday; on Sunday the 29th 02:00 CET becomes 03:00 CEST.
// Thursday the 19th is a holiday (priced as a Sunday).
constexpr const char* kTariff = R"([{
  "name": "home", "currency": "EUR", "meter": "Main", "billing_day": 1, "holidays": ["2026-03-19"],
  "import": {"price": 0.20,
             "schedule": [
               {"days": ["mon","tue","wed","thu","fri"], "months": [1,2,3,10,11,12], "from": "07:00", "to": "11:00",
                "price": 0.40, "peak": true},
               {"days": ["mon","tue","wed","thu","fri"], "months": [1,2,3,10,11,12], "from": "17:00", "to": "21:00",
                "price": 0.40, "peak": true},
               {"days": ["sat","sun"], "from": "07:00", "to": "21:00", "price": 0.25}],
             "tiers": [{"up_to_kwh": 300, "add": 0}, {"up_to_kwh": 600, "add": 0.03}, {"add": 0.06}]},
  "export": {"price": 0.08, "schedule": [{"from": "11:00", "to": "13:00", "price": 0.05}]},
  "standing_charge": 0.50,
  "demand": {"minutes": 15, "price": 10, "on_peak_only": true}}])";

// The meter "Main" in local time, the same every day: 0.5 kW 00-07, 2 kW 07-11, -1 kW (export)
// 11-15, 1 kW 15-17, 3 kW 17-21, 0.8 kW 21-24. Two spikes: 9 kW on Wed 18th 18:00-18:15 (on
// peak) and 12 kW on Fri 20th 23:00-23:15 (off peak: no demand charge).
double main_watts(const cctz::civil_second& t) {
  const int m = t.hour() * 60 + t.minute();
  if (t.day() == 18 && m >= 18 * 60 && m < 18 * 60 + 15) return 9000;
  if (t.day() == 20 && m >= 23 * 60 && m < 23 * 60 + 15) return 12000;
  if (m < 7 * 60) return 500;
  if (m < 11 * 60) return 2000;
  if (m < 15 * 60) return -1000;
  if (m < 17 * 60) return 1000;
  if (m < 21 * 60) return 3000;
  return 800;
}

// Circuits: Kitchen takes 40 % of what Main imports, Total 60 % (0.3 kW while exporting);
// Solar makes 2 kW 11-15.
struct Circuits {
  double main, solar, kitchen, total;
};
Circuits circuits_at(const cctz::civil_second& t) {
  const double w = main_watts(t);
  if (w < 0) return {w, -2000, 0, 300};
  return {w, 0, 0.4 * w, 0.6 * w};
}

// Records every 5 minutes (channels: 0 VT, 1 Main, 2 Solar, 3 Kitchen, 4 Total), integrating
// the watts above into the import/export counters.
std::vector<datalog::Record> month_records(const TimeZone& zone, int64_t begin, int64_t end) {
  constexpr int64_t kStep = 300;
  std::vector<datalog::Record> out;
  double imp[5] = {0}, exp[5] = {0};
  for (int64_t t = begin;; t += kStep) {
    datalog::Record r;
    r.time = t;
    r.monitored_us = (t - begin) * 1000000;
    r.channels.resize(5);
    for (size_t ch = 1; ch < 5; ++ch) {
      r.channels[ch].wh_import.set(std::llround(imp[ch] * 1e6));
      r.channels[ch].wh_export.set(std::llround(exp[ch] * 1e6));
    }
    r.channels[0].vh.set(std::llround(230.0 * static_cast<double>(t - begin) / 3600 * 1e6));
    out.push_back(std::move(r));
    if (t >= end) return out;
    const Circuits c = circuits_at(zone.to_local(t));
    const double watts[5] = {0, c.main, c.solar, c.kitchen, c.total};
    for (size_t ch = 1; ch < 5; ++ch) (watts[ch] >= 0 ? imp[ch] : exp[ch]) += std::abs(watts[ch]) * kStep / 3600;
  }
}

config::Config month_config(const char* tariffs = kTariff) {
  config::Config c = testing::TestConfig();
  config::Input kitchen = *c.inputs[1];
  kitchen.channel = 3;
  kitchen.name = "Kitchen";
  c.inputs[3] = kitchen;
  c.timezone_name = "Europe/Berlin";
  c.sections["tariffs"] = json::parse(tariffs);
  return c;
}

// The whole month, by hand: each kind of day priced band by band.
struct HandTotals {
  double energy, tiers, export_credit, standing, demand;
  double total() const { return energy + tiers - export_credit + standing + demand; }
};
HandTotals by_hand() {
  // Weekday (21 of them): 3.5 kWh night @0.20, 8 @0.40, 2 @0.20 (15-17), 12 @0.40, 2.4 @0.20.
  const double weekday = 3.5 * 0.20 + 8 * 0.40 + 2 * 0.20 + 12 * 0.40 + 2.4 * 0.20;  // 9.58
  // Weekend day or the holiday (9 of them, besides the 29th): 07-21 at 0.25.
  const double weekend = 3.5 * 0.20 + 8 * 0.25 + 2 * 0.25 + 12 * 0.25 + 2.4 * 0.20;  // 6.68
  // Sunday 29th: the night 00-07 has 6 hours (02:00-03:00 does not exist).
  const double dst_sunday = 3.0 * 0.20 + 8 * 0.25 + 2 * 0.25 + 12 * 0.25 + 2.4 * 0.20;  // 6.58
  // Spikes: +6 kW for 15 min on peak (0.40), +11.2 kW for 15 min at night (0.20).
  const double spikes = 1.5 * 0.40 + 2.8 * 0.20;           // 1.16
  const double import_kwh = 30 * 27.9 + 27.4 + 1.5 + 2.8;  // 868.7
  HandTotals h{};
  h.energy = 21 * weekday + 9 * weekend + dst_sunday + spikes;  // 269.04
  h.tiers = (600 - 300) * 0.03 + (import_kwh - 600) * 0.06;     // 9 + 16.122
  h.export_credit = 31 * (2 * 0.05 + 2 * 0.08);                 // 4 kWh a day: 8.06
  h.standing = 31 * 0.50;                                       // 15.50
  h.demand = 9 * 10.0;                                          // on-peak peak 9 kW: 90
  return h;
}

class TariffMonth : public ::testing::Test {
 protected:
  TariffMonth()
      : zone_(testing::zone("Europe/Berlin")),
        config_(month_config()),
        records_(month_records(*zone_, zone_->to_utc(cctz::civil_second(2026, 2, 28)),
                               zone_->to_utc(cctz::civil_second(2026, 4, 2)))),
        catalog_(SeriesCatalog::FromConfig(config_)) {
    engine_ = add_tariff(catalog_, config_, zone_.get(), &records_);
  }

  std::string ask(const std::string& query, int* status = nullptr) const {
    const QueryEnvironment env{&catalog_, zone_.get(), &records_, 0, engine_.get()};
    const QueryAnswer a = answer_query(parse_query_string(query), env);
    if (status != nullptr) *status = a.status;
    return testing::body_of(a);
  }
  json energy(const std::string& query) const {
    const QueryEnvironment env{&catalog_, zone_.get(), &records_, 0, engine_.get()};
    const QueryAnswer a = answer_energy(parse_query_string(query), env);
    EXPECT_EQ(a.status, 200) << a.body;
    return json::parse(a.body);
  }

  std::unique_ptr<TimeZone> zone_;
  config::Config config_;
  testing::MapSource records_;
  SeriesCatalog catalog_;
  std::shared_ptr<const TariffEngine> engine_;
};

long cents(double v) { return std::lround(v * 100); }

TEST_F(TariffMonth, TheMonthCostsWhatTheHandSaysToTheCent) {
  ASSERT_NE(engine_, nullptr);
  const HandTotals h = by_hand();
  EXPECT_EQ(cents(h.total()), 39160);  // 391.602
  const json r = json::parse(ask("select=[Main.cost,Main.kwh]&begin=2026-03-01&end=2026-04-01&group=all"));
  ASSERT_EQ(r.size(), 1u) << r.dump();
  EXPECT_EQ(cents(r[0][0].get<double>()), cents(h.total())) << r.dump();
}

TEST_F(TariffMonth, DaysAndHoursAddUpToTheMonthAcrossTheDstChange) {
  const json days = json::parse(ask("select=[time.iso,Main.cost.d6]&begin=2026-03-01&end=2026-04-01&group=d"));
  ASSERT_EQ(days.size(), 31u);
  double sum = 0;
  for (const auto& d : days) sum += d[1].get<double>();
  EXPECT_EQ(cents(sum), cents(by_hand().total()));
  const json hours = json::parse(ask("select=[time.iso,Main.cost.d6]&begin=2026-03-29&end=2026-03-30&group=h"));
  ASSERT_EQ(hours.size(), 23u) << hours.dump();
  double day = 0;
  for (const auto& h : hours) day += h[1].get<double>();
  EXPECT_NEAR(day, days[28][1].get<double>(), 1e-5);
  // The 23-hour day: its standing charge is whole (0.50), each hour 1/23 of it; 01:00-02:00
  // CET is the night at 0.20 (0.5 kWh) plus 0.50/23; the tier adder is 0.06 by then.
  EXPECT_NEAR(hours[1][1].get<double>(), 0.5 * (0.20 + 0.06) + 0.50 / 23, 1e-5) << hours[1].dump();
}

TEST_F(TariffMonth, EnergySummaryHasTheHandPartsAndSharesAddUp) {
  const HandTotals h = by_hand();
  const json e = energy("period=month&date=2026-03-15");
  EXPECT_EQ(e["begin"], "2026-03-01T00:00:00");
  EXPECT_EQ(cents(e["cost"].get<double>()), cents(h.total())) << e.dump();
  EXPECT_EQ(cents(e["parts"]["energy"].get<double>()), cents(h.energy));
  EXPECT_EQ(cents(e["parts"]["tiers"].get<double>()), cents(h.tiers));
  EXPECT_EQ(cents(e["parts"]["export_credit"].get<double>()), cents(h.export_credit));
  EXPECT_EQ(cents(e["parts"]["standing"].get<double>()), cents(h.standing));
  EXPECT_EQ(cents(e["parts"]["demand"].get<double>()), cents(h.demand));
  EXPECT_NEAR(e["import_kwh"].get<double>(), 868.7, 1e-3);
  EXPECT_NEAR(e["export_kwh"].get<double>(), 31 * 4.0, 1e-3);
  // The highest on-peak window (the 12 kW spike at 23:00 on the 20th is off peak).
  EXPECT_NEAR(e["demand"]["peak_kw"].get<double>(), 9, 1e-3) << e["demand"].dump();
  EXPECT_EQ(e["demand"]["at"], "2026-03-18T18:00:00");
  long shares = 0;
  for (const auto& c : e["circuits"]) shares += cents(c["share"].get<double>());
  EXPECT_EQ(shares, cents(e["cost"].get<double>())) << e["circuits"].dump();
  // Kitchen and Total price 40 % and 60 % of the import at the same prices: 2:3 of the total.
  ASSERT_EQ(e["circuits"].size(), 3u);
  EXPECT_EQ(e["circuits"][1]["name"], "Kitchen");
  EXPECT_NEAR(e["circuits"][1]["share"].get<double>() / e["cost"].get<double>(),
              0.4 * 868.7 / (0.4 * 868.7 + 0.6 * 868.7 + 0.3 * 4 * 31), 0.01);
}

TEST_F(TariffMonth, ACircuitCostsItsEnergyAtTheImportPriceInEffect) {
  // Kitchen on Wednesday the 4th: 40 % of the day's import (27.9 kWh) at the day's prices (9.58)
  // plus the tier adder: by the 4th (3 days x 27.9 = 83.7 kWh in) still the first tier.
  const json r = json::parse(ask("select=[Kitchen.cost.d4]&begin=2026-03-04&end=2026-03-05&group=all"));
  EXPECT_NEAR(r[0][0].get<double>(), 0.4 * 9.58, 1e-4) << r.dump();
  int status = 0;
  const std::string refused = ask("select=[Kitchen.cost.kwh]&begin=2026-03-04&end=2026-03-05", &status);
  EXPECT_EQ(status, 400) << refused;
  const json series = json::parse(ask("show=series"));
  bool listed = false;
  for (const auto& s : series["series"]) listed = listed || (s["name"] == "Main.cost" && s["unit"] == "EUR");
  EXPECT_TRUE(listed) << series.dump();
}

// The record a daemon would have as its newest at `t`.
datalog::Record record_at(const testing::MapSource& records, int64_t t) { return *records.at_or_before(t).value(); }

TEST_F(TariffMonth, DemandWarnsBeforeANewPeakIsSet) {
  // Wed 18th 18:10: the 9 kW spike has run 10 minutes of its window; the month's on-peak peak
  // so far is the evenings' 3 kW.
  auto now = engine_->demand_now(record_at(records_, zone_->to_utc(cctz::civil_second(2026, 3, 18, 18, 10, 0))));
  ASSERT_TRUE(now.ok()) << now.error();
  EXPECT_NEAR(now.value().peak.kw, 3, 1e-6);
  EXPECT_NEAR(now.value().window_kw, 9, 1e-6);
  EXPECT_EQ(now.value().window_start, zone_->to_utc(cctz::civil_second(2026, 3, 18, 18, 0, 0)));
  EXPECT_TRUE(now.value().warning);
  // Thursday 19th 18:10 is a holiday: no on-peak window, no warning, the peak is now 9 kW.
  now = engine_->demand_now(record_at(records_, zone_->to_utc(cctz::civil_second(2026, 3, 19, 18, 10, 0))));
  ASSERT_TRUE(now.ok());
  EXPECT_NEAR(now.value().peak.kw, 9, 1e-6);
  EXPECT_FALSE(now.value().warning);
  // An ordinary evening at 3 kW is a third of the peak: no warning.
  now = engine_->demand_now(record_at(records_, zone_->to_utc(cctz::civil_second(2026, 3, 23, 18, 10, 0))));
  ASSERT_TRUE(now.ok());
  EXPECT_NEAR(now.value().window_kw, 3, 1e-6);
  EXPECT_FALSE(now.value().warning);
}

TEST_F(TariffMonth, EnergyRefusesWhatItCannotAnswer) {
  const QueryEnvironment env{&catalog_, zone_.get(), &records_, 0, engine_.get()};
  EXPECT_EQ(answer_energy(parse_query_string("period=fortnight"), env).status, 400);
  const QueryAnswer bad_date = answer_energy(parse_query_string("period=day&date=2026-02-30"), env);
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_EQ(json::parse(bad_date.body)["error"], "date: \"2026-02-30\" is not a date YYYY-MM-DD") << bad_date.body;
  const QueryEnvironment no_tariff{&catalog_, zone_.get(), &records_, 0, nullptr};
  EXPECT_EQ(answer_energy(parse_query_string("period=day"), no_tariff).status, 404);
  const json week = energy("period=week&date=2026-03-18");
  EXPECT_EQ(week["begin"], "2026-03-15T00:00:00");  // the Sunday before
  EXPECT_EQ(week["end"], "2026-03-22T00:00:00");
}

// 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 happens twice and a rule
// 02:30-05:00 holds in both 02:30-03:00s. Main draws 0.5 kW all night.
TEST(TariffFallBack, TheRepeatedHourIsPricedByTheWallClockBothTimes) {
  auto berlin = testing::zone("Europe/Berlin");
  const config::Config config = month_config(R"([{"name": "night", "currency": "EUR", "meter": "Main",
    "import": {"price": 0.20, "schedule": [{"from": "02:30", "to": "05:00", "price": 0.10}]}}])");
  const testing::MapSource records(month_records(*berlin, berlin->to_utc(cctz::civil_second(2026, 10, 24)),
                                                 berlin->to_utc(cctz::civil_second(2026, 10, 26))));
  SeriesCatalog catalog = SeriesCatalog::FromConfig(config);
  const auto engine = add_tariff(catalog, config, berlin.get(), &records);
  const QueryEnvironment env{&catalog, berlin.get(), &records, 0, engine.get()};
  const QueryAnswer a = answer_query(
      parse_query_string("select=[Main.cost.d6,Main.kwh]&begin=2026-10-25T00:00&end=2026-10-25T07:00&group=all"), env);
  std::string body;
  ASSERT_TRUE(a.stream([&](std::string_view p) {
                 body += p;
                 return true;
               }).ok());
  // By hand: 00:00-02:30 CEST 2.5 h at 0.20, 02:30-03:00 CEST 0.5 h at 0.10, 02:00-02:30 CET
  // 0.5 h at 0.20, 02:30-05:00 CET 2.5 h at 0.10, 05:00-07:00 2 h at 0.20: 8 hours of 0.5 kW.
  const double hand = 0.5 * (2.5 * 0.20 + 0.5 * 0.10 + 0.5 * 0.20 + 2.5 * 0.10 + 2 * 0.20);  // 0.65
  const json r = json::parse(body);
  EXPECT_NEAR(r[0][1].get<double>(), 4.0, 1e-6) << body;
  EXPECT_NEAR(r[0][0].get<double>(), hand, 1e-6) << body;
}

}  // namespace
}  // namespace iw::query
