// What a script's operands read: the value of an input or an integrator as one quantity,
// over an interval of two datalog records (counter_operands.h) or live (the daemon's).
#pragma once

#include <cstdint>

namespace iw::calc {

// What one operand contributes when a script is evaluated for a unit (value.h says which
// quantities a unit evaluates). Power-like quantities are averages over the monitored time of
// the interval; energy-like ones are its totals.
enum class Quantity : uint8_t {
  kWatts,
  kVolts,  // a CT: its reference voltage times vmult
  kAmps,
  kVA,
  kHz,   // a CT: its reference VT's frequency
  kVAR,  // reactive power (signed)
  kWh,   // net energy: import minus export
  kVAh,
  kVARh,
  // Non-active power sqrt(VA^2 - W^2), and its energy: what the original calls VAR, from
  // which it builds a script's VA (value.h).
  kNonactive,
  kNonactiveh,
};

// The parts of an integrator a script can read (the original's `!name`, `!+name`, `!-name`).
enum class IntegratorPart : uint8_t {
  kNet,  // pos + neg
  kPos,  // import: the sum of the positive parts, >= 0
  kNeg,  // export: the sum of the negative parts, <= 0
};

// An integrator sums real power only: reading its reactive or non-active quantities gives 0.
inline bool is_reactive(Quantity q) {
  return q == Quantity::kVAR || q == Quantity::kVARh || q == Quantity::kNonactive || q == Quantity::kNonactiveh;
}

class Operands {
 public:
  virtual ~Operands() = default;
  virtual double input(int channel, Quantity quantity) const = 0;
  virtual double integrator(int index, IntegratorPart part, Quantity quantity) const = 0;
};

}  // namespace iw::calc
