#include "sim/program.h"

#include <algorithm>
#include <cmath>

namespace iw::sim {

Status Program::validate() const {
  if (!(every_s > 0) || !(first_s >= 0) || !(jitter_s >= 0)) {
    return Status::InvalidArgument("program: every_s must be positive, first_s and jitter_s not negative");
  }
  double last = 0;
  for (const ProgramStep& s : steps) {
    if (!(s.at_s >= last) || !(s.ramp_s >= 0) || !(s.inrush >= 1) || !(s.inrush_s >= 0) || !(s.level >= 0)) {
      return Status::InvalidArgument("program: steps by at_s, ramps and inrush time constants not negative, inrush >= 1");
    }
    last = s.at_s + s.ramp_s;
  }
  if (!(last + jitter_s < every_s)) return Status::InvalidArgument("program: a run must end before the next one starts");
  return Status::Ok();
}

bool ProgramState::advance(const Program& p, double t_s, double period_s, SplitMix& rng, Change& change) {
  if (!started_) {
    started_ = true;
    run_start_s_ = p.first_s;  // the first run exactly there; later ones jittered
  }
  bool changed = false;
  while (!p.steps.empty() && t_s >= run_start_s_ + p.steps[next_].at_s) {
    const ProgramStep& s = p.steps[next_];
    if (!changed) {
      change.before = target_;
      changed = true;
    }
    from_ = target_;
    target_ = s.level;
    change.after = target_;
    change.ramp_s = s.ramp_s;
    step_s_ = t_s;
    ramp_s_ = s.ramp_s;
    inrush_ = s.inrush;
    inrush_s_ = s.inrush_s;
    if (++next_ == p.steps.size()) {  // the run is over: schedule the next one
      next_ = 0;
      ++run_;
      run_start_s_ = p.first_s + static_cast<double>(run_) * p.every_s +
                     (p.jitter_s > 0 ? rng.uniform(0, p.jitter_s) : 0);
    }
  }
  const double since = t_s - step_s_;
  double level = target_;
  if (ramp_s_ > 0 && since + period_s < ramp_s_) level = from_ + (target_ - from_) * (since + period_s) / ramp_s_;
  if (inrush_ > 1 && inrush_s_ > 0) {
    const double decay = since / inrush_s_;
    if (decay < 20) level *= 1 + (inrush_ - 1) * std::exp(-decay);
  }
  level_ = level;
  return changed;
}

}  // namespace iw::sim
