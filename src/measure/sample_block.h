// A block of ADC conversions: the only thing the measurement engine sees of the hardware.
//
// A block is `frames()` repetitions of a scan. Slot s of every frame converts input
// `scan[s]`. Conversions are evenly spaced: conversion k of the block (k = frame*slots + slot)
// happens at start_ns + k*conversion_ns on the source's clock. Two blocks are contiguous when
// the second starts one conversion period after the last conversion of the first and has the
// same scan; the engine carries cycle state across contiguous blocks and restarts otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace iw::measure {

struct SampleBlock {
  int64_t start_ns = 0;        // instant of conversion 0 (frame 0, slot 0)
  double conversion_ns = 0;    // time between successive conversions, > 0
  int adc_bits = 12;           // 12 (MCP3208) or 10 (MCP3008); codes are in [0, 2^bits)
  std::vector<uint8_t> scan;   // input channel number converted in each slot
  std::vector<uint16_t> codes; // frame-major: codes[frame*scan.size() + slot]

  size_t slots() const { return scan.size(); }
  size_t frames() const { return scan.empty() ? 0 : codes.size() / scan.size(); }
  double frame_ns() const { return conversion_ns * static_cast<double>(scan.size()); }
  double instant_ns(size_t frame, size_t slot) const {
    return static_cast<double>(start_ns) +
           conversion_ns * static_cast<double>(frame * scan.size() + slot);
  }
  // Instant one conversion period after the last conversion: where a contiguous block starts.
  double end_ns() const {
    return static_cast<double>(start_ns) + conversion_ns * static_cast<double>(codes.size());
  }
  uint16_t code(size_t frame, size_t slot) const { return codes[frame * scan.size() + slot]; }
};

}  // namespace iw::measure
