#include "config/tariff_config.h"

#include <gtest/gtest.h>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {
namespace {

// Two inputs (a VT and the CT "Mains") and an integrator "grid", plus `tariffs`.
Result<Config> Parse(const std::string& tariffs, std::vector<std::string>* notes = nullptr) {
  return parse_config(R"({"device":{"channels":2},"inputs":[
      {"name":"Voltage","type":"VT","model":"generic","cal":10},
      {"name":"Mains","type":"CT","model":"generic","cal":20,"vchan":0}],
    "integrators":[{"name":"grid","units":"Wh","expr":"Mains"}],
    "tariffs":)" + tariffs +
                          "}",
                      ModelCatalog::builtin(), notes);
}

// The problems of a tariffs section, one per line ("" when it is fine).
std::string ProblemsOf(const std::string& tariffs) {
  auto c = Parse(tariffs);
  if (!c.ok()) return c.error();
  auto t = tariff_config(c.value());
  return t.ok() ? "" : t.error();
}

constexpr const char* kWholePlan = R"([{"name": "home", "currency": "EUR", "meter": "Mains", "decimals": 3,
  "billing_day": 15, "holidays": ["2026-12-26", "2026-12-25"],
  "import": {"price": 0.2, "schedule": [{"days": ["mon", "fri"], "months": [1, 12], "from": "07:00", "to": "24:00",
                                         "price": 0.4, "peak": true}],
             "tiers": [{"up_to_kwh": 300, "add": 0}, {"add": 0.05}]},
  "export": {"price": 0.08, "schedule": [{"from": "11:00", "to": "13:00", "price": 0.05}]},
  "standing_charge": 0.5, "demand": {"minutes": 30, "price": 9.5, "on_peak_only": true}}])";

TEST(TariffConfig, AFlatPriceIsATariff) {
  std::vector<std::string> notes;
  auto c = Parse(R"([{"name": "flat", "currency": "EUR", "import": {"price": 0.30}}])", &notes);
  ASSERT_TRUE(c.ok()) << c.error();
  for (const auto& n : notes) EXPECT_EQ(n.find("tariffs"), std::string::npos) << "a known section: " << n;
  auto t = tariff_config(c.value());
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ(t->at(0).name, "flat");
  EXPECT_EQ(t->at(0).import.price, 0.30);
  EXPECT_TRUE(t->at(0).import.rules.empty());
  EXPECT_TRUE(t->at(0).meter.empty());
}

TEST(TariffConfig, AWholePlanIsTypedAndRoundTrips) {
  auto c = Parse(kWholePlan);
  ASSERT_TRUE(c.ok()) << c.error();
  auto t = tariff_config(c.value());
  ASSERT_TRUE(t.ok()) << t.error();
  const Tariff& p = t->at(0);
  EXPECT_EQ(p.meter, "Mains");
  EXPECT_EQ(p.decimals, 3);
  EXPECT_EQ(p.billing_day, 15);
  EXPECT_EQ(p.holidays, (std::vector<cctz::civil_day>{cctz::civil_day(2026, 12, 25), cctz::civil_day(2026, 12, 26)}));
  ASSERT_EQ(p.import.rules.size(), 1u);
  EXPECT_EQ(p.import.rules[0].days, 0b10001);  // Monday and Friday
  EXPECT_EQ(p.import.rules[0].months, 0b100000000001);
  EXPECT_EQ(p.import.rules[0].from_minute, 7 * 60);
  EXPECT_EQ(p.import.rules[0].to_minute, 1440);
  EXPECT_TRUE(p.import.rules[0].peak);
  ASSERT_EQ(p.tiers.size(), 2u);
  EXPECT_EQ(p.tiers[0].up_to_kwh, 300);
  EXPECT_FALSE(p.tiers[1].up_to_kwh);
  ASSERT_TRUE(p.export_credit);
  EXPECT_EQ(p.export_credit->rules[0].price, 0.05);
  EXPECT_EQ(p.standing_charge, 0.5);
  ASSERT_TRUE(p.demand);
  EXPECT_EQ(p.demand->minutes, 30);
  EXPECT_TRUE(p.demand->on_peak_only);

  auto again = parse_config(serialize(c.value()), ModelCatalog::builtin());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again.value(), c.value());
  auto t2 = tariff_config(again.value());
  ASSERT_TRUE(t2.ok()) << t2.error();
  EXPECT_EQ(t2.value(), t.value());
}

TEST(TariffConfig, AnIntegratorCanBeTheMeter) {
  EXPECT_EQ(ProblemsOf(R"([{"name": "a", "currency": "EUR", "meter": "grid", "import": {"price": 0.3},
                           "export": {"price": 0.1}}])"),
            "");
}

TEST(TariffConfig, BadFieldsAreNamedByPath) {
  const std::string p = ProblemsOf(R"([{"name": "", "currency": "EUR", "meter": "Voltage", "billing_day": 31,
    "holidays": ["2026-02-30", 5],
    "import": {"price": "x", "schedule": [{"days": ["monday"], "months": [13], "from": "25:00", "price": 1},
                                          {"from": "10:00", "to": "09:00", "price": 1}, {"to": "09:00"}],
               "tiers": [{"add": 0.1}, {"up_to_kwh": 100, "add": 0.2}]},
    "demand": {"minutes": 20}, "colour": "red"}])");
  for (const char* expected :
       {"tariffs[0].name: \"\" must be 1-32 characters", "tariffs[0].billing_day: 31 is more than 28",
        "tariffs[0].holidays[0]: \"2026-02-30\" is not a date YYYY-MM-DD", "tariffs[0].holidays[1]: 5 is not a date",
        "tariffs[0].import.price:", "tariffs[0].import.schedule[0].days[0]: \"monday\" is not a day",
        "tariffs[0].import.schedule[0].months[0]: 13 is not a month 1-12",
        "tariffs[0].import.schedule[0].from: \"25:00\" is not a time hh:mm",
        "tariffs[0].import.schedule[1].to: must be later than \"from\"", "tariffs[0].import.schedule[2].price: missing",
        "tariffs[0].import.tiers[0].up_to_kwh: missing (only the last tier has no bound)",
        "tariffs[0].import.tiers[1].up_to_kwh: the last tier has no bound",
        "tariffs[0].demand.minutes: must be 15, 30 or 60", "tariffs[0].demand.price: missing",
        "tariffs[0].meter: \"Voltage\" is not a CT input or an integrator", "tariffs[0].colour: unknown key"}) {
    EXPECT_NE(p.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << p;
  }
}

TEST(TariffConfig, MeterPartsNeedAMeter) {
  const std::string p = ProblemsOf(R"([{"name": "a", "currency": "EUR", "import": {"price": 0.3,
    "tiers": [{"add": 0}]}, "export": {"price": 0.1}, "standing_charge": 1, "demand": {"price": 5}}])");
  for (const char* key : {"import.tiers", "export", "standing_charge", "demand"}) {
    EXPECT_NE(p.find(std::string("tariffs[0].") + key + ": needs \"meter\""), std::string::npos) << key << "\n" << p;
  }
}

TEST(TariffConfig, LimitsAreStatedInTheErrors) {
  std::string many = "[";
  for (size_t i = 0; i <= kMaxTariffs; ++i) {
    many += std::string(i ? "," : "") + R"({"name": "t)" + std::to_string(i) +
            R"(", "currency": "EUR", "import": {"price": 1}})";
  }
  EXPECT_NE(ProblemsOf(many + "]").find("tariffs: an array of 5 is not an array of at most 4 entries"),
            std::string::npos)
      << ProblemsOf(many + "]");
  std::string rules = "[";
  for (size_t i = 0; i <= kMaxScheduleRules; ++i) rules += std::string(i ? "," : "") + R"({"price": 1})";
  const std::string p =
      ProblemsOf(R"([{"name": "a", "currency": "EUR", "import": {"price": 1, "schedule": )" + rules + "]}}]");
  EXPECT_NE(p.find("tariffs[0].import.schedule: an array of 33 is not an array of at most 32 entries"),
            std::string::npos)
      << p;
  EXPECT_NE(ProblemsOf(R"([{"name": "a", "currency": "EUR", "import": {"price": 1}},
                           {"name": "a", "currency": "USD", "import": {"price": 1}}])")
                .find("tariffs[1].name: \"a\" is the name of an earlier tariff"),
            std::string::npos);
  EXPECT_NE(ProblemsOf(R"({"name": "a"})").find("tariffs: an object is not an array"), std::string::npos);
}

}  // namespace
}  // namespace iw::config
