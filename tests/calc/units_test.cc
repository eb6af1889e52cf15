#include "calc/units.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

namespace iw::calc {
namespace {

const Unit kAll[] = {Unit::kWatts, Unit::kVolts, Unit::kAmps, Unit::kVA,  Unit::kVAh, Unit::kHz,
                     Unit::kWh,    Unit::kKWh,   Unit::kPF,   Unit::kVAR, Unit::kVARh};

TEST(Units, NamesAsTheOriginalSpellsThem) {
  const char* want[] = {"Watts", "Volts", "Amps", "VA", "VAh", "Hz", "Wh", "kWh", "PF", "VAR", "VARh"};
  for (size_t k = 0; k < std::size(kAll); ++k) EXPECT_EQ(unit_name(kAll[k]), want[k]);
}

TEST(Units, NamesParseCaseInsensitively) {
  for (Unit u : kAll) EXPECT_EQ(parse_unit_name(unit_name(u)), u) << unit_name(u);
  EXPECT_EQ(parse_unit_name("watts"), Unit::kWatts);
  EXPECT_EQ(parse_unit_name("KWH"), Unit::kKWh);
  EXPECT_EQ(parse_unit_name("varh"), Unit::kVARh);
  EXPECT_EQ(parse_unit_name("vA"), Unit::kVA);
  EXPECT_FALSE(parse_unit_name("Watt"));
  EXPECT_FALSE(parse_unit_name(""));
  EXPECT_FALSE(parse_unit_name("WattHours"));
}

TEST(Units, QueryMethods) {
  EXPECT_EQ(unit_of_method("watts"), Unit::kWatts);
  EXPECT_EQ(unit_of_method("volts"), Unit::kVolts);
  EXPECT_EQ(unit_of_method("amps"), Unit::kAmps);
  EXPECT_EQ(unit_of_method("va"), Unit::kVA);
  EXPECT_EQ(unit_of_method("vah"), Unit::kVAh);
  EXPECT_EQ(unit_of_method("hz"), Unit::kHz);
  EXPECT_EQ(unit_of_method("pf"), Unit::kPF);
  EXPECT_EQ(unit_of_method("var"), Unit::kVAR);
  EXPECT_EQ(unit_of_method("varh"), Unit::kVARh);
  EXPECT_EQ(unit_of_method("wh"), Unit::kWh);
  EXPECT_EQ(unit_of_method("kwh"), Unit::kKWh);
  EXPECT_EQ(unit_of_method("Wh"), Unit::kWh);
  EXPECT_FALSE(unit_of_method("d3"));
  EXPECT_FALSE(unit_of_method("w"));
  EXPECT_FALSE(unit_of_method("iso"));
}

TEST(Units, QueryDefaultDecimalsFollowTheTable) {
  EXPECT_EQ(query_default_decimals(Unit::kVolts), 1);
  EXPECT_EQ(query_default_decimals(Unit::kWatts), 1);
  EXPECT_EQ(query_default_decimals(Unit::kWh), 0);
  EXPECT_EQ(query_default_decimals(Unit::kAmps), 1);
  EXPECT_EQ(query_default_decimals(Unit::kVA), 1);
  EXPECT_EQ(query_default_decimals(Unit::kHz), 2);
  EXPECT_EQ(query_default_decimals(Unit::kPF), 1);
  EXPECT_EQ(query_default_decimals(Unit::kVAR), 1);
  EXPECT_EQ(query_default_decimals(Unit::kVARh), 0);
  EXPECT_EQ(query_default_decimals(Unit::kVAh), 0);
  EXPECT_EQ(query_default_decimals(Unit::kKWh), 3);
}

TEST(Units, ScriptPrecisionIsTheIntendedTable) {
  EXPECT_EQ(script_precision(Unit::kWatts), 2);
  EXPECT_EQ(script_precision(Unit::kVolts), 2);
  EXPECT_EQ(script_precision(Unit::kAmps), 3);
  EXPECT_EQ(script_precision(Unit::kVA), 2);
  EXPECT_EQ(script_precision(Unit::kVAh), 2);
  EXPECT_EQ(script_precision(Unit::kHz), 2);
  EXPECT_EQ(script_precision(Unit::kWh), 4);
  EXPECT_EQ(script_precision(Unit::kKWh), 7);
  EXPECT_EQ(script_precision(Unit::kPF), 3);
  EXPECT_EQ(script_precision(Unit::kVAR), 2);
  EXPECT_EQ(script_precision(Unit::kVARh), 4);
}

TEST(Units, FormatValueTable) {
  struct Case {
    double v;
    int decimals;
    const char* want;
  };
  const Case cases[] = {
      {333.0, 1, "333"},
      {0.50, 2, "0.5"},
      {-0.0, 1, "-0"},
      {125.5, 1, "125.5"},
      {1200, 0, "1200"},
      {1200.4, 0, "1200"},
      {1200.5, 0, "1200"},
      {1201.5, 0, "1202"},
      {0, 0, "0"},
      {0, 3, "0"},
      {100, 2, "100"},
      {10.25, 1, "10.2"},
      {-12.345, 2, "-12.35"},
      {-0.04, 1, "-0"},
      {0.001, 3, "0.001"},
      {0.0004, 3, "0"},
      {1e6, 1, "1000000"},
      {239.99996, 4, "240"},
      {49.987, 2, "49.99"},
      {1.5, 9, "1.5"},
      {0.123456789, 9, "0.123456789"},
      {-500, 1, "-500"},
      {7, 0, "7"},
      {2.5, -3, "2"},
      {2.55, 15, "2.55"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(format_value(c.v, c.decimals), c.want) << c.v << " with " << c.decimals;
  }
}

TEST(Units, FormatValueNeverLosesIntegerZeros) {
  for (double v : {10.0, 100.0, 1000.0, 10000.0, -20.0, 500.0}) {
    for (int d = 0; d <= 9; ++d) {
      const std::string s = format_value(v, d);
      EXPECT_EQ(std::stod(s), v) << s;
      EXPECT_EQ(s.find('.'), std::string::npos) << s;
    }
  }
}

// The original's printValue: printf("%#.*f"), then trailing zeros, then a trailing '.'.
std::string PrintValue(double v, int decimals) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%#.*f", decimals, v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

TEST(Units, FormatValueMatchesPrintfOnManyValues) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mantissa(-10, 10);
  std::uniform_int_distribution<int> exponent(-8, 12);
  for (int k = 0; k < 20000; ++k) {
    double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    if (k % 4 == 0) v = std::round(v * 1000) / 1000;  // exact-looking values and ties
    if (k % 8 == 0) v = std::round(v * 2) / 2;        // binary ties: x.5
    const int d = k % 10;
    ASSERT_EQ(format_value(v, d), PrintValue(v, d)) << v << " with " << d;
  }
}

}  // namespace
}  // namespace iw::calc
