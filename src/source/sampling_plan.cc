#include "source/sampling_plan.h"

#include <cmath>

namespace iw::source {

const char* to_string(SamplingMode mode) { return mode == SamplingMode::kContinuous ? "continuous" : "roundrobin"; }

bool parse_sampling_mode(const std::string& text, SamplingMode* mode) {
  if (text == "continuous") {
    *mode = SamplingMode::kContinuous;
  } else if (text == "roundrobin" || text == "round-robin") {
    *mode = SamplingMode::kRoundRobin;
  } else {
    return false;
  }
  return true;
}

std::vector<uint8_t> SamplingPlan::continuous_scan() const {
  std::vector<uint8_t> scan(voltage_inputs.begin(), voltage_inputs.end());
  for (const auto& ct : current_inputs) scan.push_back(ct.input);
  return scan;
}

std::vector<std::vector<uint8_t>> SamplingPlan::round_robin_scans() const {
  std::vector<std::vector<uint8_t>> scans;
  for (uint8_t vt : voltage_inputs) scans.push_back({vt, vt});
  for (const auto& ct : current_inputs) scans.push_back({ct.input, ct.vt});
  return scans;
}

size_t SamplingPlan::round_robin_frames(size_t scan_slots) const {
  const double frame_s = static_cast<double>(scan_slots) / conversions_per_second;
  return static_cast<size_t>(std::ceil(capture_cycles / nominal_hz / frame_s));
}

}  // namespace iw::source
