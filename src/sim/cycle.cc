#include "sim/cycle.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>

namespace iw::sim {

Instant Instant::plus(double dns) const {
  const double total = frac + dns;
  const double whole = std::floor(total);
  Instant out;
  out.ns = ns + static_cast<int64_t>(whole);
  out.frac = total - whole;
  if (out.frac >= 1) {  // rounding at the top of the range
    out.frac -= 1;
    ++out.ns;
  }
  return out;
}

namespace {

double draw(SplitMix& rng, double lo, double hi) { return rng.uniform(lo, hi); }

constexpr double kDegToRad = std::numbers::pi / 180;

}  // namespace

CycleGenerator::CycleGenerator(const Panel& panel, int64_t start_ns, uint64_t seed, bool realism)
    : panel_(&panel), start_ns_(start_ns), daily_(panel, seed, realism) {
  SplitMix seeds(seed);
  // Start at a random point of the first cycle, so runs do not all begin at a crossing.
  const double phase = std::min(0.999, seeds.uniform());
  const double period0 = 1e9 / panel.mains.frequency_at(0);
  next_start_ = Instant{start_ns, 0}.plus(-phase * period0);

  daily_.set_time(static_cast<double>(start_ns) * 1e-9);
  states_.resize(panel.loads.size());
  for (size_t i = 0; i < panel.loads.size(); ++i) {
    LoadState& st = states_[i];
    st.rng = SplitMix(seeds.next());
    const auto& sw = panel.loads[i].switching;
    if (!sw) continue;
    // On with the probability of the load's level at the start (not a kettle boiling at
    // 3 am because the simulation started then).
    st.on = st.rng.uniform() < on_fraction(*sw, daily_.level(i));
    const double first = st.on ? draw(st.rng, sw->on_min_s, sw->on_max_s) : draw(st.rng, sw->off_min_s, sw->off_max_s);
    st.next_toggle_s = first * st.rng.uniform();  // part of a period already elapsed
  }
}

// On/off states at the start of cycle c, `since_s` after start_ns and `elapsed_s` after the
// previous cycle's start. The schedule clock runs at 1 while a load is on and at its level
// while off; every rate is constant within a cycle (the cycle-boundary rule).
void CycleGenerator::switch_loads(Cycle& c, double since_s, double elapsed_s) {
  const Panel& p = *panel_;
  c.load_on.resize(p.loads.size());
  for (size_t i = 0; i < p.loads.size(); ++i) {
    LoadState& st = states_[i];
    const auto& sw = p.loads[i].switching;
    if (sw) {
      if (!st.on && st.rate != 1) st.lag_s += (1 - st.rate) * elapsed_s;
      st.rate = daily_.level(i);
      while (since_s - st.lag_s >= st.next_toggle_s) {
        st.on = !st.on;
        st.next_toggle_s +=
            st.on ? draw(st.rng, sw->on_min_s, sw->on_max_s) : draw(st.rng, sw->off_min_s, sw->off_max_s);
      }
    }
    c.load_on[i] = st.on ? 1 : 0;
  }
}

void CycleGenerator::run_programs(Cycle& c, double since_s,
                                  std::vector<std::pair<size_t, ProgramState::Change>>& changes) {
  const Panel& p = *panel_;
  for (size_t i = 0; i < p.loads.size(); ++i) {
    const auto& program = p.loads[i].program;
    if (!program) continue;
    LoadState& st = states_[i];
    ProgramState::Change change;
    if (st.program.advance(*program, since_s, c.period_ns * 1e-9, st.rng, change)) changes.emplace_back(i, change);
    c.load_on[i] = st.program.level() > 0 ? 1 : 0;
  }
}

Cycle CycleGenerator::next() {
  const Panel& p = *panel_;
  Cycle c;
  c.index = index_++;
  c.start = next_start_;
  const double since_s = c.start.since(start_ns_) * 1e-9;
  c.hz = p.mains.frequency_at(since_s);
  c.period_ns = 1e9 / c.hz;
  next_start_ = c.end();

  // The daily model and the load states, decided at this boundary.
  daily_.set_time(static_cast<double>(c.start.ns) * 1e-9);
  switch_loads(c, since_s, c.index == 0 ? 0 : since_s - previous_since_s_);
  previous_since_s_ = since_s;
  std::vector<std::pair<size_t, ProgramState::Change>> changes;
  run_programs(c, since_s, changes);

  const double volts = daily_.volts();
  std::array<std::optional<Spectrum>, 6> voltages;
  auto voltage = [&](Line line) -> const Spectrum& {
    auto& slot = voltages[static_cast<size_t>(line)];
    if (!slot) slot = volts == 1 ? p.mains.voltage(line) : scaled(p.mains.voltage(line), volts);
    return *slot;
  };

  std::vector<Spectrum> currents(p.loads.size());
  for (size_t i = 0; i < p.loads.size(); ++i) {
    if (!c.load_on[i]) continue;
    const Load& l = p.loads[i];
    const bool solar = l.kind == LoadKind::kSolar;
    currents[i] = l.current(voltage(l.line), p.mains.nominal_volts(l.line), solar ? daily_.sun(i) : 1);
    // A switching load's level sets how often it runs, not how much it draws; a programmed
    // load's level is its program's.
    double level = solar || l.switching || l.program ? 1 : daily_.level(i);
    if (l.program) level *= states_[i].program.level();
    if (l.fluctuation > 0) level *= 1 + states_[i].rng.symmetric(l.fluctuation);
    if (level != 1) currents[i] = scaled(currents[i], level);
  }
  // The sign with which load i's current flows in a CT channel's conductor (0: not at all).
  auto sign_in = [&p](const Channel& ch, size_t i) {
    const bool listed = ch.mains || std::find(ch.loads.begin(), ch.loads.end(), static_cast<int>(i)) != ch.loads.end();
    return listed ? conductor_sign(p.loads[i].line, ch.line) : 0;
  };

  const double lsb = p.adc.lsb_volts();
  c.channels.resize(p.channels.size());
  for (size_t k = 0; k < p.channels.size(); ++k) {
    const Channel& ch = p.channels[k];
    ChannelCycle& out = c.channels[k];
    const double mount = ch.flipped ? -1 : 1;
    if (ch.type == ChannelType::kVT) {
      out.volts = voltage(ch.line);
      out.vrms = rms(out.volts);
      out.lead_deg = ch.vt.lead_deg(out.vrms, c.hz);
      out.adc = scaled(advanced(out.volts, out.lead_deg * kDegToRad),
                       ch.overdrive * mount / (ch.vt.true_ratio() * p.board_divider * lsb));
      continue;
    }
    Spectrum amps;
    for (size_t i = 0; i < p.loads.size(); ++i) {
      if (currents[i].empty()) continue;
      const int sign = sign_in(ch, i);
      if (sign != 0) add_to(amps, currents[i], static_cast<double>(sign));
    }
    out.amps = std::move(amps);
    out.irms = rms(out.amps);
    out.volts = voltage(ch.truth_voltage_line());
    out.vrms = rms(out.volts);
    out.watts = mean_product(out.volts, out.amps);
    out.lead_deg = ch.ct.lead_deg(out.irms, c.hz);
    const double counts_per_amp = ch.overdrive / (ch.ct.true_cal() * lsb);
    out.adc = scaled(advanced(out.amps, out.lead_deg * kDegToRad), mount * counts_per_amp);
    out.knee_counts = ch.ct.knee * ch.ct.rating_amps * std::sqrt(2.0) * counts_per_amp;
  }

  // Truth of the programmed steps: the load's power at level 1 against each channel's true
  // voltage, times the change of its settled level (power is linear in the level).
  for (const auto& [i, change] : changes) {
    const Load& l = p.loads[i];
    const Spectrum unit = l.current(voltage(l.line), p.mains.nominal_volts(l.line), 1);
    for (const Channel& ch : p.channels) {
      if (ch.type != ChannelType::kCT) continue;
      const int sign = sign_in(ch, i);
      if (sign == 0) continue;
      const double watts = sign * mean_product(voltage(ch.truth_voltage_line()), unit);
      c.steps.push_back(TrueStep{c.start.ns, ch.input, static_cast<int>(i), watts * (change.after - change.before),
                                 change.ramp_s});
    }
  }
  return c;
}

}  // namespace iw::sim
