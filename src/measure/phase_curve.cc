#include "measure/phase_curve.h"

#include <cmath>
#include <cstdio>

namespace iw::measure {
namespace {

double lookup(const std::vector<double>& table, double level) {
  double lead = table[0];
  for (std::size_t i = 1; i + 1 < table.size(); i += 2) {
    if (level < table[i]) break;
    lead = table[i + 1];
  }
  return lead;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

Status PhaseCurve::check_table(const std::vector<double>& a) {
  auto fail = [](std::string text) { return Status::InvalidArgument(std::move(text)); };
  if (a.empty()) return Status::Ok();
  if (a.size() % 2 == 0) {
    return fail("has " + std::to_string(a.size()) + " elements; expected an odd number: [lead, threshold, lead, ...]");
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!std::isfinite(a[i])) return fail("element " + std::to_string(i) + " is not a finite number");
  }
  for (std::size_t i = 1; i < a.size(); i += 2) {
    if (a[i] < 0) {
      return fail("threshold " + number(a[i]) + " (element " + std::to_string(i) + ") is negative");
    }
    if (i >= 3 && !(a[i] > a[i - 2])) {
      return fail("thresholds must increase: " + number(a[i]) + " (element " + std::to_string(i) + ") follows " +
                  number(a[i - 2]));
    }
  }
  return Status::Ok();
}

double PhaseCurve::lead_deg(double level, double hz) const {
  const std::vector<double>& table = hz < 55 ? p50 : p60;
  return table.empty() ? fixed_deg : lookup(table, level);
}

}  // namespace iw::measure
