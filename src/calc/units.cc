#include "calc/units.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <system_error>

#include "base/strings.h"

namespace iw::calc {
namespace {

struct UnitInfo {
  Unit unit;
  std::string_view name;    // as the original spells it
  std::string_view method;  // query column method, lower case
  int query_decimals;
  int script_decimals;
};

constexpr std::array<UnitInfo, 11> kUnits = {{
    {Unit::kWatts, "Watts", "watts", 1, 2},
    {Unit::kVolts, "Volts", "volts", 1, 2},
    {Unit::kAmps, "Amps", "amps", 1, 3},
    {Unit::kVA, "VA", "va", 1, 2},
    {Unit::kVAh, "VAh", "vah", 0, 2},
    {Unit::kHz, "Hz", "hz", 2, 2},
    {Unit::kWh, "Wh", "wh", 0, 4},
    {Unit::kKWh, "kWh", "kwh", 3, 7},
    {Unit::kPF, "PF", "pf", 1, 3},
    {Unit::kVAR, "VAR", "var", 1, 2},
    {Unit::kVARh, "VARh", "varh", 0, 4},
}};

const UnitInfo& info(Unit unit) {
  for (const auto& u : kUnits) {
    if (u.unit == unit) return u;
  }
  return kUnits[0];  // unreachable: every enumerator is in the table
}

}  // namespace

std::string_view unit_name(Unit unit) { return info(unit).name; }

std::optional<Unit> parse_unit_name(std::string_view name) {
  for (const auto& u : kUnits) {
    if (equals_ignore_case(u.name, name)) return u.unit;
  }
  return std::nullopt;
}

std::optional<Unit> unit_of_method(std::string_view method) {
  for (const auto& u : kUnits) {
    if (equals_ignore_case(u.method, method)) return u.unit;
  }
  return std::nullopt;
}

int query_default_decimals(Unit unit) { return info(unit).query_decimals; }

int script_precision(Unit unit) { return info(unit).script_decimals; }

std::string format_value(double v, int decimals) {
  decimals = std::clamp(decimals, 0, 9);
  // to_chars rounds exactly as printf("%.*f") does (correctly, ties to even on exact binary
  // ties) and is several times faster; a query renders a value per column per row.
  char buf[400];  // DBL_MAX has 309 integer digits
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return {};
  std::string_view s(buf, static_cast<size_t>(end - buf));
  // With 0 decimals there is no point, and the integer's zeros must stay. (printf's '#' flag
  // would write the point; it is stripped again.)
  if (decimals == 0 || s.find('.') == std::string_view::npos) return std::string(s);
  while (s.back() == '0') s.remove_suffix(1);
  if (s.back() == '.') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace iw::calc
