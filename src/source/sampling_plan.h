// What a sample source is asked to convert, and in which order.
//
// Continuous mode (the default) converts every active input in every frame, so every channel
// is measured in every AC cycle. Round-robin mode reproduces the original IoTaWatt schedule:
// one input at a time, interleaved with its voltage reference, for a little more than one AC
// cycle, then the next input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace iw::source {

enum class SamplingMode { kContinuous, kRoundRobin };

const char* to_string(SamplingMode mode);
// Accepts "continuous" and "roundrobin".
bool parse_sampling_mode(const std::string& text, SamplingMode* mode);

struct CurrentInput {
  uint8_t input = 0;  // channel number of the CT
  uint8_t vt = 0;     // channel number of its voltage reference
};

struct SamplingPlan {
  SamplingMode mode = SamplingMode::kContinuous;
  std::vector<uint8_t> voltage_inputs;       // VT channels, in channel order
  std::vector<CurrentInput> current_inputs;  // CT channels, in channel order
  double conversions_per_second = 200000;    // ADC throughput (2 x MCP3208 at full speed)
  double nominal_hz = 50;                    // sizes round-robin captures
  size_t frames_per_block = 512;             // continuous mode: frames per block
  // Round robin: each capture lasts this many nominal cycles, which always holds one whole
  // cycle between zero crossings of either direction.
  double capture_cycles = 1.6;

  // The scan of one continuous-mode frame: VTs first, then CTs.
  std::vector<uint8_t> continuous_scan() const;
  // The scans visited in turn in round-robin mode: {ct, vt} for each CT, {vt, vt} for each VT.
  std::vector<std::vector<uint8_t>> round_robin_scans() const;
  // Frames in one round-robin capture of `scan_slots` slots.
  size_t round_robin_frames(size_t scan_slots) const;
};

}  // namespace iw::source
