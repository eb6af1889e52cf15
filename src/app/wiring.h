// Turns the validated config into what the measurement engine and the sample source need.
// The only place where config values meet ADC scaling.
#pragma once

#include "config/config.h"
#include "measure/channel_setup.h"
#include "source/sampling_plan.h"

namespace iw::app {

// How an ADC count relates to volts at the board's input terminals.
struct AdcScaling {
  double vref_volts = 3.3;  // ADC full scale
  double vt_divider = 13;   // the ADC sees the VT secondary divided by this
};

// The scaling of samples that come with no board description (a replay file, the simulator):
// the nominal 3.3 V full scale and /13 divider, with the config's device.refvolts when given.
AdcScaling replay_scaling(const config::Config& config);

// Line volts (VT) or primary amps (CT) per 12-bit count, as the engine wants them:
// VT: cal x divider x vref / 4096; CT: cal x vref / 4096.
double units_per_count(const config::Input& input, const AdcScaling& scaling);

measure::EngineSetup engine_setup(const config::Config& config, const AdcScaling& scaling);

// The inputs to sample and how. `conversions_per_second` is the source's throughput.
source::SamplingPlan sampling_plan(const config::Config& config, double conversions_per_second,
                                   double nominal_hz);

}  // namespace iw::app
