#include "sim/ct.h"

#include <algorithm>
#include <cmath>

namespace iw::sim {

double table_lead(const std::vector<double>& table, double level) {
  double lead = table[0];
  for (size_t i = 1; i + 1 < table.size(); i += 2) {
    if (level < table[i]) break;
    lead = table[i + 1];
  }
  return lead;
}

double lead_deg(double static_deg, const std::vector<double>& p50, const std::vector<double>& p60, double level,
                double hz) {
  const std::vector<double>& table = hz < 55 ? p50 : p60;
  return table.empty() ? static_deg : table_lead(table, level);
}

bool valid_lead_table(const std::vector<double>& table) {
  if (table.empty()) return true;
  if (table.size() % 2 == 0) return false;
  for (double v : table) {
    if (!std::isfinite(v)) return false;
  }
  for (size_t i = 1; i < table.size(); i += 2) {
    if (table[i] < 0 || (i >= 3 && !(table[i] > table[i - 2]))) return false;
  }
  return true;
}

double CtModel::lead_deg(double primary_irms, double hz) const {
  const double catalog = sim::lead_deg(phase_deg, p50, p60, primary_irms, hz);
  if (deviation.phase_offset_deg == 0 && deviation.phase_slope_deg == 0) return catalog;
  const double level = std::max(primary_irms, 0.01 * rating_amps) / rating_amps;
  return catalog + deviation.phase_offset_deg + deviation.phase_slope_deg * std::log10(level);
}

Status CtModel::validate() const {
  if (output == CtOutput::kCurrent && !(turns > 0 && burden_ohms > 0)) {
    return Status::InvalidArgument("CT " + name + ": turns and burden_ohms must be positive");
  }
  if (output == CtOutput::kVoltage && !(amps_per_volt > 0)) {
    return Status::InvalidArgument("CT " + name + ": amps_per_volt must be positive");
  }
  if (!(rating_amps > 0) || !(knee > 0)) {
    return Status::InvalidArgument("CT " + name + ": rating_amps and knee must be positive");
  }
  if (!valid_lead_table(p50) || !valid_lead_table(p60)) {
    return Status::InvalidArgument("CT " + name + ": p50/p60 must be [phi0, t1, phi1, ...] with increasing thresholds");
  }
  return Status::Ok();
}

double VtModel::lead_deg(double line_vrms, double hz) const {
  const double catalog = sim::lead_deg(phase_deg, p50, p60, line_vrms, hz);
  const SensorDeviation& d = deviation;
  const double away = d.reference_level > 0 ? (line_vrms / d.reference_level - 1) / 0.1 : 0;
  return catalog + d.phase_offset_deg + d.phase_slope_deg * away;
}

Status VtModel::validate() const {
  if (!(ratio > 0)) return Status::InvalidArgument("VT " + name + ": ratio must be positive");
  if (!valid_lead_table(p50) || !valid_lead_table(p60)) {
    return Status::InvalidArgument("VT " + name + ": p50/p60 must be [phi0, t1, phi1, ...] with increasing thresholds");
  }
  return Status::Ok();
}

double saturate(double x, double knee) {
  const double a = std::fabs(x);
  if (a <= knee) return x;
  const double s = 0.5 * knee;
  return std::copysign(knee + s * std::tanh((a - knee) / s), x);
}

namespace {

CtModel current_ct(std::string name, double turns, double rating, double phase, std::vector<double> p50 = {},
                   std::vector<double> p60 = {}) {
  CtModel m;
  m.name = std::move(name);
  m.output = CtOutput::kCurrent;
  m.turns = turns;
  m.burden_ohms = 20;
  m.rating_amps = rating;
  m.phase_deg = phase;
  m.p50 = std::move(p50);
  m.p60 = std::move(p60);
  return m;
}

VtModel make_vt(std::string name, double ratio, double phase, std::vector<double> p50 = {},
                std::vector<double> p60 = {}) {
  VtModel m;
  m.name = std::move(name);
  m.ratio = ratio;
  m.phase_deg = phase;
  m.p50 = std::move(p50);
  m.p60 = std::move(p60);
  return m;
}

std::vector<CtModel> ct_catalog() {
  std::vector<CtModel> all;
  all.push_back(current_ct("SCT013-000", 2000, 100, 2.3, {3.1, 4, 3.0, 8, 2.9, 12, 2.8, 18, 2.7, 26, 2.6, 38, 2.5},
                           {2.7, 4, 2.6, 8, 2.5, 12, 2.4, 18, 2.3, 30, 2.2, 44, 2.1}));
  all.push_back(current_ct("ECS24200", 4000, 200, 0.2, {0.8, 10, 0.7, 20, 0.6, 55, 0.55}, {0.5, 20, 0.45, 55, 0.40}));
  all.push_back(current_ct("ECS1050-L72", 2000, 50, 0.3));
  all.push_back(current_ct("AcuCT-H040-50", 1000, 50, 1.0));
  CtModel v;
  v.name = "SCT013-030";
  v.output = CtOutput::kVoltage;
  v.amps_per_volt = 30;
  v.rating_amps = 30;
  v.phase_deg = 3.0;
  all.push_back(v);
  CtModel ideal = current_ct("ideal", 2000, 100, 0);
  ideal.name = "generic";  // no table entry: the config carries cal and phase
  all.push_back(ideal);
  return all;
}

std::vector<std::pair<std::string, VtModel>> vt_catalog() {
  return {
      {"Ideal 77DE-06-09(EU)", make_vt("Ideal 77DE-06-09(EU)", 19.06, 0, {1.46}, {0.82})},
      {"Jameco/112336", make_vt("Jameco/112336", 11.43, 0.6, {}, {0.6})},
      {"generic240V", make_vt("generic240V", 20.0, 2.0)},
      {"generic120V", make_vt("generic120V", 11.5, 2.0)},
      {"ideal230", make_vt("generic", 19.06, 0)},
      {"ideal120", make_vt("generic", 11.43, 0)},
  };
}

}  // namespace

Result<CtModel> ct_model(const std::string& name) {
  for (const CtModel& m : ct_catalog()) {
    if (m.name == name || (name == "ideal" && m.name == "generic")) return m;
  }
  std::string known;
  for (const std::string& n : ct_model_names()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown CT model \"" + name + "\"; known: " + known);
}

Result<VtModel> vt_model(const std::string& name) {
  for (const auto& [key, m] : vt_catalog()) {
    if (key == name) return m;
  }
  std::string known;
  for (const std::string& n : vt_model_names()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown VT model \"" + name + "\"; known: " + known);
}

std::vector<std::string> ct_model_names() {
  std::vector<std::string> names;
  for (const CtModel& m : ct_catalog()) names.push_back(m.name == "generic" ? "ideal" : m.name);
  return names;
}

std::vector<std::string> vt_model_names() {
  std::vector<std::string> names;
  for (const auto& entry : vt_catalog()) names.push_back(entry.first);
  return names;
}

}  // namespace iw::sim
