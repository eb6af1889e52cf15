// Units of output scripts and query columns, their names, their decimals, and how values are
// printed.
//
// Names are spelled as the original firmware spells them ("Watts", "kWh", "VARh"); clients
// (Home Assistant, Graph+) compare them literally, so unit_name() must not change.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iw::calc {

enum class Unit { kWatts, kVolts, kAmps, kVA, kVAh, kHz, kWh, kKWh, kPF, kVAR, kVARh };

// "Watts", "Volts", "Amps", "VA", "VAh", "Hz", "Wh", "kWh", "PF", "VAR", "VARh".
std::string_view unit_name(Unit unit);
// The unit named `name`, compared case-insensitively ("watts", "KWH"); nullopt when unknown.
std::optional<Unit> parse_unit_name(std::string_view name);
// The unit a query column method selects: "watts" "volts" "amps" "va" "vah" "hz" "pf" "var"
// "varh" "wh" "kwh", compared case-insensitively. Not the decimals method (.dN).
std::optional<Unit> unit_of_method(std::string_view method);

// Decimals of a query column that names its unit but no .dN (firmware reference 5.2). The
// table there has no .vah and no .kwh: VAh gets 0 like the other per-interval energies, kWh
// gets 3 so that it shows whole Wh.
int query_default_decimals(Unit unit);

// Decimals an output script's values carry in uploads, /feed output and query columns of
// outputs whose unit is neither Watts nor Volts (firmware reference 3.3). The original's table
// is misaligned with its unit list (the VAh slot is missing), which gives Wh 7 and VARh 0
// decimals; we use the values that table was meant to hold: Hz 2, Wh 4, kWh 7, PF 3, VAR 2,
// VARh 4, so kWh keeps Wh resolution and PF three digits.
int script_precision(Unit unit);

// `v` printed as the original's printValue: fixed notation with `decimals` places (0-9, the
// decimal point always written), then trailing zeros and then a trailing '.' removed:
// 333.0 -> "333", 0.50 -> "0.5", -0.0 -> "-0", 1200 with 0 decimals -> "1200".
// REQUIRES: v is finite (callers print missing values themselves).
std::string format_value(double v, int decimals);

}  // namespace iw::calc
