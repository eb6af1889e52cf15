// The analog-to-digital converter model.
//
// Every input is biased at mid-scale (vref / 2), so a code decodes as
//   volts at the ADC input = (code - mid_code()) * lsb_volts(),  mid_code() = 2^(bits-1).
// Modes:
//   kIdeal  16-bit codes (SampleBlock::adc_bits = 16), round to nearest, no offset, noise or
//           INL: the only error is quantisation at 1/16 of a 12-bit count.
//   kReal   `bits`-bit codes (12 for MCP3208, 10 for MCP3008): a per-input DC offset drawn
//           uniformly from +-offset_lsb, Gaussian noise of noise_lsb rms per conversion, a
//           smooth integral non-linearity bow of at most +-inl_lsb per chip (inputs 0-7 on
//           chip 0, 8-15 on chip 1, ...), rounding to nearest and clipping to [0, 2^bits - 1].
// All random parts come from the seed, so a run is reproducible.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/status.h"

namespace iw::sim {

enum class AdcMode { kIdeal, kReal };
const char* to_string(AdcMode mode);  // "ideal" / "12bit" (the --adc names)

struct AdcModel {
  AdcMode mode = AdcMode::kIdeal;
  int bits = 12;            // kReal: 12 or 10
  double vref = 3.3;        // full-scale volts
  double offset_lsb = 3;    // kReal: per-input offset bound
  double noise_lsb = 0.7;   // kReal: rms noise
  double inl_lsb = 1;       // kReal: INL bow bound

  int effective_bits() const { return mode == AdcMode::kIdeal ? 16 : bits; }
  double lsb_volts() const;
  double mid_code() const;
  int max_code() const { return (1 << effective_bits()) - 1; }
  Status validate() const;
};

// The converter at run time: offsets, INL tables and the noise stream.
class Adc {
 public:
  Adc(const AdcModel& model, uint64_t seed);

  const AdcModel& model() const { return model_; }
  // Code for an input whose ideal level is `lsb` counts (of the effective resolution) from
  // mid-scale. The real path adds offset, INL and noise.
  uint16_t convert(int input, double lsb) {
    if (model_.mode == AdcMode::kIdeal) return quantise(mid_ + lsb);
    return convert_real(offset_[static_cast<size_t>(input) & 0xff], inl_for(input), lsb);
  }

  // Hot-path pieces, for callers that hoist per-input lookups out of their loops.
  double mid() const { return mid_; }
  double offset(int input) const { return offset_[static_cast<size_t>(input) & 0xff]; }
  const float* inl_for(int input) const {
    return inl_[static_cast<size_t>(input / 8) % inl_.size()].data();
  }
  uint16_t quantise(double x) const {
    if (!(x > 0)) return 0;
    if (x >= max_) return static_cast<uint16_t>(max_);
    return static_cast<uint16_t>(static_cast<int>(x + 0.5));
  }
  // `offset` includes mid-scale (see offset()).
  uint16_t convert_real(double offset, const float* inl, double lsb) {
    double x = offset + lsb;
    const int index = !(x > 0) ? 0 : x >= max_ ? static_cast<int>(max_) : static_cast<int>(x);
    x += static_cast<double>(inl[index]) + noise();
    return quantise(x);
  }
  double noise() {
    if (noise_bits_left_ == 0) {
      noise_word_ = next_random();
      noise_bits_left_ = 5;
    }
    const uint64_t index = noise_word_ & 0xfff;
    noise_word_ >>= 12;
    --noise_bits_left_;
    return noise_scale_ * static_cast<double>(gaussian_table()[index]);
  }

 private:
  uint64_t next_random();
  // 4096 equally likely standard normal values (quantiles of the normal distribution).
  static const std::array<float, 4096>& gaussian_table();

  AdcModel model_;
  double mid_ = 0;
  double max_ = 0;
  double noise_scale_ = 0;
  std::array<double, 256> offset_{};            // per input, mid-scale included
  std::vector<std::vector<float>> inl_;         // per chip, indexed by code
  std::array<uint64_t, 4> rng_{};
  uint64_t noise_word_ = 0;
  int noise_bits_left_ = 0;
};

}  // namespace iw::sim
