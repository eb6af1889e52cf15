// Loads: what draws (or, for a solar inverter, delivers) current on a circuit.
//
// A load is connected across a Line (phase to neutral, or line to line) and its current is
// phase-locked to the fundamental of that line's actual voltage: if the voltage is delayed by
// some angle, every current harmonic h is delayed by h times that angle, so a load on phase B
// is a time-shifted copy of the same load on phase A.
//
// Kinds:
//   kImpedance  current = voltage / R, harmonics included (heaters, kettles, incandescent
//               lamps). R = nominal_volts^2 / watts, so power follows the actual voltage.
//   kCurrent    a current source: fundamental rms = amps (or watts / (nominal volts * pf)),
//               displaced by acos(pf) lagging (motors) or leading (capacitive), plus current
//               harmonics relative to the fundamental (LED drivers, SMPS). Negative amps or
//               watts put the current in antiphase (export).
//   kSolar      an inverter exporting: current in antiphase to the voltage, with power
//               watts * daylight(local time), where daylight is a half sine from sunrise to
//               sunset and 0 at night.
// Any load may be switched on and off (Switching); state changes only at cycle boundaries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/mains.h"
#include "sim/program.h"

namespace iw::sim {

enum class LoadKind { kImpedance, kCurrent, kSolar };

// How a household load's use follows the clock (time of day, day of week, season). The daily
// model (daily_model.h) applies it when realism is on, in the interval model (seeded history)
// and the cycle simulator (the daemon's live --sim) alike; kSteady is always 1. See README.md,
// "Interval model", for each pattern.
enum class Usage : uint8_t {
  kSteady,      // always as configured
  kCooking,     // meals: breakfast, lunch (weekends more), dinner
  kLighting,    // evenings (earlier in winter), a little in the morning
  kLaundry,     // laundry days: weekend mornings, some weekday evenings
  kHeating,     // winter, morning and evening peaks
  kCooling,     // summer afternoons
  kComputing,   // home office hours on weekdays, evenings
  kEvCharging,  // some nights, a few hours from about 22:00
};

struct CurrentHarmonic {
  int order = 3;         // >= 2
  double ratio = 0;      // rms relative to the fundamental's
  double phase_deg = 0;  // phase of its sine relative to the voltage fundamental, in the
                         // harmonic's own degrees (180 for the 3rd of a peaky SMPS current)
};

// On/off cycling: each on (off) period lasts a duration drawn uniformly from
// [on_min_s, on_max_s] ([off_min_s, off_max_s]) with the simulator's seeded RNG. A toggle
// takes effect at the first cycle boundary at or after its scheduled instant; schedules
// accumulate durations, so rounding to cycles does not bias the on-fraction.
struct Switching {
  double on_min_s = 1, on_max_s = 3;
  double off_min_s = 1, off_max_s = 3;
};

struct Load {
  std::string name;
  Line line = Line::kA;
  LoadKind kind = LoadKind::kImpedance;
  double watts = 0;                        // real power at nominal voltage (kSolar: peak export, >= 0)
  double amps = 0;                         // kImpedance/kCurrent: fundamental rms; when non-zero it wins over watts
  double pf = 1;                           // displacement power factor of the fundamental, (0, 1]
  bool leading = false;                    // capacitive
  std::vector<CurrentHarmonic> harmonics;  // kCurrent / kSolar only
  std::optional<Switching> switching;
  // A scripted appliance (program.h): its level follows the program instead of being on.
  // Exclusive with `switching`; the interval model ignores it (the load runs steadily there).
  std::optional<Program> program;
  // Per-cycle fluctuation of the current: each cycle scales it by 1 + a uniform draw in
  // [-fluctuation, fluctuation) (a switching power supply's ripple). 0: none.
  double fluctuation = 0;
  double sunrise_h = 6, sunset_h = 20;  // kSolar, local time of day in hours
  Usage usage = Usage::kSteady;         // with realism only (see Usage)

  // Current drawn when on, given the actual voltage across the load and its nominal rms;
  // `daylight` in [0, 1] scales a solar load. Result in the theta frame, peak amps.
  Spectrum current(const Spectrum& voltage, double nominal_volts, double daylight) const;
};

Load resistive(std::string name, double watts, Line line = Line::kA);
Load motor(std::string name, double watts, double pf, Line line = Line::kA);
Load capacitive(std::string name, double watts, double pf, Line line = Line::kA);
Load nonlinear(std::string name, double watts, std::vector<CurrentHarmonic> harmonics, double pf = 1,
               Line line = Line::kA);
Load solar(std::string name, double peak_watts, double sunrise_h = 6, double sunset_h = 20, Line line = Line::kA);
// A current-source load given by its fundamental rms amps (test points).
Load current_load(std::string name, double amps, double pf, bool leading, std::vector<CurrentHarmonic> harmonics = {},
                  Line line = Line::kA);
Load switched(Load load, Switching switching);

// The long-run fraction of time a switching load is on when its off periods run at `level`
// (the daily model's; 1: as drawn): mean on / (mean on + mean off / level); 0 at level 0.
double on_fraction(const Switching& s, double level = 1);

// Daylight factor in [0, 1] at `local_hour` (0-24): a half sine from sunrise to sunset.
double daylight(double sunrise_h, double sunset_h, double local_hour);
// The same for a solar load's configured day (the daily model moves it with the seasons).
double daylight(const Load& load, double local_hour);

}  // namespace iw::sim
