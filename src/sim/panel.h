// The hardware description of a simulated installation: mains, ADC, board, loads and the
// input channels with their sensors, plus for each channel the measurement parameters the
// daemon should be configured with (iotawatt_config()).
//
// Channels. A VT channel measures the voltage across `line` through a VtModel and the board
// divider. A CT channel clamps the phase conductor `line` (kA, kB or kC) through a CtModel;
// its primary current is the sum of the currents of `loads` that flow in that conductor
// (a line-to-line load counts +I on its first phase and -I on its second), or with `mains`
// of every load in the panel that does. `flipped` mounts the sensor backwards (secondary
// negated): the config's `reverse` says whether the daemon should undo it.
//
// Ground truth of a CT channel is the energy of its primary current against the TRUE voltage
// across `truth_line` (default: its conductor to neutral): for a 240 V load measured with
// `double` that is the leg-to-leg voltage, for a line-to-line load the line-to-line voltage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "sim/adc.h"
#include "sim/ct.h"
#include "sim/load.h"
#include "sim/mains.h"
#include "source/sampling_plan.h"

namespace iw::sim {

enum class ChannelType { kVT, kCT };

// What the daemon is told about a channel (the original config.txt input keys). Unset
// optionals follow the hardware: cal from the sensor (CT turns/burden or amps per volt;
// VT ratio scaled by board_divider/13), phase tables from the sensor model.
struct Measurement {
  std::optional<double> cal;
  std::optional<double> phase;                  // static lead, degrees
  std::optional<std::vector<double>> p50, p60;  // lead tables; when given, model = "generic"
  int vchan = 0;                                // CT: the reference VT's input
  double vphase = 0;                            // CT: derived reference lags the VT by this many degrees
  double vmult = 1;                             // CT: explicit voltage multiplier (sqrt 3 for line to line)
  bool doubled = false;                         // CT: "double", vmult x 2 (240 V load against a 120 V reference)
  bool is_signed = false;                       // CT: keep negative power
  bool reverse = false;                         // negate the samples
};

struct Channel {
  int input = 0;
  std::string name;
  ChannelType type = ChannelType::kCT;
  Line line = Line::kA;            // VT: measured voltage. CT: clamped phase conductor
  bool flipped = false;            // sensor mounted backwards
  VtModel vt;                      // kVT
  CtModel ct;                      // kCT
  std::vector<int> loads;          // kCT: indexes into Panel::loads
  bool mains = false;              // kCT: every load whose current flows in `line`
  std::optional<Line> truth_line;  // kCT: voltage of the true power; default `line`
  Measurement m;
  // The sensor's signal reaches the ADC this many times stronger than the config's cal
  // assumes (a wrong burden or VT): above about 1.5 a loaded channel hits the ADC rails.
  double overdrive = 1;

  Line truth_voltage_line() const { return truth_line.value_or(line); }
};

struct Panel {
  std::string scenario = "custom";  // written to the config as sim.scenario
  std::string device_name = "IotaWatt";
  int device_channels = 15;
  double utc_offset_s = 0;  // local time = UTC + this (solar curve, config timezone)
  Mains mains;
  AdcModel adc;
  double board_divider = 13;  // VT secondary / ADC input (IoTaWatt v5: 13)
  std::vector<Load> loads;
  std::vector<Channel> channels;

  // Builders. add_ct fills the measurement defaults: vchan = the first VT added.
  int add_load(Load load);
  Channel& add_vt(int input, std::string name, VtModel vt, Line line = Line::kA);
  Channel& add_ct(int input, std::string name, CtModel ct, std::vector<int> loads, Line conductor = Line::kA);
  Channel& add_mains_ct(int input, std::string name, CtModel ct, Line conductor = Line::kA);

  const Channel* find(int input) const;
  Channel* find(int input);
  Status validate() const;

  // The measurement parameters in effect (optionals resolved against the hardware).
  double measurement_cal(const Channel& ch) const;
  double measurement_phase(const Channel& ch) const;
  const std::vector<double>& measurement_p50(const Channel& ch) const;
  const std::vector<double>& measurement_p60(const Channel& ch) const;

  // The original IoTaWatt config.txt for this panel (reference section 2): device{name,
  // version, channels, refvolts}, timezone, inputs[] (null where no channel), plus our
  // "sim":{"scenario": ...}. cal equals the simulated hardware exactly (CT turns/burden or
  // amps per volt; VT ratio), `model` names the sensor's model table entry so the catalog
  // attaches the same lead tables, and refvolts is the ADC full scale.
  nlohmann::json iotawatt_config() const;
  // A CT's "role" in that config: "mains", "solar" (it measures a solar load) or "circuit".
  const char* role_of(const Channel& ch) const;
};

// The sampling plan that converts every channel of `panel`: VTs in input order, then CTs with
// their measurement vchan; nominal_hz from the mains; other fields at their defaults.
source::SamplingPlan plan_for(const Panel& panel, source::SamplingMode mode = source::SamplingMode::kContinuous);

}  // namespace iw::sim
