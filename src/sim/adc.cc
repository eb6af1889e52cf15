#include "sim/adc.h"

#include <cmath>
#include <numbers>
#include <string>

#include "sim/random.h"

namespace iw::sim {

const char* to_string(AdcMode mode) { return mode == AdcMode::kIdeal ? "ideal" : "12bit"; }

double AdcModel::lsb_volts() const { return vref / std::ldexp(1.0, effective_bits()); }

double AdcModel::mid_code() const { return std::ldexp(1.0, effective_bits() - 1); }

Status AdcModel::validate() const {
  if (mode == AdcMode::kReal && bits != 12 && bits != 10) {
    return Status::InvalidArgument("ADC bits must be 12 or 10, not " + std::to_string(bits));
  }
  if (!(vref > 0)) return Status::InvalidArgument("ADC vref must be positive");
  if (!(offset_lsb >= 0) || !(noise_lsb >= 0) || !(inl_lsb >= 0) || !(gain_lsb >= 0) || !(input_gain_pct >= 0) ||
      !(reference_pct >= 0) || !(supply_pct >= 0)) {
    return Status::InvalidArgument(
        "ADC error bounds (offset, noise, inl, gain, input_gain, reference, supply) must not be negative");
  }
  // Above 1 LSB a code could have no width (a missing code), which the MCP3208 rules out.
  if (!(dnl_lsb >= 0 && dnl_lsb <= 1)) return Status::InvalidArgument("ADC dnl_lsb must be in [0, 1]");
  if (input_gain_pct >= 50 || reference_pct >= 50 || supply_pct >= 50) {
    return Status::InvalidArgument("ADC input_gain_pct, reference_pct and supply_pct must be below 50");
  }
  if (reference_corrected && !(reference_volts > 0 && reference_volts < vref)) {
    return Status::InvalidArgument("ADC reference_volts must be in (0, vref)");
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
  if (!real) {
    for (AdcInput& in : inputs_) in.level = mid_;
    return;
  }
  // Independent streams, so adding a draw to one part never moves another's.
  SplitMix chip_seeds(seeds.next());
  SplitMix input_rng(seeds.next());
  const uint64_t reference_seed = seeds.next();
  const TransferLimits limits{model_.dnl_lsb, model_.inl_lsb, model_.gain_lsb};
  for (AdcTransfer& t : transfers_) {
    SplitMix rng(chip_seeds.next());
    t = AdcTransfer::draw(model_.bits, limits, rng);
  }
  for (size_t i = 0; i < inputs_.size(); ++i) {
    input_offset_[i] = input_rng.symmetric(model_.offset_lsb);
    input_gain_[i] = input_rng.symmetric(model_.input_gain_pct / 100);
  }
  full_scale_gain_ = reference_full_scale_gain(reference_seed);
  for (size_t i = 0; i < inputs_.size(); ++i) {
    inputs_[i] = {mid_ + input_offset_[i], (1 + input_gain_[i]) * full_scale_gain_,
                  &transfers_[chip_of(static_cast<int>(i))]};
  }
}

// The daemon's full scale F (source/mcp3x08_source.cc read_reference: reference_volts x 2^bits
// / mean code of 64 conversions of chip 1 pin 0) against the true supply Vdd: codes per volt
// are F / Vdd times what the engine assumes. Without a reference F is the nominal vref.
double Adc::reference_full_scale_gain(uint64_t seed) {
  SplitMix rng(seed);
  const double vdd = model_.vref * (1 + rng.symmetric(model_.supply_pct / 100));
  if (!model_.reference_corrected) return model_.vref / vdd;
  const double ref_true = model_.reference_volts * (1 + rng.symmetric(model_.reference_pct / 100));
  const double pin_offset = rng.symmetric(model_.offset_lsb);  // chip 1 pin 0's own offset
  const double full = std::ldexp(1.0, model_.bits);
  const double level = ref_true / vdd * full + pin_offset;
  const AdcTransfer& chip1 = transfers_[1];
  constexpr int kConversions = 64;  // what the daemon's start-up read averages
  double sum = 0;
  for (int k = 0; k < kConversions; ++k) {
    const double n = model_.noise_lsb * static_cast<double>(gaussian_table()[rng.next() & 0xfff]);
    sum += chip1.code(level + n);
  }
  const double full_scale = model_.reference_volts * full / (sum / kConversions);
  return full_scale / vdd;
}

double Adc::effective_gain(int input) const {
  if (model_.mode == AdcMode::kIdeal) return 1;
  return (1 + input_gain(input)) * full_scale_gain_ * chip(input).gain();
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
