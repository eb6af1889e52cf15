#include "source/mcp3x08_source.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "source/mcp3x08.h"

namespace iw::source {

namespace {

constexpr size_t kFrame = kMcp3x08FrameBytes;

std::string pin_text(const Board& board, uint8_t chip, uint8_t pin) {
  return "chip " + std::to_string(chip) + " pin " + std::to_string(pin) + " on " + board.spi_devices[chip];
}

// median of `v` (reordered). REQUIRES: !v.empty().
double median(std::vector<double>& v) {
  const size_t half = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(half), v.end());
  const double upper = v[half];
  if (v.size() % 2 == 1) return upper;
  return 0.5 * (upper + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(half)));
}

// Mean of the middle half of `v` (reordered): as efficient as the mean on well-behaved data,
// as robust as the median to a few wild values. REQUIRES: !v.empty().
double interquartile_mean(std::vector<double>& v) {
  std::sort(v.begin(), v.end());
  const size_t lo = v.size() / 4, hi = v.size() - v.size() / 4;
  double sum = 0;
  for (size_t i = lo; i < hi; ++i) sum += v[i];
  return sum / static_cast<double>(hi - lo);
}

}  // namespace

Result<std::unique_ptr<Mcp3x08Source>> Mcp3x08Source::Create(Board board, SamplingPlan plan,
                                                             std::vector<std::unique_ptr<SpiPort>> ports,
                                                             Options options) {
  if (Status s = validate_board(board); !s) return s;
  if (ports.size() != board.chip_count()) {
    return Status::InvalidArgument("board '" + board.name + "' has " + std::to_string(board.chip_count()) +
                                   " ADC chip(s) but " + std::to_string(ports.size()) + " SPI port(s) were given");
  }
  for (size_t c = 0; c < ports.size(); ++c) {
    if (!ports[c])
      return Status::InvalidArgument("no SPI port for chip " + std::to_string(c) + " (" + board.spi_devices[c] + ")");
  }
  if (plan.voltage_inputs.empty() && plan.current_inputs.empty()) {
    return Status::InvalidArgument("the sampling plan has no inputs");
  }
  auto check_input = [&](uint8_t input) -> Status {
    if (input >= board.input_count()) {
      return Status::InvalidArgument("input " + std::to_string(input) + " does not exist on board '" + board.name +
                                     "' (inputs 0-" + std::to_string(board.input_count() - 1) + ")");
    }
    return Status::Ok();
  };
  for (uint8_t v : plan.voltage_inputs) {
    if (Status s = check_input(v); !s) return s;
  }
  for (const CurrentInput& ct : plan.current_inputs) {
    if (Status s = check_input(ct.input); !s) return s;
    if (Status s = check_input(ct.vt); !s) return s;
  }
  if (!(plan.conversions_per_second > 0)) return Status::InvalidArgument("conversions_per_second must be > 0");
  if (plan.mode == SamplingMode::kContinuous && plan.frames_per_block == 0) {
    return Status::InvalidArgument("frames_per_block must be > 0");
  }
  if (plan.mode == SamplingMode::kRoundRobin && !(plan.nominal_hz > 0 && plan.capture_cycles > 0)) {
    return Status::InvalidArgument("round robin needs nominal_hz > 0 and capture_cycles > 0");
  }
  if (!options.clock) options.clock = monotonic_now_ns;
  return std::unique_ptr<Mcp3x08Source>(
      new Mcp3x08Source(std::move(board), std::move(plan), std::move(ports), std::move(options)));
}

Mcp3x08Source::Mcp3x08Source(Board board, SamplingPlan plan, std::vector<std::unique_ptr<SpiPort>> ports,
                             Options options)
    : board_(std::move(board)),
      plan_(std::move(plan)),
      ports_(std::move(ports)),
      options_(std::move(options)),
      rate_(plan_.conversions_per_second) {
  sizing_.mode = plan_.mode;
  sizing_.nominal_hz = plan_.nominal_hz;
  sizing_.capture_cycles = plan_.capture_cycles;
  std::vector<std::vector<uint8_t>> scans;
  if (plan_.mode == SamplingMode::kContinuous) {
    scans.push_back(plan_.continuous_scan());
  } else {
    scans = plan_.round_robin_scans();
  }
  size_t largest = 1;
  for (std::vector<uint8_t>& inputs : scans) {
    ScanInfo info;
    for (uint8_t input : inputs) {
      const AdcAddress a = board_.inputs[input];
      info.chips.push_back(a.chip);
      info.requests.resize(info.requests.size() + kFrame);
      mcp3x08_encode(board_.chip, a.pin,
                     std::span<uint8_t, kFrame>(info.requests.data() + info.requests.size() - kFrame, kFrame));
      info.single_chip = info.single_chip && a.chip == info.chips.front();
    }
    info.inputs = std::move(inputs);
    scans_.push_back(std::move(info));
  }
  for (size_t c = 0; c < ports_.size(); ++c) largest = std::max(largest, call_limit(static_cast<uint8_t>(c)));
  tx_.resize(largest * kFrame);
  rx_.resize(largest * kFrame);
}

size_t Mcp3x08Source::call_limit(uint8_t chip) const {
  size_t limit = std::max<size_t>(1, ports_[chip]->max_transfers(kFrame));
  if (options_.max_conversions_per_call > 0) limit = std::min(limit, options_.max_conversions_per_call);
  return limit;
}

// Splits a block into calls: each call converts consecutive conversions (in scan order) on
// one chip, at most call_limit() of them. A single-chip scan gets whole frames per call,
// spread evenly over the calls; a multi-chip scan gets one call per chip run.
void Mcp3x08Source::plan_calls(const ScanInfo& scan, size_t frames) {
  calls_.clear();
  const size_t slots = scan.inputs.size();
  const size_t total = slots * frames;
  if (scan.single_chip) {
    const uint8_t chip = scan.chips.front();
    const size_t limit = call_limit(chip);
    if (slots <= limit) {
      const size_t per_call_max = limit / slots;
      const size_t ncalls = (frames + per_call_max - 1) / per_call_max;
      size_t first_frame = 0;
      for (size_t c = 0; c < ncalls; ++c) {
        const size_t end_frame = frames * (c + 1) / ncalls;  // even split, whole frames
        calls_.push_back({first_frame * slots, (end_frame - first_frame) * slots, chip});
        first_frame = end_frame;
      }
      return;
    }
  }
  size_t k = 0;
  while (k < total) {
    const uint8_t chip = scan.chips[k % slots];
    const size_t limit = call_limit(chip);
    size_t n = 1;
    while (k + n < total && n < limit && scan.chips[(k + n) % slots] == chip) ++n;
    calls_.push_back({k, n, chip});
    k += n;
  }
}

Status Mcp3x08Source::run_calls(const ScanInfo& scan, measure::SampleBlock& block) {
  const size_t slots = scan.inputs.size();
  call_start_ns_.resize(calls_.size());
  call_end_ns_.resize(calls_.size());
  for (size_t c = 0; c < calls_.size(); ++c) {
    const Call& call = calls_[c];
    const size_t bytes = call.count * kFrame;
    if (tx_.size() < bytes) {  // a port may not grow its limit; only a shrunk one is possible
      tx_.resize(bytes);
      rx_.resize(bytes);
    }
    for (size_t i = 0; i < call.count; ++i) {
      const size_t slot = (call.first + i) % slots;
      std::copy_n(scan.requests.data() + slot * kFrame, kFrame, tx_.data() + i * kFrame);
    }
    SpiPort& port = *ports_[call.chip];
    call_start_ns_[c] = options_.clock();
    Status s =
        port.transfer(std::span<const uint8_t>(tx_.data(), bytes), std::span<uint8_t>(rx_.data(), bytes), kFrame);
    call_end_ns_[c] = options_.clock();
    if (!s) return Status::IOError("ADC chip " + std::to_string(call.chip) + ": " + s.message());
    for (size_t i = 0; i < call.count; ++i) {
      const size_t k = call.first + i;
      if (!mcp3x08_decode(board_.chip, std::span<const uint8_t, kFrame>(rx_.data() + i * kFrame, kFrame),
                          &block.codes[k])) {
        const uint8_t input = scan.inputs[k % slots];
        return Status::Unavailable("input " + std::to_string(input) + " (" +
                                   pin_text(board_, call.chip, board_.inputs[input].pin) + "): no " +
                                   to_string(board_.chip) +
                                   " answered (null bit high); check the chip select "
                                   "and MISO wiring");
      }
    }
  }
  return Status::Ok();
}

// Every call proves p <= duration / size (its overhead cannot be negative); the largest calls
// (single-chip blocks, reference reads) make the bound tight.
void Mcp3x08Source::note_call_bound(int64_t duration_ns, size_t conversions) {
  if (duration_ns <= 0 || conversions == 0) return;
  const double bound = static_cast<double>(duration_ns) / static_cast<double>(conversions);
  if (min_call_ns_per_conversion_ == 0 || bound < min_call_ns_per_conversion_) min_call_ns_per_conversion_ = bound;
}

// The slope of call duration against call size, robustly: the shortest call of each size
// (scheduling noise, preemption and late clock readings only ever lengthen a call, so the
// shortest is closest to the true cost), then a least-squares line through those minima
// weighted by how many calls each size had. Absent when the block's calls all had one size.
std::optional<double> Mcp3x08Source::fit_per_conversion_ns() {
  sized_durations_.resize(calls_.size());
  for (size_t c = 0; c < calls_.size(); ++c) {
    sized_durations_[c] = {calls_[c].count, call_end_ns_[c] - call_start_ns_[c]};
  }
  std::sort(sized_durations_.begin(), sized_durations_.end());
  double w = 0, wn = 0, wd = 0, wnn = 0, wnd = 0;
  size_t sizes = 0;
  for (size_t i = 0; i < sized_durations_.size();) {
    size_t j = i;
    while (j < sized_durations_.size() && sized_durations_[j].first == sized_durations_[i].first) ++j;
    const auto shortest = static_cast<double>(sized_durations_[i].second);  // sorted by duration within a size
    const auto n = static_cast<double>(sized_durations_[i].first);
    const auto weight = static_cast<double>(j - i);
    w += weight;
    wn += weight * n;
    wd += weight * shortest;
    wnn += weight * n * n;
    wnd += weight * n * shortest;
    ++sizes;
    i = j;
  }
  if (sizes < 2) return std::nullopt;
  return (w * wnd - wn * wd) / (w * wnn - wn * wn);
}

// Slot offsets of a scan that spans chips (see the header comment). Instants are relative to
// block.start_ns, so they stay exact on a clock that has run for years.
void Mcp3x08Source::fill_slot_offsets(size_t slots, size_t frames, double per_conversion_ns,
                                      measure::SampleBlock& block) {
  const int64_t start = call_start_ns_.front();
  instants_.resize(slots * frames);
  for (size_t c = 0; c < calls_.size(); ++c) {
    const Call& call = calls_[c];
    const auto duration = static_cast<double>(call_end_ns_[c] - call_start_ns_[c]);
    const double overhead = duration - static_cast<double>(call.count) * per_conversion_ns;
    const double first = static_cast<double>(call_start_ns_[c] - start) + 0.5 * overhead;
    for (size_t j = 0; j < call.count; ++j) {
      instants_[call.first + j] = first + static_cast<double>(j) * per_conversion_ns;
    }
  }
  const double frame_ns = block.frame_ns();
  double anchor = 0;
  for (size_t f = 0; f < frames; ++f) anchor += instants_[f * slots] - frame_ns * static_cast<double>(f);
  anchor /= static_cast<double>(frames);
  block.slot_offset_ns.resize(slots);
  block.slot_offset_ns[0] = anchor;
  scratch_.resize(frames);
  for (size_t s = 1; s < slots; ++s) {
    for (size_t f = 0; f < frames; ++f) scratch_[f] = instants_[f * slots + s] - instants_[f * slots];
    block.slot_offset_ns[s] = anchor + interquartile_mean(scratch_);
  }
}

int64_t Mcp3x08Source::unix_offset() {
  if (!options_.unix_clock) return 0;
  const int64_t now = options_.unix_clock() - options_.clock();
  const int64_t offset = unix_offset_ns_.load(std::memory_order_relaxed);
  if (anchored_ && std::abs(now - offset) <= kReanchorAfterNs) return offset;
  anchored_ = true;
  unix_offset_ns_.store(now, std::memory_order_relaxed);
  return now;
}

Status Mcp3x08Source::read(measure::SampleBlock& block) {
  const ScanInfo& scan = scans_[next_scan_];
  size_t frames = plan_.frames_per_block;
  if (plan_.mode == SamplingMode::kRoundRobin) {
    sizing_.conversions_per_second = rate_;
    frames = std::max<size_t>(1, sizing_.round_robin_frames(scan.inputs.size()));
    next_scan_ = (next_scan_ + 1) % scans_.size();
  }
  const size_t total = frames * scan.inputs.size();
  block.adc_bits = board_.adc_bits();
  block.scan.assign(scan.inputs.begin(), scan.inputs.end());
  block.codes.resize(total);
  block.slot_offset_ns.clear();  // filled below for a scan that spans chips

  plan_calls(scan, frames);
  if (Status s = run_calls(scan, block); !s) return s;

  const int64_t start = call_start_ns_.front();
  const int64_t duration = call_end_ns_.back() - start;
  if (duration <= 0) {
    return Status::Unavailable("the clock did not advance over " + std::to_string(total) +
                               " conversions; cannot time the block");
  }
  block.start_ns = start + unix_offset();
  block.conversion_ns = static_cast<double>(duration) / static_cast<double>(total);

  timing_ = BlockTiming{};
  timing_.calls = calls_.size();
  timing_.conversions = total;
  timing_.duration_ns = duration;
  for (size_t c = 0; c < calls_.size(); ++c) {
    if (c > 0) {
      timing_.max_call_gap_ns = std::max(timing_.max_call_gap_ns, call_start_ns_[c] - call_end_ns_[c - 1]);
    }
    note_call_bound(call_end_ns_[c] - call_start_ns_[c], calls_[c].count);
  }
  if (const std::optional<double> fit = fit_per_conversion_ns(); fit && *fit > 0) {
    if (fits_.size() < kFitHistory) {
      fits_.push_back(*fit);
    } else {
      fits_[next_fit_] = *fit;
    }
    next_fit_ = (next_fit_ + 1) % kFitHistory;
  }
  // p: the median of the recent fits, never above what some call proved (duration / size).
  double per_conversion = min_call_ns_per_conversion_;
  if (!fits_.empty()) {
    scratch_.assign(fits_.begin(), fits_.end());
    const double fit = median(scratch_);
    per_conversion = per_conversion > 0 ? std::min(per_conversion, fit) : fit;
    scratch_.resize(calls_.size());
    for (size_t c = 0; c < calls_.size(); ++c) {
      scratch_[c] = static_cast<double>(call_end_ns_[c] - call_start_ns_[c]) -
                    static_cast<double>(calls_[c].count) * per_conversion;
    }
    timing_.call_overhead_ns = median(scratch_);
  }
  if (!scan.single_chip) {  // single chip: whole frames per call, back to back, uniform is exact
    timing_.per_conversion_ns = per_conversion;
    fill_slot_offsets(scan.inputs.size(), frames, per_conversion, block);
  }
  rate_ = static_cast<double>(total) * 1e9 / static_cast<double>(duration);
  return Status::Ok();
}

Result<ReferenceReading> Mcp3x08Source::read_reference(size_t conversions) {
  if (!board_.reference) return Status::InvalidArgument("board '" + board_.name + "' has no precision reference");
  if (conversions == 0) return Status::InvalidArgument("read_reference needs at least one conversion");
  const AdcAddress ref = *board_.reference;
  uint8_t request[kFrame];
  mcp3x08_encode(board_.chip, ref.pin, std::span<uint8_t, kFrame>(request, kFrame));
  SpiPort& port = *ports_[ref.chip];
  double sum = 0;
  size_t done = 0;
  while (done < conversions) {
    const size_t n = std::min(conversions - done, call_limit(ref.chip));
    const size_t bytes = n * kFrame;
    if (tx_.size() < bytes) {
      tx_.resize(bytes);
      rx_.resize(bytes);
    }
    for (size_t i = 0; i < n; ++i) std::copy_n(request, kFrame, tx_.data() + i * kFrame);
    const int64_t call_start = options_.clock();
    Status s =
        port.transfer(std::span<const uint8_t>(tx_.data(), bytes), std::span<uint8_t>(rx_.data(), bytes), kFrame);
    const int64_t call_end = options_.clock();
    if (!s) return Status::IOError("reference (" + pin_text(board_, ref.chip, ref.pin) + "): " + s.message());
    note_call_bound(call_end - call_start, n);  // a long single-chip call: a tight bound on p
    for (size_t i = 0; i < n; ++i) {
      uint16_t code = 0;
      if (!mcp3x08_decode(board_.chip, std::span<const uint8_t, kFrame>(rx_.data() + i * kFrame, kFrame), &code)) {
        return Status::Unavailable("reference (" + pin_text(board_, ref.chip, ref.pin) + "): no " +
                                   to_string(board_.chip) + " answered (null bit high)");
      }
      sum += code;
    }
    done += n;
  }
  ReferenceReading r;
  r.conversions = conversions;
  r.mean_code = sum / static_cast<double>(conversions);
  const double max_code = adc_max_code(board_.chip);
  if (r.mean_code < 0.5 || r.mean_code > max_code - 0.5) {
    return Status::Unavailable("reference (" + pin_text(board_, ref.chip, ref.pin) + ") reads " +
                               std::to_string(std::lround(r.mean_code)) +
                               ": no ADC answering, or the reference is not fitted");
  }
  r.full_scale_volts = board_.reference_volts * (max_code + 1) / r.mean_code;
  return r;
}

std::string Mcp3x08Source::describe() const {
  std::string devices;
  for (const std::string& d : board_.spi_devices) devices += (devices.empty() ? "" : ", ") + d;
  const size_t slots = scans_.front().inputs.size();
  std::string what = plan_.mode == SamplingMode::kContinuous
                         ? "continuous scan of " + std::to_string(slots) + " inputs"
                         : "round robin over " + std::to_string(scans_.size()) + " captures";
  return std::string(to_string(board_.chip)) + " x" + std::to_string(board_.chip_count()) + " (" + devices +
         "), board " + board_.name + ", " + what;
}

}  // namespace iw::source
