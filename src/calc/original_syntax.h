// The original firmware's stored script syntax (firmware reference 3.2, 3.3): a compact token
// string with no spaces, evaluated strictly left to right with no operator precedence
// ("@1+@2*#3" is (@1+@2)*3).
//
//   @n      input channel n          #c    constant (#-3.5, #240, #0.)
//   !name   integrator, net          !+name / !-name   its positive / negative sum
//   + - * / arithmetic               < >   min, max (binary)
//   |       absolute value of the operand or group before it (postfix)
//   ( )     grouping
//
// The compiled tree reproduces the original's evaluator exactly: it folds
// `result = result <pending op> operand` at each operator, starting from result 0 and
// pending '+', so a leading '-' negates and "(@1+@2)>#0" clips at zero.
//
// Stricter than the original, which silently evaluated nonsense to something: an unknown
// character, two operands or two operators in a row, a script that starts with '*', '/', '<'
// or '>' or ends with an operator, unbalanced parentheses, '|' with nothing before it, a
// division by the constant 0, an inactive input, an unknown integrator, and the simulated
// solar input '~n' (use the panel simulator instead) are errors that give the position.
#pragma once

#include <string_view>

#include "base/status.h"
#include "calc/names.h"
#include "calc/script.h"

namespace iw::calc {

// Errors read "position N: what is wrong" (N counts characters from 1).
Result<Script> parse_original(std::string_view text, const NameScope& names);

}  // namespace iw::calc
