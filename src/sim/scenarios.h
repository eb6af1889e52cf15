// Ready-made panels: named scenarios for the daemon and demos, and single test points for the
// accuracy suite.
//
// Scenarios (make_scenario): realistic installations with the 12-bit ADC model (set
// panel.adc.mode = AdcMode::kIdeal for an exact run):
//   household-230v-50hz    one VT, 14 CTs: mains (signed, net of solar export), solar
//                          (signed, negative by day), oven, kettle, fridge, heat pump, LED
//                          lighting, computers, washer, dryer, EV charger, hob (1-3 s on/off),
//                          lights, sockets. Small 3rd/5th voltage harmonics, +-0.05 Hz drift.
//   split-phase-120v-60hz  120/240 V, 60 Hz, VT on L1; both mains legs (the L2 CT mounted
//                          reversed so it reads positive against L1); 240 V loads measured with
//                          `double` on L1; 120 V loads on both legs.
//   three-phase-400v       230/400 V 50 Hz, one VT on phase A, CTs on A/B/C with derived
//                          references (vphase 120/240) and a line-to-line A-B motor
//                          (vphase -30, vmult sqrt 3).
//   calibration-bench-230v-50hz  one VT (generic240V), 4 CTs: mains, a kettle and a heater
//                          (resistive, steady), a motor at PF 0.5; for the calibration steps
//                          (config/calibration.h) and their tests.
//   appliance-events-230v-50hz  one VT, 10 CTs of scripted appliances (sim/program.h) whose
//                          every switch is known (Simulator::take_steps): kettle, washer (drum
//                          tumbles and spin ramp, heater), fridge compressor with inrush, EV
//                          charger ramping, heat pump with inrush, LED driver with harmonics,
//                          computers fluctuating +-5 % per cycle, and three idle CTs. For the
//                          step events' benchmark (bench/events_bench.cc); no daily model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "sim/panel.h"

namespace iw::sim {

std::vector<std::string> scenario_names();
// Unknown names fail with a message listing the known ones.
Result<Panel> make_scenario(const std::string& name);

// One voltage, one load: input 0 is the VT ("Voltage"), input 1 the CT ("Load", signed) on a
// single load. Single-phase mains.
struct TestPoint {
  double volts = 230;      // nominal rms
  double hz = 50;          // nominal
  double hz_offset = 0;    // e.g. -1 for 49 Hz
  double volts_scale = 1;  // e.g. 1.1 for +10 %
  double drift_hz = 0;     // slow sinusoidal drift amplitude (period drift_period_s)
  double drift_period_s = 600;
  std::vector<VoltageHarmonic> voltage_harmonics;
  // The load: `amps` fundamental rms at displacement `pf` (lagging unless `leading`), with
  // current harmonics relative to the fundamental. Negative amps export. `resistive` instead
  // makes it an impedance drawing `amps` at nominal voltage (its current then carries the
  // voltage harmonics, and pf/current_harmonics are ignored).
  double amps = 10;
  double pf = 1;
  bool leading = false;
  std::vector<CurrentHarmonic> current_harmonics;
  bool resistive = false;
  std::optional<Switching> switching;
  // Sensors: catalog names (ct.h), or explicit models that win over the names.
  std::string ct = "SCT013-000";
  std::string vt = "Ideal 77DE-06-09(EU)";
  std::optional<CtModel> ct_model;
  std::optional<VtModel> vt_model;
  AdcModel adc;                     // default: ideal
  std::string name = "test-point";  // the panel's scenario name
};

Result<Panel> make_test_point(const TestPoint& tp);

}  // namespace iw::sim
