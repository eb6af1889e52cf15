// Synthetic ADC blocks for engine tests: exact sinusoids, no simulator involved.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "measure/sample_block.h"

namespace iw::measure::testing {

struct Wave {
  double amplitude_codes = 0;  // peak, in ADC codes
  double phase_deg = 0;        // relative to the voltage fundamental
  double offset_codes = 0;     // DC error on top of mid-scale
};

struct Synth {
  double hz = 50;
  int bits = 16;
  double conversions_per_second = 200000;
  std::vector<uint8_t> scan{0, 1};
  std::vector<Wave> waves{{1000, 0, 0}, {500, 0, 0}};  // indexed by channel
  bool quantise = true;

  // Fills `block` with `frames` frames starting at conversion number `first_conversion`.
  measure::SampleBlock block(int64_t first_conversion, size_t frames, int64_t t0_ns = 0) const {
    measure::SampleBlock b;
    b.conversion_ns = 1e9 / conversions_per_second;
    b.start_ns = t0_ns + static_cast<int64_t>(std::llround(static_cast<double>(first_conversion) * b.conversion_ns));
    b.adc_bits = bits;
    b.scan = scan;
    b.codes.resize(frames * scan.size());
    const double mid = std::ldexp(1.0, bits - 1);
    for (size_t f = 0; f < frames; ++f) {
      for (size_t s = 0; s < scan.size(); ++s) {
        const double t =
            static_cast<double>(first_conversion + static_cast<int64_t>(f * scan.size() + s)) / conversions_per_second;
        const Wave& w = waves[scan[s]];
        const double x =
            mid + w.offset_codes +
            w.amplitude_codes * std::sin(2 * std::numbers::pi * hz * t + w.phase_deg * std::numbers::pi / 180);
        // A converter saturates at its rails: an overdriven input reads 0 or full scale.
        const double code = std::clamp(quantise ? std::round(x) : x, 0.0, 2 * mid - 1);
        b.codes[f * scan.size() + s] = static_cast<uint16_t>(code);
      }
    }
    return b;
  }
};

}  // namespace iw::measure::testing
