#include "views/scope.h"

#include <cmath>
#include <numeric>

namespace iw::views {
namespace {

struct Trace {
  std::vector<double> t_ns;
  std::vector<double> counts;  // 12-bit counts, sign as the engine sees them
};

Trace trace_of(const std::vector<measure::SampleBlock>& blocks, int channel, bool reverse) {
  Trace trace;
  for (const measure::SampleBlock& b : blocks) {
    const double scale = std::ldexp(1.0, 12 - b.adc_bits) * (reverse ? -1 : 1);
    for (size_t slot = 0; slot < b.slots(); ++slot) {
      if (b.scan[slot] != channel) continue;
      for (size_t f = 0; f < b.frames(); ++f) {
        trace.t_ns.push_back(b.instant_ns(f, slot));
        trace.counts.push_back(scale * b.code(f, slot));
      }
    }
  }
  // Slots of one channel within a frame interleave: keep the trace in time order.
  std::vector<size_t> order(trace.t_ns.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return trace.t_ns[a] < trace.t_ns[b]; });
  Trace sorted;
  for (size_t i : order) {
    sorted.t_ns.push_back(trace.t_ns[i]);
    sorted.counts.push_back(trace.counts[i]);
  }
  if (!sorted.counts.empty()) {
    const double mean =
        std::accumulate(sorted.counts.begin(), sorted.counts.end(), 0.0) / static_cast<double>(sorted.counts.size());
    for (double& c : sorted.counts) c -= mean;
  }
  return sorted;
}

// Linear interpolation of `trace` at `t` (clamped at the ends).
double value_at(const Trace& trace, double t) {
  auto it = std::lower_bound(trace.t_ns.begin(), trace.t_ns.end(), t);
  if (it == trace.t_ns.begin()) return trace.counts.front();
  if (it == trace.t_ns.end()) return trace.counts.back();
  const size_t i = static_cast<size_t>(it - trace.t_ns.begin());
  const double f = (t - trace.t_ns[i - 1]) / (trace.t_ns[i] - trace.t_ns[i - 1]);
  return trace.counts[i - 1] + f * (trace.counts[i] - trace.counts[i - 1]);
}

// Mean period between rising zero crossings.
double frequency(const Trace& v) {
  std::vector<double> rising;
  for (size_t i = 1; i < v.counts.size(); ++i) {
    if (v.counts[i - 1] < 0 && v.counts[i] >= 0) {
      const double f = -v.counts[i - 1] / (v.counts[i] - v.counts[i - 1]);
      rising.push_back(v.t_ns[i - 1] + f * (v.t_ns[i] - v.t_ns[i - 1]));
    }
  }
  if (rising.size() < 2) return 0;
  return 1e9 * static_cast<double>(rising.size() - 1) / (rising.back() - rising.front());
}

double round4(double x) { return std::round(x * 1e4) / 1e4; }

}  // namespace

Result<Waveform> extract_waveform(const std::vector<measure::SampleBlock>& blocks, const measure::EngineSetup& setup,
                                  int channel) {
  if (channel < 0 || static_cast<size_t>(channel) >= setup.channels.size() ||
      setup.channels[static_cast<size_t>(channel)].kind == measure::ChannelKind::kUnused) {
    return Status::InvalidArgument("Sample Channel " + std::to_string(channel) + ": no input is configured on it");
  }
  const measure::ChannelSetup& ch = setup.channels[static_cast<size_t>(channel)];
  Waveform w;
  w.channel = channel;
  w.is_voltage = ch.kind == measure::ChannelKind::kVoltage;
  w.vchannel = w.is_voltage ? channel : ch.vt;
  const measure::ChannelSetup& vt = setup.channels[static_cast<size_t>(w.vchannel)];
  const Trace v = trace_of(blocks, w.vchannel, vt.reverse);
  const Trace i = w.is_voltage ? v : trace_of(blocks, channel, ch.reverse);
  if (v.t_ns.size() < 2 || i.t_ns.empty()) {
    return Status::InvalidArgument("Sample Channel " + std::to_string(channel) +
                                   ": no samples of it and its voltage reference arrived (is sampling running?)");
  }
  w.hz = frequency(v);
  for (size_t k = 0; k < i.t_ns.size(); ++k) {
    const double vc = value_at(v, i.t_ns[k]);
    w.t_ms.push_back((i.t_ns[k] - i.t_ns.front()) * 1e-6);
    w.voltage_counts.push_back(vc);
    w.volts.push_back(vc * vt.units_per_count);
    if (!w.is_voltage) {
      w.current_counts.push_back(i.counts[k]);
      w.amps.push_back(i.counts[k] * ch.units_per_count);
    }
  }
  return w;
}

std::string waveform_text(const Waveform& w) {
  std::string out = "samples " + std::to_string(w.t_ms.size()) + "\n";
  for (size_t k = 0; k < w.t_ms.size(); ++k) {
    const double i = w.is_voltage ? w.voltage_counts[k] : w.current_counts[k];
    out += std::to_string(std::lround(w.voltage_counts[k])) + "," + std::to_string(std::lround(i)) + "\n";
  }
  return out;
}

nlohmann::json waveform_json(const Waveform& w) {
  nlohmann::json t = nlohmann::json::array(), v = nlohmann::json::array(), a = nlohmann::json::array();
  for (size_t k = 0; k < w.t_ms.size(); ++k) {
    t.push_back(round4(w.t_ms[k]));
    v.push_back(round4(w.volts[k]));
    if (!w.is_voltage) a.push_back(round4(w.amps[k]));
  }
  return {{"channel", w.channel},
          {"vchannel", w.vchannel},
          {"hz", round4(w.hz)},
          {"samples", w.t_ms.size()},
          {"t_ms", t},
          {"volts", v},
          {"amps", a}};
}

}  // namespace iw::views
