#include "sim/simulator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <numbers>
#include <sstream>

#include "sim/adc.h"
#include "sim/cycle.h"

namespace iw::sim {
namespace {

// Truth queries may reach this far before the next block (the block just read, and more).
constexpr double kRetainNs = 1e9;

struct Retained {
  Cycle cycle;
  std::vector<TruthSums> before;  // per channel: truth from the start to this cycle's start
};

// One slot of the block's scan, prepared for one cycle: the channel's ADC-input harmonics
// rotated by the slot's delay within the frame, so every slot is evaluated at the frame's
// phase angle.
struct SlotPlan {
  uint32_t term_begin = 0, term_end = 0;
  double knee = std::numeric_limits<double>::infinity();
  AdcInput in;  // the converter's view of the slot's input (level, gain, transfer)
};

}  // namespace

struct Simulator::Impl {
  Panel panel;
  source::SamplingPlan plan;
  int64_t start_ns = 0;
  uint64_t seed = 0;
  std::unique_ptr<CycleGenerator> gen;  // refers to `panel`, which never moves
  std::deque<Retained> cycles;
  Adc adc;
  std::array<int, 256> channel_of_input{};
  long double conversion_ns = 0;
  uint64_t conversions = 0;
  int64_t next_ns = 0;
  std::vector<uint8_t> continuous_scan;
  std::vector<std::vector<uint8_t>> rr_scans;
  size_t rr_next = 0;

  // Scratch for the hot loop.
  std::vector<SlotPlan> slots;
  std::vector<int> t_order;
  std::vector<double> t_re, t_im;
  int max_order = 1;
  std::vector<double> pw_r, pw_i;

  Impl(Panel p, source::SamplingPlan pl, int64_t start, uint64_t s)
      : panel(std::move(p)), plan(std::move(pl)), start_ns(start), seed(s), adc(panel.adc, s) {}

  void append_cycle();
  void ensure_covers(int64_t ns, double extra_ns);
  size_t cycle_at(double t_rel, int64_t ref) const;
  void prepare_slots(const Cycle& c, const std::vector<uint8_t>& scan, double d);
  template <bool kReal>
  void fill_fast(uint16_t* out, size_t m, size_t frames, double theta0, double dtheta);
  uint16_t convert_one(uint8_t input, double counts, double knee);
  void fill_block(measure::SampleBlock& block);
  void prune();
  Result<Truth> truth_until(int64_t ns, Accrual accrual);
  // Per channel: what turns the exact start correction (first partial cycle) into the
  // cycle-mean one.
  std::vector<TruthSums> mean_adjust;
  std::vector<TrueStep> steps;  // not yet taken
};

void Simulator::Impl::append_cycle() {
  Retained r;
  r.cycle = gen->next();
  steps.insert(steps.end(), r.cycle.steps.begin(), r.cycle.steps.end());
  const size_t n = panel.channels.size();
  if (cycles.empty()) {
    // Truth counts from start_ns, which lies inside the first cycle.
    r.before.assign(n, TruthSums{});
    const double span = -r.cycle.start.since(start_ns);
    mean_adjust.assign(n, TruthSums{});
    for (size_t k = 0; k < n; ++k) {
      const ChannelCycle& cc = r.cycle.channels[k];
      r.before[k].add(cc, r.cycle.hz, r.cycle.period_ns, span, -1);
      mean_adjust[k].add(cc, r.cycle.hz, r.cycle.period_ns, span, 1, Accrual::kExact);
      mean_adjust[k].add(cc, r.cycle.hz, r.cycle.period_ns, span, -1, Accrual::kCycleMean);
    }
  } else {
    const Retained& prev = cycles.back();
    r.before = prev.before;
    for (size_t k = 0; k < n; ++k) {
      r.before[k].add(prev.cycle.channels[k], prev.cycle.hz, prev.cycle.period_ns, prev.cycle.period_ns);
    }
  }
  cycles.push_back(std::move(r));
}

void Simulator::Impl::ensure_covers(int64_t ns, double extra_ns) {
  while (cycles.empty() || cycles.back().cycle.end().since(ns) <= extra_ns) append_cycle();
}

// Index of the retained cycle containing t_rel ns after `ref`. REQUIRES: covered.
size_t Simulator::Impl::cycle_at(double t_rel, int64_t ref) const {
  size_t i = cycles.size() - 1;
  while (i > 0 && cycles[i].cycle.start.since(ref) > t_rel) --i;
  return i;
}

void Simulator::Impl::prepare_slots(const Cycle& c, const std::vector<uint8_t>& scan, double d) {
  const double omega = 2 * std::numbers::pi * c.hz * 1e-9;  // radians per ns
  slots.resize(scan.size());
  t_order.clear();
  t_re.clear();
  t_im.clear();
  max_order = 1;
  for (size_t s = 0; s < scan.size(); ++s) {
    SlotPlan& sp = slots[s];
    const uint8_t input = scan[s];
    sp.in = adc.input(input);
    sp.knee = std::numeric_limits<double>::infinity();
    sp.term_begin = static_cast<uint32_t>(t_order.size());
    const int idx = channel_of_input[input];
    if (idx >= 0) {
      const ChannelCycle& cc = c.channels[static_cast<size_t>(idx)];
      sp.knee = cc.knee_counts;
      const double delay = omega * d * static_cast<double>(s);
      for (const Term& t : cc.adc) {
        const std::complex<double> a = t.amp * std::polar(1.0, delay * t.order);
        t_order.push_back(t.order);
        t_re.push_back(a.real());
        t_im.push_back(a.imag());
        max_order = std::max(max_order, t.order);
      }
    }
    sp.term_end = static_cast<uint32_t>(t_order.size());
  }
  pw_r.assign(static_cast<size_t>(max_order) + 1, 0);
  pw_i.assign(static_cast<size_t>(max_order) + 1, 0);
}

// Frames whose every slot lies in the prepared cycle. theta0: phase angle of the first
// frame's slot 0; dtheta: advance per frame. The unit phasor advances by a complex
// recurrence (re-seeded every cycle and block, so rounding never accumulates).
template <bool kReal>
void Simulator::Impl::fill_fast(uint16_t* out, size_t m, size_t frames, double theta0, double dtheta) {
  double zr = std::cos(theta0), zi = std::sin(theta0);
  const double rr = std::cos(dtheta), ri = std::sin(dtheta);
  double* pr = pw_r.data();
  double* pi = pw_i.data();
  const int hmax = max_order;
  const int* order = t_order.data();
  const double* re = t_re.data();
  const double* im = t_im.data();
  const SlotPlan* sp = slots.data();
  for (size_t f = 0; f < frames; ++f) {
    pr[1] = zr;
    pi[1] = zi;
    for (int h = 2; h <= hmax; ++h) {
      pr[h] = pr[h - 1] * zr - pi[h - 1] * zi;
      pi[h] = pr[h - 1] * zi + pi[h - 1] * zr;
    }
    for (size_t s = 0; s < m; ++s) {
      const SlotPlan& p = sp[s];
      double v = 0;
      for (uint32_t k = p.term_begin; k < p.term_end; ++k) {
        const int h = order[k];
        v += re[k] * pi[h] + im[k] * pr[h];
      }
      if (std::fabs(v) > p.knee) v = saturate(v, p.knee);
      if constexpr (kReal) {
        out[s] = adc.convert_real(p.in, v);
      } else {
        out[s] = adc.quantise(p.in.level + v);
      }
    }
    out += m;
    const double nr = zr * rr - zi * ri;
    zi = zr * ri + zi * rr;
    zr = nr;
  }
}

uint16_t Simulator::Impl::convert_one(uint8_t input, double counts, double knee) {
  if (std::fabs(counts) > knee) counts = saturate(counts, knee);
  return adc.convert(input, counts);
}

void Simulator::Impl::fill_block(measure::SampleBlock& block) {
  const size_t m = block.scan.size();
  const size_t frames = block.codes.size() / m;
  const double d = block.conversion_ns;
  const double frame_ns = d * static_cast<double>(m);
  const double last_slot = d * static_cast<double>(m - 1);
  const int64_t start = block.start_ns;
  ensure_covers(start, frame_ns * static_cast<double>(frames) + 1);
  const bool real = adc.model().mode == AdcMode::kReal;

  size_t ci = cycle_at(0, start);
  size_t f = 0;
  while (f < frames) {
    const Cycle& c = cycles[ci].cycle;
    const double a = c.start.since(start);
    const double b = a + c.period_ns;
    const double tf = static_cast<double>(f) * frame_ns;
    if (tf >= b) {
      ++ci;
      continue;
    }
    // Frames [f, f_end) lie wholly inside this cycle.
    size_t f_end = f;
    const double lim = (b - last_slot) / frame_ns;
    if (lim > static_cast<double>(f)) f_end = std::min(frames, static_cast<size_t>(std::ceil(lim)));
    while (f_end > f && static_cast<double>(f_end - 1) * frame_ns + last_slot >= b) --f_end;
    while (f_end < frames && static_cast<double>(f_end) * frame_ns + last_slot < b) ++f_end;
    if (f_end > f) {
      prepare_slots(c, block.scan, d);
      const double omega = 2 * std::numbers::pi * c.hz * 1e-9;
      uint16_t* out = block.codes.data() + f * m;
      if (real) {
        fill_fast<true>(out, m, f_end - f, omega * (tf - a), omega * frame_ns);
      } else {
        fill_fast<false>(out, m, f_end - f, omega * (tf - a), omega * frame_ns);
      }
      f = f_end;
    }
    if (f < frames && static_cast<double>(f) * frame_ns < b) {
      // The frame that straddles the boundary: slot by slot, each in its own cycle.
      const double t0 = static_cast<double>(f) * frame_ns;
      for (size_t s = 0; s < m; ++s) {
        const double t = t0 + d * static_cast<double>(s);
        const size_t k = t < b ? ci : ci + 1;
        const Cycle& cs = cycles[k].cycle;
        const double theta = 2 * std::numbers::pi * cs.hz * 1e-9 * (t - cs.start.since(start));
        const uint8_t input = block.scan[s];
        const int idx = channel_of_input[input];
        double v = 0;
        double knee = std::numeric_limits<double>::infinity();
        if (idx >= 0) {
          const ChannelCycle& cc = cs.channels[static_cast<size_t>(idx)];
          v = value_at(cc.adc, theta);
          knee = cc.knee_counts;
        }
        block.codes[f * m + s] = convert_one(input, v, knee);
      }
      ++f;
    }
  }
}

void Simulator::Impl::prune() {
  while (cycles.size() > 1 && cycles[1].cycle.start.since(next_ns) <= -kRetainNs) cycles.pop_front();
}

Result<Truth> Simulator::Impl::truth_until(int64_t ns, Accrual accrual) {
  if (ns < start_ns) {
    return Status::InvalidArgument("truth_until(" + std::to_string(ns) + "): before the simulation start " +
                                   std::to_string(start_ns));
  }
  ensure_covers(ns, 0);
  if (cycles.front().cycle.start.since(ns) > 0) {
    return Status::InvalidArgument("truth_until(" + std::to_string(ns) +
                                   "): before the retained window (about 1 s before the next block)");
  }
  const size_t k = cycle_at(0, ns);
  const Retained& r = cycles[k];
  const double span = -r.cycle.start.since(ns);
  Truth truth;
  truth.from_ns = start_ns;
  truth.until_ns = ns;
  truth.channels.resize(panel.channels.size());
  for (size_t i = 0; i < panel.channels.size(); ++i) {
    const Channel& ch = panel.channels[i];
    TruthSums sums = r.before[i];
    if (accrual == Accrual::kCycleMean) sums += mean_adjust[i];
    sums.add(r.cycle.channels[i], r.cycle.hz, r.cycle.period_ns, std::min(span, r.cycle.period_ns), 1, accrual);
    ChannelTruth& out = truth.channels[i];
    out.input = ch.input;
    out.name = ch.name;
    out.is_vt = ch.type == ChannelType::kVT;
    sums.fill(out);
  }
  return truth;
}

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Simulator::~Simulator() = default;

Result<std::unique_ptr<Simulator>> Simulator::create(Panel panel, source::SamplingPlan plan, int64_t start_ns,
                                                     uint64_t seed, SimulatorOptions options) {
  if (Status s = panel.validate(); !s) return Status::InvalidArgument("simulator: " + s.message());
  if (!(plan.conversions_per_second > 0))
    return Status::InvalidArgument("simulator: conversions_per_second must be positive");
  if (plan.mode == source::SamplingMode::kContinuous) {
    if (plan.continuous_scan().empty()) return Status::InvalidArgument("simulator: the plan converts no inputs");
    if (plan.frames_per_block == 0) return Status::InvalidArgument("simulator: frames_per_block must be positive");
  } else {
    if (plan.round_robin_scans().empty()) return Status::InvalidArgument("simulator: the plan converts no inputs");
    if (!(plan.nominal_hz > 0) || !(plan.capture_cycles > 0)) {
      return Status::InvalidArgument("simulator: round robin needs positive nominal_hz and capture_cycles");
    }
  }
  auto impl = std::make_unique<Impl>(std::move(panel), std::move(plan), start_ns, seed);
  impl->gen = std::make_unique<CycleGenerator>(impl->panel, start_ns, seed, options.realism);
  impl->channel_of_input.fill(-1);
  for (size_t i = 0; i < impl->panel.channels.size(); ++i) {
    impl->channel_of_input[static_cast<size_t>(impl->panel.channels[i].input)] = static_cast<int>(i);
  }
  impl->conversion_ns = 1e9L / static_cast<long double>(impl->plan.conversions_per_second);
  impl->next_ns = start_ns;
  impl->continuous_scan = impl->plan.continuous_scan();
  impl->rr_scans = impl->plan.round_robin_scans();
  impl->ensure_covers(start_ns, 0);
  return std::unique_ptr<Simulator>(new Simulator(std::move(impl)));
}

Status Simulator::read(measure::SampleBlock& block) {
  Impl& s = *impl_;
  const bool continuous = s.plan.mode == source::SamplingMode::kContinuous;
  const std::vector<uint8_t>& scan = continuous ? s.continuous_scan : s.rr_scans[s.rr_next];
  if (!continuous) s.rr_next = (s.rr_next + 1) % s.rr_scans.size();
  const size_t frames = continuous ? s.plan.frames_per_block : s.plan.round_robin_frames(scan.size());
  block.start_ns = s.next_ns;
  block.conversion_ns = static_cast<double>(s.conversion_ns);
  block.adc_bits = s.adc.model().effective_bits();
  block.scan = scan;
  block.codes.resize(frames * scan.size());
  s.fill_block(block);
  s.conversions += block.codes.size();
  s.next_ns = s.start_ns + std::llround(static_cast<long double>(s.conversions) * s.conversion_ns);
  s.prune();
  return Status::Ok();
}

std::string Simulator::describe() const {
  const Impl& s = *impl_;
  std::ostringstream out;
  out << "panel simulator: scenario " << s.panel.scenario << ", " << s.panel.channels.size() << " channels, ";
  if (s.adc.model().mode == AdcMode::kIdeal) {
    out << "ideal ADC (16-bit codes)";
  } else {
    out << s.adc.model().bits << "-bit ADC model";
  }
  out << ", " << source::to_string(s.plan.mode) << " at " << s.plan.conversions_per_second << " conversions/s";
  return out.str();
}

const Panel& Simulator::panel() const { return impl_->panel; }
const source::SamplingPlan& Simulator::plan() const { return impl_->plan; }
const Adc& Simulator::adc() const { return impl_->adc; }
int64_t Simulator::start_ns() const { return impl_->start_ns; }
int64_t Simulator::next_block_ns() const { return impl_->next_ns; }
uint64_t Simulator::conversions() const { return impl_->conversions; }
Result<Truth> Simulator::truth_until(int64_t ns, Accrual accrual) { return impl_->truth_until(ns, accrual); }

Truth Simulator::truth() { return std::move(impl_->truth_until(impl_->next_ns, Accrual::kExact)).value(); }

std::vector<TrueStep> Simulator::take_steps() {
  std::vector<TrueStep> out;
  out.swap(impl_->steps);
  return out;
}

}  // namespace iw::sim
