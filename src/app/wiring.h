// Turns the validated config into what the measurement engine and the sample source need.
// The only place where config values meet ADC scaling.
#pragma once

#include "config/config.h"
#include "measure/channel_setup.h"
#include "source/sampling_plan.h"

namespace iw::app {

// How an ADC count relates to volts at the board's input terminals.
// Samples with no board to read a reference from (a replay file, the simulator) use the nominal
// values. The config's device.refvolts is the voltage of a board's reference diode (2.5 V on
// IoTaWatt v5, as in the original), so it applies only where the board reads that reference.
struct AdcScaling {
  double vref_volts = 3.3;  // ADC full scale
  double vt_divider = 13;   // the ADC sees the VT secondary divided by this
};

// Line volts (VT) or primary amps (CT) per 12-bit count, as the engine wants them:
// VT: cal x divider x vref / 4096; CT: cal x vref / 4096.
double units_per_count(const config::Input& input, const AdcScaling& scaling);

measure::EngineSetup engine_setup(const config::Config& config, const AdcScaling& scaling);

// The inputs to sample and how. `conversions_per_second` is the source's throughput.
source::SamplingPlan sampling_plan(const config::Config& config, double conversions_per_second, double nominal_hz);

}  // namespace iw::app
