#include "calc/interval_operands.h"

namespace iw::calc {

double part_of(const IntegratorDelta& delta, IntegratorPart part) {
  switch (part) {
    case IntegratorPart::kPos:
      return delta.pos;
    case IntegratorPart::kNeg:
      return delta.neg;
    case IntegratorPart::kNet:
      return delta.pos + delta.neg;
  }
  return 0;
}

double IntervalOperands::input(int channel, Quantity quantity) const {
  return input_quantity(inputs_, channel, older_, newer_, hours_, quantity);
}

double IntervalOperands::integrator(int index, IntegratorPart part, Quantity quantity) const {
  if (index < 0 || static_cast<size_t>(index) >= integrators_.size() || !(hours_ > 0)) return 0;
  if (is_reactive(quantity)) return 0;
  const double wh = part_of(integrators_[static_cast<size_t>(index)], part);
  return quantity == Quantity::kWh || quantity == Quantity::kVAh ? wh : wh / hours_;
}

}  // namespace iw::calc
