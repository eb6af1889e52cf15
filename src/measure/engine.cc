#include "measure/engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace iw::measure {
namespace {

constexpr double kMinHz = 40;
constexpr double kMaxHz = 70;
constexpr int kMinFramesPerCycle = 16;
// Phase shifts are wrapped into (kMaxLeadDeg - 360, kMaxLeadDeg]: at most this much of the
// future is needed after a cycle, everything else comes from its past.
constexpr double kMaxLeadDeg = 20;
// Crossing hysteresis, in 12-bit counts: well above ADC noise, far below any mains voltage.
constexpr double kHysteresisCounts = 8;

double wrap_shift_deg(double deg) {
  while (deg > kMaxLeadDeg) deg -= 360;
  while (deg <= kMaxLeadDeg - 360) deg += 360;
  return deg;
}

// Linear interpolation at fraction `frac` between samples scales a sinusoid of
// `cycle_frames` samples per period by |1 - frac + frac * e^(i*theta)|, theta = 2 pi /
// cycle_frames (a 0.005 % loss at 266 samples per cycle). Power is divided by it, which makes
// the fundamental exact; harmonics keep a residual of order h^2 times smaller weight.
double interpolation_gain(double frac, double cycle_frames) {
  const double theta = 2 * std::numbers::pi / cycle_frames;
  const double g2 = (1 - frac) * (1 - frac) + frac * frac + 2 * frac * (1 - frac) * std::cos(theta);
  return std::sqrt(g2);
}

void count_clipped(ChannelLive& live, uint32_t clipped) {
  live.clipped_last_cycle = clipped;
  live.clipped_samples += clipped;
}

// A cycle [a, b) (fractional frame positions) holds n = ceil(b) - ceil(a) whole samples but
// lasts L = b - a frames, and is credited for L. Dividing sums over the n samples by n reads
// P L / n, an error of (L - n) / n up to 1/N that only cancels between contiguous cycles, never
// in an isolated round-robin capture (README "Round robin"). Sums therefore integrate the
// linear interpolant of the samples over exactly [a, b]: the samples of [m0, m1) with weight 1,
// plus these end corrections (alpha = m0 - a, beta = b - (m1 - 1)), and are divided by L.
struct CycleWindow {
  int64_t m0 = 0, m1 = 0;
  double span = 0;  // L, the sum of the weights
  int64_t at[4] = {};
  double extra[4] = {};  // weight added at at[k]
};

CycleWindow cycle_window(double a, double b) {
  CycleWindow w;
  w.m0 = static_cast<int64_t>(std::ceil(a));
  w.m1 = static_cast<int64_t>(std::ceil(b));
  w.span = b - a;
  const double alpha = static_cast<double>(w.m0) - a;
  const double beta = b - static_cast<double>(w.m1 - 1);
  w.at[0] = w.m0 - 1;
  w.extra[0] = alpha * alpha / 2;
  w.at[1] = w.m0;
  w.extra[1] = alpha - alpha * alpha / 2 - 0.5;
  w.at[2] = w.m1 - 1;
  w.extra[2] = beta - beta * beta / 2 - 0.5;
  w.at[3] = w.m1;
  w.extra[3] = beta * beta / 2;
  return w;
}

size_t next_pow2(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

struct Engine::VtLane {
  size_t channel = 0;
  size_t slot = 0;
  double sign = 1;
  std::vector<double> v;  // offset-corrected samples, ring indexed like the frames
  CrossingDetector detector;
  std::vector<double> crossings;                 // positions since the open cycle's start (at most 3 kept)
  std::vector<std::pair<double, double>> ready;  // closed cycles [a, b) awaiting measurement
  double credited_s = 0;                         // every channel of this lane is credited up to here
  double last_crossing_s = 0;
  std::vector<size_t> cts;  // indexes into cts_
};

struct Engine::CtLane {
  size_t channel = 0;
  size_t slot = 0;
  double sign = 1;
};

Engine::Engine(EngineSetup setup)
    : setup_(std::move(setup)),
      buckets_(setup_.channels.size()),
      live_(setup_.channels.size()),
      offset_(setup_.channels.size(), -1),
      steps_(setup_.step_queue_capacity) {
  detectors_.reserve(setup_.channels.size());
  for (size_t ch = 0; ch < setup_.channels.size(); ++ch) {
    detectors_.emplace_back(static_cast<uint16_t>(ch), setup_.channels[ch].steps);
  }
  checkpoint_.counters.resize(setup_.channels.size());
  checkpoint_.live = &live_;
  checkpoint_.stats = &stats_;
}

Engine::~Engine() = default;

void Engine::set_checkpoints(int64_t interval_ns, CheckpointSink sink) {
  checkpoint_ns_ = interval_ns;
  sink_ = std::move(sink);
  next_checkpoint_ns_ = 0;
}

void Engine::restore(size_t channel, const ChannelCounters& counters) {
  buckets_[channel].mutable_counters() = counters;
}

int64_t Engine::credited_until_ns() const {
  double until = frames_ > 0 ? frame_time(static_cast<double>(frames_ - 1)) : next_start_s_;
  for (const VtLane& lane : vts_) until = std::min(until, lane.credited_s);
  return origin_ns_ + static_cast<int64_t>(std::llround(until * 1e9));
}

bool Engine::continues(const SampleBlock& block) const {
  if (frames_ == 0 || block.scan != scan_ || block.adc_bits != adc_bits_) return false;
  if (block.frames() > ring_block_frames_) return false;  // the ring must grow
  const double start_s = static_cast<double>(block.start_ns - origin_ns_) * 1e-9;
  const double gap = start_s - next_start_s_;
  return gap > -0.5 * conversion_s_ && gap < setup_.max_gap_seconds;
}

void Engine::restart(const SampleBlock& block) {
  if (frames_ > 0) {
    measure_ready_cycles(/*flushing=*/true);
    ++stats_.restarts;
  }
  scan_ = block.scan;
  slots_ = scan_.size();
  if (adc_bits_ != block.adc_bits) {
    std::fill(offset_.begin(), offset_.end(), -1.0);
    adc_bits_ = block.adc_bits;
  }
  count_scale_ = std::ldexp(1.0, 12 - adc_bits_);
  full_scale_code_ = static_cast<uint16_t>((1u << adc_bits_) - 1);
  conversion_s_ = block.conversion_ns * 1e-9;
  frame_s_ = conversion_s_ * static_cast<double>(slots_);
  slot_s_.assign(slots_, 0);
  frames_ = 0;

  // Ring: a block, plus two slowest cycles of history, plus the look-ahead.
  const double frames_per_cycle = 1.0 / (kMinHz * frame_s_);
  lookahead_frames_ = 2 + kMaxLeadDeg / 360.0 * frames_per_cycle;
  ring_block_frames_ = block.frames();
  ring_frames_ = next_pow2(block.frames() + static_cast<size_t>(3 * frames_per_cycle) + 64);
  mask_ = static_cast<int64_t>(ring_frames_) - 1;
  codes_.assign(ring_frames_ * slots_, 0);
  frame_times_.assign(ring_frames_, 0);

  const double start_s = static_cast<double>(block.start_ns - origin_ns_) * 1e-9;
  vts_.clear();
  cts_.clear();
  for (size_t s = 0; s < slots_; ++s) {
    const size_t ch = scan_[s];
    if (ch >= setup_.channels.size()) continue;
    const ChannelSetup& cs = setup_.channels[ch];
    if (cs.kind != ChannelKind::kVoltage) continue;
    if (std::any_of(vts_.begin(), vts_.end(), [&](const VtLane& l) { return l.channel == ch; }))
      continue;  // a VT twice in the scan (round-robin voltage capture): first slot serves
    VtLane lane;
    lane.channel = ch;
    lane.slot = s;
    lane.sign = cs.reverse ? -1 : 1;
    lane.v.assign(ring_frames_, 0);
    lane.detector.set_hysteresis(kHysteresisCounts / count_scale_);
    lane.credited_s = start_s;
    lane.last_crossing_s = start_s;
    vts_.push_back(std::move(lane));
  }
  for (size_t s = 0; s < slots_; ++s) {
    const size_t ch = scan_[s];
    if (ch >= setup_.channels.size()) continue;
    const ChannelSetup& cs = setup_.channels[ch];
    if (cs.kind != ChannelKind::kCurrent) continue;
    for (VtLane& lane : vts_) {
      if (lane.channel != static_cast<size_t>(cs.vt)) continue;
      lane.cts.push_back(cts_.size());
      cts_.push_back(CtLane{ch, s, cs.reverse ? -1.0 : 1.0});
    }
  }
  const double mid = std::ldexp(1.0, adc_bits_ - 1);
  for (size_t s = 0; s < slots_; ++s) {
    if (scan_[s] < offset_.size() && offset_[scan_[s]] < 0) offset_[scan_[s]] = mid;
  }
}

void Engine::process(const SampleBlock& block) {
  if (block.slots() == 0 || block.frames() == 0 || block.conversion_ns <= 0) return;
  if (!have_origin_) {
    have_origin_ = true;
    origin_ns_ = block.start_ns;
    if (checkpoint_ns_ > 0) {
      next_checkpoint_ns_ = (block.start_ns / checkpoint_ns_ + 1) * checkpoint_ns_;
      for (Bucket& bucket : buckets_) bucket.mark_every(next_checkpoint_ns_, checkpoint_ns_, origin_ns_);
    }
  }
  if (!continues(block)) restart(block);
  ++stats_.blocks;
  stats_.conversions += block.codes.size();
  ingest(block);
  measure_ready_cycles(/*flushing=*/false);
  emit_checkpoints();
}

void Engine::ingest(const SampleBlock& block) {
  const double start_s = static_cast<double>(block.start_ns - origin_ns_) * 1e-9;
  const size_t n = block.frames();
  const double block_frame_s = block.frame_ns() * 1e-9;
  for (size_t f = 0; f < n; ++f) {
    const int64_t g = frames_ + static_cast<int64_t>(f);
    const size_t r = static_cast<size_t>(g & mask_);
    std::copy_n(&block.codes[f * slots_], slots_, &codes_[r * slots_]);
    frame_times_[r] = start_s + block_frame_s * static_cast<double>(f);
  }
  for (VtLane& lane : vts_) {
    const double offset = offset_[lane.channel];
    for (size_t f = 0; f < n; ++f) {
      const int64_t g = frames_ + static_cast<int64_t>(f);
      const double v = lane.sign * (block.code(f, lane.slot) - offset);
      lane.v[static_cast<size_t>(g & mask_)] = v;
      double position;
      if (!lane.detector.feed(g, v, &position)) continue;
      lane.crossings.push_back(position);
      if (lane.crossings.size() == 3) {
        lane.ready.emplace_back(lane.crossings[0], lane.crossings[2]);
        lane.crossings.erase(lane.crossings.begin(), lane.crossings.begin() + 2);
      }
    }
  }
  frames_ += static_cast<int64_t>(n);
  next_start_s_ = start_s + block_frame_s * static_cast<double>(n);
  conversion_s_ = block.conversion_ns * 1e-9;
  frame_s_ = block_frame_s;
  for (size_t s = 0; s < slots_; ++s) slot_s_[s] = block.slot_ns(s) * 1e-9;
}

void Engine::measure_ready_cycles(bool flushing) {
  const double available = static_cast<double>(frames_);
  for (;;) {
    // Measure in time order across lanes, so that checkpoints find every channel's last
    // credited span around them.
    VtLane* next = nullptr;
    for (VtLane& lane : vts_) {
      if (lane.ready.empty()) continue;
      const double b = lane.ready.front().second;
      const bool enough = flushing ? b + 2 <= available : b + lookahead_frames_ <= available;
      if (!enough) continue;
      if (next == nullptr || b < next->ready.front().second) next = &lane;
    }
    if (next == nullptr) break;
    const auto [a, b] = next->ready.front();
    next->ready.erase(next->ready.begin());
    measure_cycle(*next, a, b);
  }
  const double now_s = frames_ > 0 ? frame_time(available - 1) : next_start_s_;
  for (VtLane& lane : vts_) {
    if (now_s - lane.last_crossing_s > setup_.dead_voltage_seconds && lane.ready.empty()) {
      credit_dead_time(lane, now_s);
    }
  }
}

double Engine::frame_time(double position) const {
  const int64_t i = static_cast<int64_t>(std::floor(position));
  const double frac = position - static_cast<double>(i);
  const double t0 = frame_times_[static_cast<size_t>(i & mask_)];
  if (frac == 0) return t0;
  return t0 + frac * frame_s_;
}

double Engine::v_at(const VtLane& lane, double x, double cycle_frames) const {
  const double oldest = static_cast<double>(std::max<int64_t>(0, frames_ - static_cast<int64_t>(ring_frames_)));
  const double newest = static_cast<double>(frames_ - 2);
  if (x < oldest) x += cycle_frames;
  if (x > newest) x -= cycle_frames;
  const int64_t j = static_cast<int64_t>(std::floor(x));
  const double frac = x - static_cast<double>(j);
  const double v0 = lane.v[static_cast<size_t>(j & mask_)];
  const double v1 = lane.v[static_cast<size_t>((j + 1) & mask_)];
  return v0 + frac * (v1 - v0);
}

void Engine::measure_cycle(VtLane& lane, double a, double b) {
  const int64_t m0 = static_cast<int64_t>(std::ceil(a));
  const int64_t m1 = static_cast<int64_t>(std::ceil(b));
  const int64_t n = m1 - m0;
  const double vt_slot_s = slot_s_[lane.slot];
  const double t_a = frame_time(a) + vt_slot_s;
  const double t_b = frame_time(b) + vt_slot_s;
  lane.last_crossing_s = t_b;
  const double period = t_b - t_a;
  const double hz = period > 0 ? 1.0 / period : 0;
  if (n < kMinFramesPerCycle || hz < kMinHz || hz > kMaxHz) {
    ++stats_.dropped_cycles;
    return;
  }
  if (t_a > lane.credited_s + setup_.dead_voltage_seconds) credit_dead_time(lane, t_a);

  const CycleWindow w = cycle_window(a, b);
  double sum = 0, sum2 = 0;
  for (int64_t m = m0; m < m1; ++m) {
    const double v = lane.v[static_cast<size_t>(m & mask_)];
    sum += v;
    sum2 += v * v;
  }
  for (int k = 0; k < 4; ++k) {
    const double v = lane.v[static_cast<size_t>(w.at[k] & mask_)];
    sum += w.extra[k] * v;
    sum2 += w.extra[k] * v * v;
  }
  const double nn = static_cast<double>(n);
  const double mean = sum / w.span;
  const double rms_codes = std::sqrt(std::max(0.0, sum2 / w.span - mean * mean));
  const ChannelSetup& cs = setup_.channels[lane.channel];
  const double vrms = rms_codes * count_scale_ * cs.units_per_count;
  const double vt_lead = cs.phase.lead_deg(vrms, hz);
  offset_[lane.channel] += lane.sign * mean;

  ChannelValues values;
  values.volts = vrms;
  values.hz = hz;
  credit(lane.channel, t_a, t_b, values);
  ChannelLive& live = live_[lane.channel];
  live.values = values;
  live.lead_deg = vt_lead;
  count_clipped(live, clipped(m0, m1, lane.slot));
  ++live.cycles;
  ++stats_.cycles;
  ++stats_.channel_cycles;
  stats_.samples_per_cycle = nn;

  for (size_t k : lane.cts) measure_ct(lane, cts_[k], a, b, t_a, t_b, hz, vrms, vt_lead);
  lane.credited_s = std::max(lane.credited_s, t_b);
}

void Engine::measure_ct(const VtLane& lane, CtLane& ct, double a, double b, double t_a, double t_b, double hz,
                        double vrms, double vt_lead) {
  const ChannelSetup& cs = setup_.channels[ct.channel];
  const int64_t m0 = static_cast<int64_t>(std::ceil(a));
  const int64_t m1 = static_cast<int64_t>(std::ceil(b));
  const CycleWindow w = cycle_window(a, b);
  const double nn = w.span;
  const double offset = offset_[ct.channel];

  // Pass 1: current alone, for the current-dependent CT lead; and its extreme codes.
  double si = 0, sii = 0;
  double lo = code(m0, ct.slot), hi = lo;
  for (int64_t m = m0; m < m1; ++m) {
    const double c = code(m, ct.slot);
    const double i = ct.sign * (c - offset);
    si += i;
    sii += i * i;
    lo = std::min(lo, c);
    hi = std::max(hi, c);
  }
  for (int k = 0; k < 4; ++k) {
    const double i = ct.sign * (code(w.at[k], ct.slot) - offset);
    si += w.extra[k] * i;
    sii += w.extra[k] * i * i;
  }
  const double mean_i = si / nn;
  const double irms_counts = std::sqrt(std::max(0.0, sii / nn - mean_i * mean_i)) * count_scale_;
  const double irms = irms_counts * cs.units_per_count;
  const double ct_lead = cs.phase.lead_deg(irms, hz);
  offset_[ct.channel] += ct.sign * mean_i;

  // Pass 2: pair each current sample with the voltage at its corrected instant.
  const double cycle_frames = b - a;
  const double shift_deg = wrap_shift_deg(ct_lead - vt_lead - cs.vphase_deg);
  const double d = (slot_s_[ct.slot] - slot_s_[lane.slot]) / frame_s_ + shift_deg / 360.0 * cycle_frames;
  // Reactive power from the same pairs: with v = V cos(wt) and i = I cos(wt - phi) (phi > 0
  // lagging), the central difference i[m+1] - i[m-1] = -2 I sin(theta) sin(wt - phi), theta =
  // 2 pi / cycle_frames, so mean(v * (i[m+1] - i[m-1])) / (2 sin theta) = V I sin(phi) / 2 = Q,
  // exactly for the fundamental at any sampling rate. The offset cancels in the difference.
  double sv = 0, svi = 0, sdi = 0, svdi = 0;
  for (int64_t m = m0; m < m1; ++m) {
    const double i = ct.sign * (code(m, ct.slot) - offset);
    const double di = ct.sign * (code(m + 1, ct.slot) - code(m - 1, ct.slot));
    const double v = v_at(lane, static_cast<double>(m) + d, cycle_frames);
    sv += v;
    svi += v * i;
    sdi += di;
    svdi += v * di;
  }
  for (int k = 0; k < 4; ++k) {
    const double i = ct.sign * (code(w.at[k], ct.slot) - offset);
    const double v = v_at(lane, static_cast<double>(w.at[k]) + d, cycle_frames);
    sv += w.extra[k] * v;
    svi += w.extra[k] * v * i;
  }
  const double vt_units = setup_.channels[lane.channel].units_per_count * count_scale_;
  const double gain = interpolation_gain(d - std::floor(d), cycle_frames);
  const double power_codes = (svi / nn - (sv / nn) * mean_i) / gain;
  const double quadrature_codes =
      (svdi / nn - (sv / nn) * (sdi / nn)) / (2 * std::sin(2 * std::numbers::pi / cycle_frames)) / gain;
  const double to_watts = vt_units * count_scale_ * cs.units_per_count * cs.vmult;
  double watts = power_codes * to_watts;
  double signed_var = quadrature_codes * to_watts;

  ChannelValues values;
  values.volts = vrms * cs.vmult;
  values.hz = hz;
  ChannelLive& live = live_[ct.channel];
  live.reversed = false;
  if (irms_counts >= setup_.noise_floor_counts) {
    if (!cs.allow_negative && watts < 0) {
      live.reversed = -watts > setup_.reversed_watts;
      watts = -watts;
      signed_var = -signed_var;  // the folded current: the CT turned round
    }
    values.watts = watts;
    values.amps = irms;
    values.va = vrms * cs.vmult * irms;
    values.var = std::sqrt(std::max(0.0, values.va * values.va - watts * watts));
    const double mean_code = offset + ct.sign * mean_i;
    live.peak_amps = std::max(hi - mean_code, mean_code - lo) * count_scale_ * cs.units_per_count;
  } else {
    signed_var = 0;
    live.peak_amps = 0;
  }
  live.signed_var = signed_var;
  live.measured_s += t_b - t_a;
  live.watt_s += values.watts * (t_b - t_a);
  live.var_s += signed_var * (t_b - t_a);
  credit(ct.channel, t_a, t_b, values);
  live.values = values;
  live.lead_deg = ct_lead;
  live.last_phase_deg = ct_lead - vt_lead;
  count_clipped(live, clipped(m0, m1, ct.slot));
  ++live.cycles;
  ++stats_.channel_cycles;
  if (cs.steps.enabled) {
    const StepCycle cycle{origin_ns_ + static_cast<int64_t>(std::llround(t_a * 1e9)), values.watts, signed_var,
                          values.amps, live.peak_amps};
    detectors_[ct.channel].add(cycle, steps_);
  }
}

uint32_t Engine::clipped(int64_t m0, int64_t m1, size_t slot) const {
  uint32_t n = 0;
  for (int64_t m = m0; m < m1; ++m) {
    const uint16_t c = codes_[static_cast<size_t>(m & mask_) * slots_ + slot];
    n += static_cast<uint32_t>(c == 0 || c == full_scale_code_);
  }
  return n;
}

void Engine::credit_dead_time(VtLane& lane, double until_s) {
  if (until_s <= lane.credited_s) return;
  const double from = lane.credited_s;
  ChannelValues zero;
  credit(lane.channel, from, until_s, zero);
  live_[lane.channel].values = zero;
  for (size_t k : lane.cts) {
    credit(cts_[k].channel, from, until_s, zero);
    live_[cts_[k].channel].values = zero;
  }
  lane.credited_s = until_s;
  lane.last_crossing_s = until_s;
  lane.crossings.clear();  // a new cycle starts at the next crossing
}

void Engine::credit(size_t ch, double t_a, double t_b, const ChannelValues& v) { buckets_[ch].credit(t_a, t_b, v); }

void Engine::emit_checkpoints() {
  if (checkpoint_ns_ <= 0 || !sink_) return;
  const int64_t until_ns = credited_until_ns();
  while (next_checkpoint_ns_ <= until_ns) {
    const double at_s = static_cast<double>(next_checkpoint_ns_ - origin_ns_) * 1e-9;
    for (size_t ch = 0; ch < buckets_.size(); ++ch) {
      Bucket& bucket = buckets_[ch];
      if (bucket.aged_until() < at_s) bucket.age_to(at_s);  // held since its last look
      checkpoint_.counters[ch] = bucket.take_mark();
    }
    checkpoint_.time_ns = next_checkpoint_ns_;
    sink_(checkpoint_);
    next_checkpoint_ns_ += checkpoint_ns_;
  }
}

}  // namespace iw::measure
