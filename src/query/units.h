// The query API speaks the calculator's units (calc/units.h): a column's unit method, its
// default decimals and the printing of values are the same for inputs and outputs.
#pragma once

#include "calc/units.h"

namespace iw::query {

using calc::format_value;
using calc::parse_unit_name;
using calc::query_default_decimals;
using calc::script_precision;
using calc::Unit;
using calc::unit_name;
using calc::unit_of_method;

}  // namespace iw::query
