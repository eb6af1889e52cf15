// Our readable script syntax (config key "expr"), with the usual operator precedence:
//
//   main_1 + main_2 - max(solar, 0)        abs(@3) * 0.5        grid.pos / 1000
//
//   numbers       240, -3.5, 1e3, .5
//   inputs        by name (main_1) or channel (@3)
//   outputs       by name: the other output's script is used in place (no cycles)
//   integrators   grid.net, grid.pos (import, >= 0), grid.neg (export, <= 0); a bare
//                 integrator name is its .net
//   operators     + - * / (* and / bind tighter), unary - and +, parentheses
//   functions     min(a, b, ...), max(a, b, ...), abs(x)
//
// Names are looked up as input, then output, then integrator; the compiler refuses a config
// where one name means two things. Arithmetic is the original's: division by zero gives 0,
// NaN counts as 0. A division by the constant 0 is an error, as are unknown names and
// functions, unbalanced parentheses and stray characters, each with its position.
#pragma once

#include <string_view>

#include "base/status.h"
#include "calc/names.h"
#include "calc/script.h"

namespace iw::calc {

// Errors read "position N: what is wrong" (N counts characters from 1).
Result<Script> parse_readable(std::string_view text, const NameScope& names);

}  // namespace iw::calc
