// A block of ADC conversions: the only thing the measurement engine sees of the hardware.
//
// A block is `frames()` repetitions of a scan. Slot s of every frame converts input
// `scan[s]`. Frames are evenly spaced, frame_ns() = slots * conversion_ns apart. Within a
// frame, slot s happens slot_ns(s) after the frame's start: s*conversion_ns when the
// conversions are evenly spaced (slot_offset_ns empty), or the measured offset when they are
// not (a scan that spans two chips pays a call's overhead at the chip switch). Two blocks are contiguous when
// the second starts one conversion period after the last conversion of the first and has the
// same scan; the engine carries cycle state across contiguous blocks and restarts otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace iw::measure {

struct SampleBlock {
  int64_t start_ns = 0;                // instant of conversion 0 (frame 0, slot 0)
  double conversion_ns = 0;            // time between successive conversions, > 0
  int adc_bits = 12;                   // 12 (MCP3208) or 10 (MCP3008); codes are in [0, 2^bits)
  std::vector<uint8_t> scan;           // input channel number converted in each slot
  std::vector<uint16_t> codes;         // frame-major: codes[frame*scan.size() + slot]
  std::vector<double> slot_offset_ns;  // empty, or one offset per slot from the frame start

  size_t slots() const { return scan.size(); }
  size_t frames() const { return scan.empty() ? 0 : codes.size() / scan.size(); }
  double frame_ns() const { return conversion_ns * static_cast<double>(scan.size()); }
  double slot_ns(size_t slot) const {
    return slot_offset_ns.empty() ? conversion_ns * static_cast<double>(slot) : slot_offset_ns[slot];
  }
  double instant_ns(size_t frame, size_t slot) const {
    return static_cast<double>(start_ns) + frame_ns() * static_cast<double>(frame) + slot_ns(slot);
  }
  // Instant one conversion period after the last conversion: where a contiguous block starts.
  double end_ns() const { return static_cast<double>(start_ns) + conversion_ns * static_cast<double>(codes.size()); }
  uint16_t code(size_t frame, size_t slot) const { return codes[frame * scan.size() + slot]; }
};

}  // namespace iw::measure
