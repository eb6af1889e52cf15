#include "calc/value.h"

#include <cmath>

namespace iw::calc {

std::optional<Quantity> quantity_of(Unit unit) {
  switch (unit) {
    case Unit::kWatts:
      return Quantity::kWatts;
    case Unit::kVolts:
      return Quantity::kVolts;
    case Unit::kAmps:
      return Quantity::kAmps;
    case Unit::kHz:
      return Quantity::kHz;
    case Unit::kWh:
      return Quantity::kWh;
    case Unit::kVAR:
      return Quantity::kVAR;
    case Unit::kVARh:
      return Quantity::kVARh;
    case Unit::kKWh:
    case Unit::kVA:
    case Unit::kVAh:
    case Unit::kPF:
      return std::nullopt;
  }
  return std::nullopt;
}

namespace {

double script_level(const Script& s, Unit unit, const Operands& ops) {
  switch (unit) {
    case Unit::kKWh:
      return s.evaluate(ops, Quantity::kWh) / 1000;
    case Unit::kVA:
      return std::hypot(s.evaluate(ops, Quantity::kNonactive), s.evaluate(ops, Quantity::kWatts));
    case Unit::kVAh:
      return std::hypot(s.evaluate(ops, Quantity::kNonactiveh), s.evaluate(ops, Quantity::kWh));
    case Unit::kPF: {
      const double watts = s.evaluate(ops, Quantity::kWatts);
      const double va = std::hypot(s.evaluate(ops, Quantity::kNonactive), watts);
      return va == 0 ? 0 : watts / va;
    }
    default:
      return 0;
  }
}

}  // namespace

double value_of(const Script& script, Unit unit, const Operands& operands) {
  const auto q = quantity_of(unit);
  const double v = q ? script.evaluate(operands, *q) : script_level(script, unit, operands);
  return std::isfinite(v) ? v : 0;
}

}  // namespace iw::calc
