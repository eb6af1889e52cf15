// The typed configuration: what the rest of the program knows of config.txt.
//
// The file schema is the original IoTaWatt config.txt (firmware reference §2), plus our own
// top-level sections "adc", "sampling" and "sim". config_parser.h builds a Config from JSON
// and validates it; config_writer.h turns it back into JSON. No other code reads JSON
// config keys, with one exception: sections owned by later work (uploaders...) are carried
// verbatim in `sections` until their owners type them.
//
// Values here are *effective* values, ready to use: Input::cal already is turns/burden when
// that applies, Input::vmult already includes the x2 of `double`, and the phase data in
// effect (the input's own, else its catalog model's) is already attached.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "measure/phase_curve.h"
#include "source/sampling_plan.h"

namespace iw::config {

// Inputs the original hardware has (channel 0 is the voltage reference, 1-14 take CTs or
// more VTs).
inline constexpr int kMaxChannels = 15;

struct Device {
  std::string name = "IotaWatt";
  int channels = kMaxChannels;
  std::optional<double> refvolts;             // ADC reference voltage override
  std::optional<std::vector<double>> burden;  // ohms per channel; 0 = none
  std::optional<std::vector<int>> chanaddr;   // ADC address overrides, kept for round trip
  std::optional<std::vector<int>> chanaref;   // reference address overrides, kept
  std::optional<int> version;                 // UI bookkeeping
  std::optional<std::string> httpsproxy;
  nlohmann::json extra = nlohmann::json::object();  // other device keys, verbatim

  // Burden resistor of `channel` in ohms; 0 when none is configured.
  double burden_ohms(int channel) const {
    if (!burden || channel < 0 || static_cast<size_t>(channel) >= burden->size()) return 0;
    return (*burden)[static_cast<size_t>(channel)];
  }
  bool operator==(const Device&) const = default;
};

enum class InputType { kVT, kCT };

// Our addition: what a CT measures, for the web app's home view (use, grid, solar, circuits).
// kUnset: the config does not say; the web app guesses from the name (web/roles.js).
enum class InputRole { kUnset, kMains, kSolar, kCircuit };

inline constexpr double kDefaultStepWatts = 25;
inline constexpr double kMaxStepWatts = 100000;

struct Input {
  int channel = 0;   // equals the index in Config::inputs
  std::string name;  // unique, [A-Za-z][A-Za-z0-9_]*
  InputType type = InputType::kCT;
  std::string model = "generic";  // catalog name (legacy names already renamed)
  // VT: line volts per volt at the input. CT: amps per volt at the input. Effective value:
  // turns/burden for a CT with turns on a channel with a burden.
  double cal = 0;
  std::optional<double> turns;  // CT turns ratio, when known
  double phase = 0;             // static lead in degrees (config, else catalog, else 0)
  // Level-dependent leads [phi0, t1, phi1, ...] (measure/phase_curve.h), each the config's
  // own (a generic or calibrated sensor), else its catalog model's; may be empty.
  std::vector<double> p50, p60;
  int vchan = 0;           // CT: channel of its reference VT. VT: its own channel
  double vphase = 0;       // CT: derived three-phase shift of the reference, degrees
  double vmult = 1;        // CT: voltage multiplier, including x2 for is_double
  bool is_signed = false;  // CT: keep negative power
  bool is_double = false;  // CT: 240 V load measured against a 120 V reference
  bool reverse = false;    // negate the samples
  // CT: the smallest real-power step reported as an event (measure/step_detector.h), watts;
  // 0: no events for this input. "step_watts", written when not the default.
  double step_watts = kDefaultStepWatts;
  InputRole role = InputRole::kUnset;               // "role": "mains" | "solar" | "circuit"
  nlohmann::json extra = nlohmann::json::object();  // other keys (e.g. "vref"), verbatim

  bool is_vt() const { return type == InputType::kVT; }
  bool is_ct() const { return type == InputType::kCT; }
  measure::PhaseCurve phase_table() const { return {phase, p50, p60}; }
  bool operator==(const Input&) const = default;
};

// One point of a DST rule (firmware reference §10.3).
struct DstPoint {
  int month = 1;     // 1..12
  int weekday = 1;   // 1..7, Sunday = 1
  int instance = 1;  // n-th such weekday of the month; negative counts from the end
  int time = 0;      // minutes after midnight
  bool operator==(const DstPoint&) const = default;
};

struct DstRule {
  int adj = 60;      // minutes added during DST
  bool utc = false;  // evaluate begin/end against UTC instead of local standard time
  DstPoint begin, end;
  bool operator==(const DstRule&) const = default;
};

// Our addition: where the ADC is. Absent: no ADC, the simulator runs.
struct AdcConfig {
  std::string board;                // board profile name, resolved by src/source
  std::vector<std::string> spidev;  // optional device path overrides, one per chip
  std::optional<int64_t> spi_hz;    // SPI clock override
  bool operator==(const AdcConfig&) const = default;
};

using source::SamplingMode;

// Our addition: how inputs are scheduled. Absent fields: the source's defaults.
struct SamplingConfig {
  SamplingMode mode = SamplingMode::kContinuous;
  std::optional<double> conversions_per_second;
  // No-load threshold: a CT cycle below this many 12-bit counts rms of current records 0 W
  // (src/measure/README.md). Absent: the engine default, 2.0.
  std::optional<double> noise_floor_lsb;
  bool operator==(const SamplingConfig&) const = default;
};

// Our addition: the panel simulator. Absent fields: the simulator's defaults.
struct SimConfig {
  std::string scenario;  // empty: default scenario
  std::optional<uint64_t> seed;
  // Input channel -> gain of its simulated sensor signal (> 1 overdrives the ADC), for
  // trying out the clipping warning. "sim": {"overdrive": {"1": 4}}
  std::map<int, double> overdrive;
  bool operator==(const SimConfig&) const = default;
};

// Our addition: datalog retention and durability. Absent fields: the daemon's defaults
// (5 s data two years or `logdays`, 60 s data forever, no size cap, sync every 60 s).
struct DatalogConfig {
  std::optional<int> current_days;  // keep 5 s records this many days (wins over logdays)
  std::optional<int> history_days;  // keep 60 s records this many days (0: forever)
  std::optional<int64_t> max_mb;    // cap of each log's size on disk, MiB (0: none)
  std::optional<int> sync_seconds;  // loss window on a power cut (0: sync every record)
  bool operator==(const DatalogConfig&) const = default;
};

// Which syntax a script is written in (src/calc/README.md). The config key says it:
// "script" holds the original's compact form, "expr" our readable form.
enum class ScriptSyntax { kOriginal, kReadable };

// One named script: an output, or an integrator (whose units are always Wh). The text is
// kept as written; src/calc compiles and checks it against the inputs.
struct ScriptDef {
  std::string name;
  std::string units;  // as written ("Watts", "kwh"); empty when absent
  std::string text;
  ScriptSyntax syntax = ScriptSyntax::kOriginal;
  nlohmann::json extra = nlohmann::json::object();  // other keys, verbatim
  bool operator==(const ScriptDef&) const = default;
};

struct Config {
  std::optional<int> format;  // script syntax generation (UI only)
  double timezone = 0;        // standard-time UTC offset, hours (unused when timezone_name is set)
  // Our form of "timezone": an IANA zone name ("Europe/Berlin"), checked against the tz database.
  // Empty: the original form, `timezone` hours plus `dst`.
  std::string timezone_name;
  std::string update = "NONE";    // NONE, MAJOR, MINOR, BETA, ALPHA or TEST
  std::optional<int> logdays;     // current-log retention override, days
  std::optional<bool> derive3ph;  // UI flag
  Device device;
  nlohmann::json dstrule;                    // as written; null when absent
  std::optional<DstRule> dst;                // typed view of dstrule
  std::vector<std::optional<Input>> inputs;  // index = channel; size = device.channels
  std::optional<AdcConfig> adc;
  SamplingConfig sampling;
  std::optional<SimConfig> sim;
  DatalogConfig datalog;
  std::vector<ScriptDef> outputs;      // in config order; names unique among inputs and outputs
  std::vector<ScriptDef> integrators;  // names unique among integrators
  // Every other top-level key, verbatim: emoncms, influxdb, influxdb2, pvoutput, mqtt,
  // simsolar, legacy server/integrations, and keys we do not know.
  nlohmann::json sections = nlohmann::json::object();

  // The active input on `channel`, or nullptr.
  const Input* input(int channel) const {
    if (channel < 0 || static_cast<size_t>(channel) >= inputs.size()) return nullptr;
    const auto& in = inputs[static_cast<size_t>(channel)];
    return in ? &*in : nullptr;
  }
  // A verbatim section, or nullptr when absent or null.
  const nlohmann::json* section(std::string_view key) const {
    const auto it = sections.find(key);
    return it == sections.end() || it->is_null() ? nullptr : &*it;
  }
  bool operator==(const Config&) const = default;
};

const char* to_string(InputType type);  // "VT" / "CT"
const char* to_string(InputRole role);  // "", "mains", "solar", "circuit"
// "mains", "solar" or "circuit"; nullopt for anything else.
std::optional<InputRole> parse_input_role(std::string_view text);

}  // namespace iw::config
