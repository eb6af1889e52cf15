// The panel simulator as a SampleSource: ADC codes of a simulated installation, plus the
// exact ground truth of what flowed.
//
// Blocks. Continuous mode: every read() returns plan.frames_per_block frames of
// plan.continuous_scan(). Round robin: every read() returns one capture of
// plan.round_robin_frames(2) frames of the next scan of plan.round_robin_scans(), in turn.
// Blocks are back to back: block k starts at start_ns + round(K * conversion_ns), K the
// conversions produced before it, so consecutive blocks are contiguous within half a
// nanosecond and never drift. Each code is the sensor waveform sampled at exactly the
// instant SampleBlock assigns it (start_ns + k * conversion_ns), so the multiplexing order
// matters as it does on the hardware. read() never sleeps: pacing is the caller's job.
//
// Truth. truth_until(t) integrates every channel exactly from the simulation start to t
// (truth.h), for any t from about one simulated second before next_block_ns() onwards
// (earlier cycles are forgotten). The usual call is truth_until(next_block_ns()): the truth
// of exactly the span the blocks read so far cover.
//
// Threading: not thread-safe; one thread reads and asks for truth.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "sim/panel.h"
#include "sim/true_step.h"
#include "sim/truth.h"
#include "source/sample_source.h"
#include "source/sampling_plan.h"

namespace iw::sim {

struct SimulatorOptions {
  // The daily model (daily_model.h): loads, sun and voltage follow the local clock as in the
  // seeded history (the daemon's live simulation). Off: stationary loads, for measurements
  // against a steady truth.
  bool realism = false;
};

class Simulator final : public source::SampleSource {
 public:
  // `start_ns` is the simulated clock at the first conversion (e.g. a UNIX time in ns; it
  // sets the time of day for solar loads). `seed` drives everything random: the start phase,
  // switching loads and every ADC draw (offsets, input gains, transfers, full-scale error,
  // noise) and, with realism, the daily model's draws (the interval model's with the same
  // seed); sensor tolerances come from apply_sensor_tolerances' own seed (tolerances.h).
  // Fails when the panel or plan is invalid.
  static Result<std::unique_ptr<Simulator>> create(Panel panel, source::SamplingPlan plan, int64_t start_ns,
                                                   uint64_t seed = 1, SimulatorOptions options = {});
  ~Simulator() override;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  Status read(measure::SampleBlock& block) override;
  std::string describe() const override;

  const Panel& panel() const;
  const source::SamplingPlan& plan() const;
  // The converter with its drawn truth (Adc::effective_gain, full_scale_error, ...).
  const Adc& adc() const;
  int64_t start_ns() const;
  // Where the next block starts (the end of everything read so far).
  int64_t next_block_ns() const;
  uint64_t conversions() const;

  // Exact truth from start_ns() to `ns`. Fails when `ns` is before start_ns() or before the
  // retained window (about 1 s before next_block_ns()). May generate cycles ahead of the
  // blocks; that does not change what later blocks contain. `accrual` says how the partial
  // cycles at both ends count (truth.h); kCycleMean matches a cycle-by-cycle meter's
  // proportional split, so differences of two truths compare like with like against it.
  Result<Truth> truth_until(int64_t ns, Accrual accrual = Accrual::kExact);
  // truth_until(next_block_ns()).
  Truth truth();
  // The steps of scripted loads (Load::program) in the cycles generated so far, oldest first,
  // each returned once. Cycles are generated up to about a second ahead of next_block_ns().
  std::vector<TrueStep> take_steps();

 private:
  struct Impl;
  explicit Simulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace iw::sim
