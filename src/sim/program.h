// Scripted appliances (issue 18): a load whose level follows a program of timed steps that
// repeats, so the instant and size of every switch is known (the ground truth of step events).
//
// Run k of the program starts at first_s + k * every_s, plus for k > 0 a uniform draw in
// [0, jitter_s) (the load's seeded RNG); its steps take effect at run start + at_s, at the first
// cycle boundary at or after that instant (the cycle-boundary rule, README.md). Before a run's
// first step and after the program's last step the level is that step's (0 when none: off).
// A step moves the level from the previous step's level to its own, at once or linearly over
// ramp_s (the level of a ramping cycle is the ramp's value at the cycle's end, so its first
// cycle already carries part of it); an inrush multiplies the current at the step's first
// cycle by `inrush`, decaying exponentially to 1 with time constant inrush_s. The level
// multiplies the load's current (Load::current), so a load's power is level x its power.
#pragma once

#include <cstddef>
#include <vector>

#include "base/status.h"
#include "sim/random.h"

namespace iw::sim {

struct ProgramStep {
  double at_s = 0;      // from the start of the run
  double level = 0;     // settled level from this step on (0 off, 1 as configured)
  double ramp_s = 0;    // reached linearly over this long (0: at once)
  double inrush = 1;    // current multiplier at the step's first cycle (1: none)
  double inrush_s = 0;  // time constant of its decay, seconds
};

struct Program {
  double first_s = 0;  // the first run starts this long after the simulation start
  double every_s = 3600;
  double jitter_s = 0;  // each run starts up to this much later (seeded); < every_s - the last at_s
  std::vector<ProgramStep> steps;  // by at_s

  Status validate() const;
};

// Where one load's program stands; advanced cycle by cycle.
class ProgramState {
 public:
  // A settled-level change that took effect at this cycle (its first step; several steps in
  // one cycle report the first level before and the last after).
  struct Change {
    double before = 0, after = 0;
    double ramp_s = 0;
  };

  // The level (including ramp and inrush) of the cycle that starts `t_s` seconds after the
  // simulation start and lasts `period_s`. Returns true with `change` filled when a step took
  // effect at this cycle. REQUIRES: t_s increasing between calls.
  bool advance(const Program& p, double t_s, double period_s, SplitMix& rng, Change& change);
  double level() const { return level_; }

 private:
  bool started_ = false;
  double run_start_s_ = 0;
  size_t run_ = 0;   // runs started so far
  size_t next_ = 0;  // next step of the current run
  double target_ = 0;
  double from_ = 0;
  double step_s_ = 0;  // instant (cycle start) the last step took effect
  double ramp_s_ = 0;
  double inrush_ = 1, inrush_s_ = 0;
  double level_ = 0;
};

}  // namespace iw::sim
