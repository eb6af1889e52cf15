#include "measure/step_detector.h"

#include <algorithm>
#include <cmath>

namespace iw::measure {
namespace {

// A rise's inrush counts the cycles whose Irms exceeds the settled Irms by this much.
constexpr double kInrushRatio = 1.10;
constexpr double kInrushMinAmps = 0.05;
// `spread` follows the settled cycles' absolute deviation with this weight per cycle.
constexpr double kSpreadWeight = 1.0 / 32;

}  // namespace

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::kOn:
      return "on";
    case StepKind::kOff:
      return "off";
    case StepKind::kChange:
      return "change";
  }
  return "change";
}

StepDetector::Values StepDetector::mean(int count, int skip) const {
  Values m;
  for (int k = skip; k < skip + count; ++k) {
    const Values& v = ring_[(next_ - 1 - static_cast<uint32_t>(k)) & (kRing - 1)];
    m.watts += v.watts;
    m.var += v.var;
    m.amps += v.amps;
  }
  const double n = count > 0 ? count : 1;
  m.watts /= n;
  m.var /= n;
  m.amps /= n;
  return m;
}

double StepDetector::level_w() const {
  const int n = static_cast<int>(std::min<uint32_t>(steady_cycles_, kLevelCycles));
  double sum = 0;
  for (int k = 0; k < n; ++k) sum += power(k);
  return n > 0 ? sum / n : 0;
}

void StepDetector::add(const StepCycle& c, StepQueue& out) {
  if (!transient_) {
    // The level of the settled cycles before this one.
    const int n = static_cast<int>(std::min<uint32_t>(steady_cycles_, kLevelCycles));
    double level = 0;
    for (int k = 0; k < n; ++k) level += power(k);
    if (n > 0) level /= n;
    const double deviation = std::fabs(c.watts - level);
    const double trigger = std::max(0.5 * settings_.threshold_w, 3 * spread_);
    if (pending_ && steady_cycles_ >= kSettleCycles + kLevelCycles) emit(kLevelCycles, 0, out);
    ring_[next_++ & (kRing - 1)] = Values{c.watts, c.var, c.amps, c.start_ns};
    // Until kSettleCycles cycles have been seen (at start) the level is not trusted.
    if (n >= kSettleCycles && deviation > trigger) {
      if (pending_) emit(n, 1, out);  // the next change came first: the levels after so far
      open(level, trigger);
      event_.inrush_amps = c.amps;
      event_.inrush_peak_amps = c.peak_amps;
      return;
    }
    if (n > 0) spread_ += (deviation - spread_) * kSpreadWeight;
    steady_cycles_ = std::min<uint32_t>(steady_cycles_ + 1, kRing);
    return;
  }

  ring_[next_++ & (kRing - 1)] = Values{c.watts, c.var, c.amps, c.start_ns};
  if (cycles_ < kInrushWindow) inrush_amps_[cycles_] = c.amps;
  ++cycles_;
  event_.inrush_amps = std::max(event_.inrush_amps, c.amps);
  event_.inrush_peak_amps = std::max(event_.inrush_peak_amps, c.peak_amps);
  if (cycles_ >= 2 * kSettleCycles && settled(band_)) {
    close(true);
  } else if (cycles_ >= kMaxTransientCycles) {
    close(false);
  }
}

// The newest kSettleCycles cycles are within `band` of their mean, and that mean is within
// band / 2 of the mean of the kSettleCycles cycles before them (no ramp).
bool StepDetector::settled(double band) const {
  double recent = 0, earlier = 0;
  for (int k = 0; k < kSettleCycles; ++k) {
    recent += power(k);
    earlier += power(k + kSettleCycles);
  }
  recent /= kSettleCycles;
  earlier /= kSettleCycles;
  if (std::fabs(recent - earlier) > 0.5 * band) return false;
  for (int k = 0; k < kSettleCycles; ++k) {
    if (std::fabs(power(k) - recent) > band) return false;
  }
  return true;
}

// Opens a transient at the newest cycle, which left `level` by more than `trigger`.
void StepDetector::open(double level, double trigger) {
  const int n = static_cast<int>(std::min<uint32_t>(steady_cycles_, kLevelCycles));
  // Move the start back over the cycles that already leaned the same way (a ramp's first
  // cycles); they then count neither in the level before nor as settled.
  // Leaning is judged against the older half of the level's cycles, which a ramp that began
  // within the newer half has not touched.
  const double reference = mean(n - n / 2, 1 + n / 2).watts;
  const double sign = power(0) > level ? 1 : -1;
  const double lean = std::max(3 * spread_, 0.1 * settings_.threshold_w);
  int back = 0;
  while (back < n / 2 && sign * (power(back + 1) - reference) > lean) ++back;
  const Values before = mean(n - back, 1 + back);
  transient_ = true;
  band_ = trigger;
  cycles_ = static_cast<uint32_t>(1 + back);
  auto at = [this](int k) -> const Values& { return ring_[(next_ - 1 - static_cast<uint32_t>(k)) & (kRing - 1)]; };
  for (int k = 0; k <= back && k < kInrushWindow; ++k) inrush_amps_[k] = at(back - k).amps;
  event_ = StepEvent{};
  event_.time_ns = at(back).start_ns;
  event_.channel = channel_;
  event_.before_w = before.watts;
  before_var_ = before.var;
}

void StepDetector::close(bool settled) {
  const Values after = mean(kSettleCycles, 0);
  transient_ = false;
  pending_ = true;
  event_.settled = settled;
  event_.transient_cycles = cycles_ - kSettleCycles;
  // The settled cycles start the new level; their scatter is the new spread.
  steady_cycles_ = kSettleCycles;
  double scatter = 0;
  for (int k = 0; k < kSettleCycles; ++k) scatter += std::fabs(power(k) - after.watts);
  spread_ = scatter / kSettleCycles;
}

void StepDetector::emit(int count, int skip, StepQueue& out) {
  pending_ = false;
  const Values after = mean(count, skip);
  StepEvent& e = event_;
  e.after_w = after.watts;
  e.delta_w = after.watts - e.before_w;
  if (!(std::fabs(e.delta_w) >= settings_.threshold_w)) return;  // noise, or a bump that came back
  e.delta_var = after.var - before_var_;
  e.after_amps = after.amps;
  const bool was_on = std::fabs(e.before_w) >= settings_.standby_w;
  const bool is_on = std::fabs(e.after_w) >= settings_.standby_w;
  e.kind = !was_on && is_on ? StepKind::kOn : was_on && !is_on ? StepKind::kOff : StepKind::kChange;
  if (e.delta_w > 0) {
    const double limit = std::max(after.amps * kInrushRatio, after.amps + kInrushMinAmps);
    const uint32_t window = std::min<uint32_t>(e.transient_cycles + kSettleCycles, kInrushWindow);
    uint32_t last = 0;  // one past the last cycle above the limit
    for (uint32_t k = 0; k < window; ++k) {
      if (inrush_amps_[k] > limit) last = k + 1;
    }
    e.inrush_cycles = last;
  } else {
    e.inrush_amps = 0;
    e.inrush_peak_amps = 0;
  }
  out.push(e);
}

}  // namespace iw::measure
