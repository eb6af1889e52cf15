// A live waveform of one input for a scope view (/command?sample=<channel>): a few cycles of
// its samples and its voltage reference's, offsets removed and scaled to line volts and primary
// amps. The original only dumped one cycle of raw counts; its text form is kept.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "measure/channel_setup.h"
#include "measure/sample_block.h"

namespace iw::views {

struct Waveform {
  int channel = 0;
  int vchannel = 0;                                    // the voltage reference (a VT: itself)
  bool is_voltage = false;                             // a VT: `amps` and `current_counts` are empty
  double hz = 0;                                       // from the reference's zero crossings; 0 when it has none
  std::vector<double> t_ms;                            // instant of each sample of `channel`, from the first
  std::vector<double> volts;                           // reference voltage at that instant (interpolated)
  std::vector<double> amps;                            // CT current
  std::vector<double> voltage_counts, current_counts;  // 12-bit counts, offset removed
};

// The samples of `channel` and its reference in `blocks` (consecutive blocks of one source).
// Fails when the channel is not configured or the blocks do not contain it and its reference.
Result<Waveform> extract_waveform(const std::vector<measure::SampleBlock>& blocks, const measure::EngineSetup& setup,
                                  int channel);

// The original's text: "samples N" then N lines "V,I" of counts (a VT: "V,V").
std::string waveform_text(const Waveform& w);
// {"channel","vchannel","hz","samples","t_ms":[..],"volts":[..],"amps":[..]} with 4 significant
// decimals at most, for the web app's scope.
nlohmann::json waveform_json(const Waveform& w);

}  // namespace iw::views
