#include "sim/adc_transfer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "sim/random.h"

namespace iw::sim {

namespace {

double normal(SplitMix& rng) {         // Box-Muller
  const double u = 1 - rng.uniform();  // (0, 1]
  return std::sqrt(-2 * std::log(u)) * std::cos(2 * std::numbers::pi * rng.uniform());
}

// e(c) for c = 0..max (e[0] unused) before any bound is applied.
std::vector<double> transition_errors(int bits, const TransferLimits& lim, SplitMix& rng) {
  const int max = (1 << bits) - 1;
  // Unit-cell mismatch sized so the mid-scale carry's DNL has sd 0.35 dnl_lsb, about the
  // datasheet's typical +-0.5 LSB against its +-1 limit.
  const double unit_sd = 0.35 * lim.dnl_lsb / std::sqrt(static_cast<double>(max));
  std::vector<double> m(static_cast<size_t>(bits));
  double sum_m = 0;
  for (int b = 0; b < bits; ++b) {
    m[static_cast<size_t>(b)] = unit_sd * std::sqrt(std::ldexp(1.0, b)) * normal(rng);
    sum_m += m[static_cast<size_t>(b)];
  }
  const double bow_a = rng.symmetric(0.3 * lim.inl_lsb);
  const double bow_b = rng.symmetric(0.2 * lim.inl_lsb);
  std::vector<double> e(static_cast<size_t>(max) + 1, 0);
  for (int c = 1; c <= max; ++c) {
    double dac = -c * sum_m / max;
    for (int b = 0; b < bits; ++b) {
      if ((c >> b) & 1) dac += m[static_cast<size_t>(b)];
    }
    const double u = static_cast<double>(c) / max;
    const double bow = bow_a * std::sin(std::numbers::pi * u) + bow_b * std::sin(2 * std::numbers::pi * u);
    const double jitter = rng.symmetric(0.1 * lim.dnl_lsb);
    e[static_cast<size_t>(c)] = dac + bow + jitter;
  }
  return e;
}

// The factor (<= 1) that brings the draw within the datasheet limits.
double bound_scale(const std::vector<double>& e, const TransferLimits& lim) {
  double max_dnl = 0, max_inl = 0;
  for (size_t c = 1; c < e.size(); ++c) {
    max_inl = std::max(max_inl, std::fabs(e[c]));
    if (c + 1 < e.size()) max_dnl = std::max(max_dnl, std::fabs(e[c + 1] - e[c]));
  }
  double s = 1;
  if (max_dnl > 0.95 * lim.dnl_lsb) s = std::min(s, 0.95 * lim.dnl_lsb / max_dnl);
  if (max_inl > lim.inl_lsb) s = std::min(s, lim.inl_lsb / max_inl);
  return s;
}

}  // namespace

// e[c] for 1 <= c <= max_ (e[0] unused).
void AdcTransfer::set_levels(const std::vector<double>& e) {
  std::vector<float> level(e.size());
  double worst = 0;
  for (int c = 1; c <= max_; ++c) {
    level[static_cast<size_t>(c)] = static_cast<float>(c - 0.5 + e[static_cast<size_t>(c)]);
    worst = std::max(worst, std::fabs(level[static_cast<size_t>(c)] - (c - 0.5)));  // as stored
  }
  reach_ = std::max(1, static_cast<int>(std::ceil(worst)));
  pad_ = reach_ + 1;
  const float inf = std::numeric_limits<float>::infinity();
  t_.assign(static_cast<size_t>(max_ + 1 + 2 * pad_), inf);
  for (int c = -pad_; c <= 0; ++c) t_[static_cast<size_t>(pad_ + c)] = -inf;
  for (int c = 1; c <= max_; ++c) t_[static_cast<size_t>(pad_ + c)] = level[static_cast<size_t>(c)];
}

AdcTransfer AdcTransfer::ideal(int bits) {
  AdcTransfer t;
  t.max_ = (1 << bits) - 1;
  t.set_levels(std::vector<double>(static_cast<size_t>(t.max_) + 1, 0.0));
  return t;
}

AdcTransfer AdcTransfer::draw(int bits, const TransferLimits& limits, SplitMix& rng) {
  AdcTransfer t;
  t.max_ = (1 << bits) - 1;
  std::vector<double> e = transition_errors(bits, limits, rng);
  const double s = bound_scale(e, limits);
  for (double& v : e) v *= s;
  t.set_levels(e);
  t.gain_ = 1 + rng.symmetric(limits.gain_lsb) / std::ldexp(1.0, bits);
  return t;
}

}  // namespace iw::sim
