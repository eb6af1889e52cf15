#include "measure/phase_curve.h"

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

}  // namespace

double PhaseCurve::lead_deg(double level, double hz) const {
  const std::vector<double>& table = hz < 55 ? p50 : p60;
  return table.empty() ? fixed_deg : lookup(table, level);
}

}  // namespace iw::measure
