// Where ADC conversions come from: the panel simulator, MCP3x08 chips on spidev, or a
// recorded file. Implementations own their timing; the sampling thread calls read() in a
// loop and hands each block to the measurement engine.
#pragma once

#include <string>

#include "base/status.h"
#include "measure/sample_block.h"

namespace iw::source {

class SampleSource {
 public:
  virtual ~SampleSource() = default;

  // Fills `block` with the next conversions, reusing its storage. Returns an error when the
  // source failed or, for finite sources, an End status when it is exhausted (every later
  // read() then says End again). May block until the conversions exist (real ADC, paced
  // simulator).
  virtual Status read(measure::SampleBlock& block) = 0;
  // One line for logs and /status: what this source is.
  virtual std::string describe() const = 0;
};

}  // namespace iw::source
