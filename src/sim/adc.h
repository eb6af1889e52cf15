// The analog-to-digital converter model.
//
// Every input is biased at mid-scale (vref / 2), so a code decodes as
//   volts at the ADC input = (code - mid_code()) * lsb_volts(),  mid_code() = 2^(bits-1).
// Modes:
//   kIdeal  16-bit codes (SampleBlock::adc_bits = 16), round to nearest, no offset, noise or
//           other error: the only error is quantisation at 1/16 of a 12-bit count.
//   kReal   `bits`-bit codes (12 for MCP3208, 10 for MCP3008) from a model of the board:
//           per input (input path): DC offset, gain of the input network;
//           per chip (the chip's one SAR converter, sim/adc_transfer.h): code transition
//             levels (DNL, INL) and gain error;
//           per board: the full-scale error left after the daemon's reference correction;
//           per conversion: Gaussian noise; then the code whose bin holds the input,
//           clipped to [0, 2^bits - 1].
// Defaults are the MCP3208 datasheet limits (Microchip DS21298, "Electrical
// Characteristics", B grade at 5 V; the C grade has inl_lsb 2, gain_lsb 5) and the board
// values of src/sim/README.md ("ADC model"), which gives the source of each.
// All random parts come from the seed, so a run is reproducible.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "base/status.h"
#include "sim/adc_transfer.h"

namespace iw::sim {

enum class AdcMode { kIdeal, kReal };
const char* to_string(AdcMode mode);  // "ideal" / "12bit" (the --adc names)

struct AdcModel {
  AdcMode mode = AdcMode::kIdeal;
  int bits = 12;      // kReal: 12 or 10
  double vref = 3.3;  // nominal full-scale volts (what the daemon is told)
  // kReal, per input: offset bound (datasheet offset error +-3 LSB) and the gain tolerance of
  // the input network (CT burden or VT divider resistors: 1 % parts, an assumption, the
  // board's bill of materials is not in our reference).
  double offset_lsb = 3;
  double input_gain_pct = 1;
  // kReal, per chip (datasheet): differential and integral non-linearity, gain error at full
  // scale. See adc_transfer.h.
  double dnl_lsb = 1;
  double inl_lsb = 1;
  double gain_lsb = 3;
  // kReal, per conversion: rms noise (about what an MCP3208 on a mains board shows).
  double noise_lsb = 0.7;
  // kReal, board: true when the board measures its full scale on a precision reference
  // (IoTaWatt v5: 2.5 V shunt on chip 1 pin 0, read by the daemon at start-up,
  // source/mcp3x08_source.h read_reference); the full-scale error left is the shunt's
  // tolerance plus chip 1's error in reading it. False: the daemon assumes the nominal vref
  // and the error is the 3.3 V supply's.
  bool reference_corrected = true;
  double reference_volts = 2.5;
  double reference_pct = 0.5;  // shunt initial tolerance (LM4040-class C grade: 0.5 %)
  double supply_pct = 2;       // 3.3 V regulator initial tolerance (LDO class: 1-2 %)

  int effective_bits() const { return mode == AdcMode::kIdeal ? 16 : bits; }
  double lsb_volts() const;
  double mid_code() const;
  int max_code() const { return (1 << effective_bits()) - 1; }
  Status validate() const;
};

// What a converter does to one input, resolved once (hoisted out of the per-conversion loop).
struct AdcInput {
  double level = 0;                       // bias level in LSB from code 0 (mid-scale + offset)
  double gain = 1;                        // signal gain: input network x full-scale error
  const AdcTransfer* transfer = nullptr;  // the chip's converter
};

// The converter at run time: per input draws, per chip transfers and the noise stream.
class Adc {
 public:
  Adc(const AdcModel& model, uint64_t seed);

  const AdcModel& model() const { return model_; }
  // Code for an input whose ideal level is `lsb` counts (of the effective resolution) from
  // mid-scale.
  uint16_t convert(int input, double lsb) {
    if (model_.mode == AdcMode::kIdeal) return quantise(mid_ + lsb);
    return convert_real(this->input(input), lsb);
  }

  double mid() const { return mid_; }
  // kReal: the resolved input (kIdeal: mid-scale, unit gain, no transfer).
  const AdcInput& input(int input) const { return inputs_[static_cast<size_t>(input) & 0xff]; }
  uint16_t quantise(double x) const {
    if (!(x > 0)) return 0;
    if (x >= max_) return static_cast<uint16_t>(max_);
    return static_cast<uint16_t>(static_cast<int>(x + 0.5));
  }
  uint16_t convert_real(const AdcInput& in, double lsb) {
    return in.transfer->code(in.level + in.gain * lsb + noise());
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

  // The drawn truth (kReal), for tests and reports.
  double offset_lsb(int input) const { return input_offset_[static_cast<size_t>(input) & 0xff]; }
  double input_gain(int input) const { return input_gain_[static_cast<size_t>(input) & 0xff]; }
  const AdcTransfer& chip(int input) const { return transfers_[chip_of(input)]; }
  // Full-scale error the engine sees (true codes per volt / nominal - 1), common to all inputs.
  double full_scale_error() const { return full_scale_gain_ - 1; }
  // What a one-point calibration of this input removes: its amplitude gain relative to the
  // nominal codes per volt (input network x full scale x chip gain).
  double effective_gain(int input) const;
  // 4096 equally likely standard normal values (quantiles of the normal distribution).
  static const std::array<float, 4096>& gaussian_table();

 private:
  static size_t chip_of(int input) { return (static_cast<size_t>(input) & 0xff) / 8 % 4; }
  uint64_t next_random();
  double reference_full_scale_gain(uint64_t seed);

  AdcModel model_;
  double mid_ = 0;
  double max_ = 0;
  double noise_scale_ = 0;
  double full_scale_gain_ = 1;
  std::array<AdcTransfer, 4> transfers_;    // per chip (inputs 0-7, 8-15, ...)
  std::array<double, 256> input_offset_{};  // per input, LSB
  std::array<double, 256> input_gain_{};    // per input, relative (0.01 = +1 %)
  std::array<AdcInput, 256> inputs_{};
  std::array<uint64_t, 4> rng_{};
  uint64_t noise_word_ = 0;
  int noise_bits_left_ = 0;
};

}  // namespace iw::sim
