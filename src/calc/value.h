// A script's value in a unit (firmware reference 3.3, "script level" units).
//
// Most units evaluate the script once with every operand read as that unit's quantity
// (Watts -> kWatts, Wh -> kWh, ...). Four are built from whole-script values, as the original
// does, so that they combine several inputs sensibly:
//   kWh = script(Wh) / 1000
//   VA  = sqrt(script(non-active)^2 + script(Watts)^2)   (non-active = sqrt(VA^2 - W^2) per input)
//   VAh = sqrt(script(non-active h)^2 + script(Wh)^2)
//   PF  = script(Watts) / VA, 0 when VA is 0
// A one-input script therefore gives exactly that input's value in every unit. VAR and VARh
// read each input's measured reactive power (signed), where the original used the unsigned
// non-active power.
#pragma once

#include "calc/operands.h"
#include "calc/script.h"
#include "calc/units.h"

namespace iw::calc {

// Always finite: a non-finite result (an operand that overflowed) is 0, as the original
// turns NaN into 0.
double value_of(const Script& script, Unit unit, const Operands& operands);

// The quantity a one-pass unit reads; nullopt for the script-level units kWh, VA, VAh, PF.
std::optional<Quantity> quantity_of(Unit unit);

}  // namespace iw::calc
