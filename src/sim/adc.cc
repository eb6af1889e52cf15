#include "sim/adc.h"

#include <cmath>
#include <numbers>

#include "sim/random.h"

namespace iw::sim {

const char* to_string(AdcMode mode) { return mode == AdcMode::kIdeal ? "ideal" : "12bit"; }

double AdcModel::lsb_volts() const { return vref / std::ldexp(1.0, effective_bits()); }

double AdcModel::mid_code() const { return std::ldexp(1.0, effective_bits() - 1); }

Status AdcModel::validate() const {
  if (mode == AdcMode::kReal && bits != 12 && bits != 10) {
    return Status::Error("ADC bits must be 12 or 10, not " + std::to_string(bits));
  }
  if (!(vref > 0)) return Status::Error("ADC vref must be positive");
  if (offset_lsb < 0 || noise_lsb < 0 || inl_lsb < 0) {
    return Status::Error("ADC offset_lsb, noise_lsb and inl_lsb must not be negative");
  }
  return Status::Ok();
}

Adc::Adc(const AdcModel& model, uint64_t seed) : model_(model) {
  mid_ = model_.mid_code();
  max_ = model_.max_code();
  SplitMix seeds(seed ^ 0xadc0adc0adc0adc0ULL);
  for (uint64_t& word : rng_) word = seeds.next();
  const bool real = model_.mode == AdcMode::kReal;
  noise_scale_ = real ? model_.noise_lsb : 0;
  for (double& o : offset_) o = mid_ + (real ? model_.offset_lsb * (2 * seeds.uniform() - 1) : 0);
  // Smooth INL bow per chip: a*sin(pi u) + b*sin(2 pi u) over the code range u in [0, 1],
  // with |a| + |b| <= inl_lsb: one even bow plus one odd (S-shaped) part.
  const size_t codes = static_cast<size_t>(max_) + 1;
  for (int chip = 0; chip < 4; ++chip) {
    const double a = real ? 0.6 * model_.inl_lsb * (2 * seeds.uniform() - 1) : 0;
    const double b = real ? 0.4 * model_.inl_lsb * (2 * seeds.uniform() - 1) : 0;
    std::vector<float> table(codes);
    for (size_t c = 0; c < codes; ++c) {
      const double u = static_cast<double>(c) / static_cast<double>(codes - 1);
      table[c] = static_cast<float>(a * std::sin(std::numbers::pi * u) +
                                    b * std::sin(2 * std::numbers::pi * u));
    }
    inl_.push_back(std::move(table));
  }
}

uint64_t Adc::next_random() { return xoshiro256pp(rng_); }

const std::array<float, 4096>& Adc::gaussian_table() {
  static const std::array<float, 4096> table = [] {
    std::array<double, 4096> q{};
    double sum2 = 0;
    for (size_t i = 0; i < q.size(); ++i) {
      const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(q.size());
      // Invert the normal CDF by bisection: Phi(x) = erfc(-x / sqrt 2) / 2.
      double lo = -10, hi = 10;
      for (int k = 0; k < 80; ++k) {
        const double mid = 0.5 * (lo + hi);
        if (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      q[i] = 0.5 * (lo + hi);
      sum2 += q[i] * q[i];
    }
    // Unit variance exactly (the finite table trims the tails a little).
    const double norm = std::sqrt(static_cast<double>(q.size()) / sum2);
    std::array<float, 4096> t{};
    for (size_t i = 0; i < q.size(); ++i) t[i] = static_cast<float>(q[i] * norm);
    return t;
  }();
  return table;
}

}  // namespace iw::sim
