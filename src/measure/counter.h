// An exact running total for quantities that accumulate for years: energy (Wh), VAh, VARh,
// V*h, A*h, Hz*h, and seconds.
//
// A double alone drifts: after a year of adding 20 ms cycles, each increment is below the
// total's rounding step. A Counter keeps whole micro-units in an int64 and the remainder in a
// double that stays in [0, 1), so every increment is kept to ~1e-16 of a micro-unit and the
// total never loses what was added. Range: +-9.2e12 units (9.2 TWh for energy).
#pragma once

#include <cmath>
#include <cstdint>

namespace iw::measure {

class Counter {
 public:
  static constexpr double kMicrosPerUnit = 1e6;

  void add(double units) {
    residual_ += units * kMicrosPerUnit;
    const double whole = std::floor(residual_);
    micros_ += static_cast<int64_t>(whole);
    residual_ -= whole;
  }

  double value() const { return (static_cast<double>(micros_) + residual_) / kMicrosPerUnit; }
  int64_t micros() const { return micros_; }
  double residual_micros() const { return residual_; }

  // Restores a total (e.g. the last datalog record after a restart).
  void set(int64_t micros, double residual_micros = 0) {
    micros_ = micros;
    residual_ = residual_micros;
  }

 private:
  int64_t micros_ = 0;
  double residual_ = 0;  // in [0, 1) micro-units
};

}  // namespace iw::measure
