// SampleSource over MCP3208 / MCP3008 chips behind SpiPorts (spidev on a Pi, an emulated chip
// in tests).
//
// Timing model (details and error bounds in src/source/README.md): a block's conversions
// are issued in scan order as a few batched calls, one chip per call. The block's start_ns
// is the clock just before the first call and conversion_ns is (clock after the last call -
// start_ns) / conversions, so frame_ns() is the measured mean frame period and consecutive
// blocks tile time.
//
// A scan on a single chip runs in calls of whole frames back to back (up to ~500 conversions
// per call): spacing is uniform and slot_offset_ns stays empty. A scan that spans chips needs
// one call per chip run in every frame, and each call's overhead lands at the chip switch, so
// the source fills slot_offset_ns from the clock readings it takes around every call:
//   - p, the time of one conversion inside a call, is fitted from call durations against call
//     sizes: the shortest call of each size (noise only lengthens calls), a line through
//     those; p is the median of the last 15 blocks' fits, never above the smallest
//     duration / size of any call so far, which alone gives p when no block had calls of two
//     sizes (equal chip runs: the start-up read_reference() call of 64 makes it tight);
//   - conversion j of call c happened at start_c + o_c / 2 + j * p, where o_c = duration_c -
//     size_c * p is that call's own overhead, assumed split evenly before and after its
//     transfers (an uneven split shifts every slot alike, which V-I alignment ignores);
//   - slot 0's offset is the mean over the block's frames of (its instant - frame start);
//     slot s's adds the interquartile mean over frames of (instant of s - instant of slot 0 in
//     the same frame), so a preempted call or an odd first frame does not skew the block.
// Each slot's offset is thus its mean offset from its frame's start; frames keep the measured
// mean period. last_timing() reports p and the per-call overhead.
//
// Time scale: calls are timed on options.clock (CLOCK_MONOTONIC: never steps), but a block's
// start_ns is on the UNIX time scale when options.unix_clock is set (the daemon: the engine's
// checkpoints, and so the datalog's records, fall on the UNIX 5 s grid). The offset between
// the two is taken at the first block and taken again between blocks when the system clock
// moved more than kReanchorAfterNs away from it (set by NTP after a boot without an RTC): the
// engine then sees a gap or an overlap, as after any restart of sampling.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "source/board.h"
#include "source/clock.h"
#include "source/sample_source.h"
#include "source/sampling_plan.h"
#include "source/spi_port.h"

namespace iw::source {

// How the last block's calls went: what the uniform model in SampleBlock glosses over.
struct BlockTiming {
  size_t calls = 0;
  size_t conversions = 0;
  int64_t duration_ns = 0;      // clock before the first call to clock after the last
  int64_t max_call_gap_ns = 0;  // longest time between one call's return and the next call
  // Time of one conversion inside a call (p in the header comment), as used for the block's
  // slot offsets. Set for blocks whose scan spans chips.
  std::optional<double> per_conversion_ns;
  // Fixed cost of one call beyond its conversions (system call, driver setup): the median of
  // duration - size * p over the block's calls. Absent until some block had calls of two
  // sizes (p is then only an upper bound), e.g. always for a single chip with equal calls.
  std::optional<double> call_overhead_ns;
};

// The precision reference as measured: the real ADC full scale.
struct ReferenceReading {
  double mean_code = 0;
  double full_scale_volts = 0;  // reference_volts * 2^bits / mean_code
  size_t conversions = 0;
};

class Mcp3x08Source final : public SampleSource {
 public:
  struct Options {
    NanoClock clock;                      // empty: monotonic_now_ns
    NanoClock unix_clock;                 // empty: blocks stay on clock's scale (tests)
    size_t max_conversions_per_call = 0;  // 0: as many as each port accepts
  };

  // `ports[c]` talks to chip c of `board` (board.spi_devices[c] names it). Checks the board,
  // that there is one port per chip and that every input of the plan exists on the board.
  static Result<std::unique_ptr<Mcp3x08Source>> Create(Board board, SamplingPlan plan,
                                                       std::vector<std::unique_ptr<SpiPort>> ports, Options options);

  // Continuous mode: plan.frames_per_block frames of plan.continuous_scan(). Round robin: one
  // capture of the next scan of plan.round_robin_scans(), sized by round_robin_frames() at
  // the measured conversion rate (the plan's rate until a block has been measured).
  // REQUIRES: external synchronization (one sampling thread), as for read_reference().
  Status read(measure::SampleBlock& block) override;
  std::string describe() const override;

  // Converts the board's reference pin `conversions` times (between blocks, so sampling
  // pauses briefly). Fails when the board has none, or it reads 0 or full scale (no chip,
  // or the reference not fitted).
  Result<ReferenceReading> read_reference(size_t conversions = 64);

  // About the last block. REQUIRES: the sampling thread (copy it out for /status).
  const BlockTiming& last_timing() const { return timing_; }
  // Measured conversions per second over the last block (the plan's value before any).
  double conversions_per_second() const { return rate_; }
  const Board& board() const { return board_; }
  // options.clock's reading now, on the blocks' time scale. Any thread.
  int64_t now_ns() const { return options_.clock() + unix_offset_ns_.load(std::memory_order_relaxed); }
  const SamplingPlan& plan() const { return plan_; }

 private:
  struct ScanInfo {
    std::vector<uint8_t> inputs;    // the block's scan
    std::vector<uint8_t> chips;     // chip of each slot
    std::vector<uint8_t> requests;  // 3-byte request of each slot
    bool single_chip = true;
  };
  struct Call {
    size_t first = 0;  // conversion index in the block
    size_t count = 0;
    uint8_t chip = 0;
  };

  Mcp3x08Source(Board board, SamplingPlan plan, std::vector<std::unique_ptr<SpiPort>> ports, Options options);
  size_t call_limit(uint8_t chip) const;
  void plan_calls(const ScanInfo& scan, size_t frames);
  Status run_calls(const ScanInfo& scan, measure::SampleBlock& block);
  void note_call_bound(int64_t duration_ns, size_t conversions);
  // The offset from options.clock to the blocks' time scale, anchored again when needed.
  int64_t unix_offset();
  std::optional<double> fit_per_conversion_ns();
  void fill_slot_offsets(size_t slots, size_t frames, double per_conversion_ns, measure::SampleBlock& block);

  Board board_;
  SamplingPlan plan_;
  std::vector<std::unique_ptr<SpiPort>> ports_;
  Options options_;
  SamplingPlan sizing_;          // the plan's capture sizing without its inputs: no copy per block
  std::vector<ScanInfo> scans_;  // continuous: one; round robin: plan.round_robin_scans()
  size_t next_scan_ = 0;
  double rate_ = 0;
  BlockTiming timing_;
  std::vector<Call> calls_;
  std::vector<int64_t> call_start_ns_, call_end_ns_;
  // unix_clock - clock as last anchored (0 without unix_clock); written by the sampling thread.
  std::atomic<int64_t> unix_offset_ns_{0};
  bool anchored_ = false;
  // Per-conversion time: the fits of the last kFitHistory blocks whose calls had two sizes or
  // more (a ring), and the smallest duration / size of any call so far (an upper bound).
  static constexpr size_t kFitHistory = 15;
  std::vector<double> fits_;
  size_t next_fit_ = 0;
  double min_call_ns_per_conversion_ = 0;  // 0: no call timed yet
  // Scratch, reused from block to block.
  std::vector<std::pair<size_t, int64_t>> sized_durations_;
  std::vector<double> instants_, scratch_;
  std::vector<uint8_t> tx_, rx_;
};

}  // namespace iw::source
