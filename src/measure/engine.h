// The measurement engine: turns blocks of ADC codes into per-cycle power and cumulative
// counters for every channel.
//
// Pipeline. Each block's frames are copied into a ring. Every voltage reference (VT) has a
// crossing detector; two successive crossings of either direction after a cycle's start
// close the cycle. A closed cycle is measured once the ring holds enough frames after it for
// phase-shifted interpolation; the VT and every CT referenced to it are then measured over
// exactly the frames of that cycle:
//   - offsets are tracked: each cycle's mean code becomes the next cycle's offset, and the
//     cycle's own mean is removed from rms and power (no mid-scale assumption);
//   - the voltage paired with each current sample is linearly interpolated at that sample's
//     instant, shifted by the CT lead minus the VT lead minus the derived-reference phase;
//     shifts that reach outside the ring wrap by one cycle (the waveform is periodic);
//   - power, VA, VAR, Vrms, Irms, Hz of the cycle are credited to the channel's bucket for the
//     cycle's exact duration (crossing instant to crossing instant).
//
// Checkpoints: at every multiple of the checkpoint interval on the source clock the engine
// splits the cycles that straddle it and reports the counters of every channel exactly at
// that instant. The datalog and the live status are built from checkpoints.
//
// Threading: one thread (the sampling thread) owns an Engine. process() never allocates once
// the ring is sized for a scan, never blocks and never does I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "measure/bucket.h"
#include "measure/channel_setup.h"
#include "measure/crossing_detector.h"
#include "measure/sample_block.h"
#include "measure/step_detector.h"
#include "measure/step_queue.h"

namespace iw::measure {

// The last measured cycle of a channel.
struct ChannelLive {
  ChannelValues values;
  double lead_deg = 0;        // sensor lead used (CT: at this current; VT: at this voltage)
  double last_phase_deg = 0;  // CT lead minus VT lead, as the original's `lastphase`
  bool reversed = false;      // unsigned CT whose power came out negative
  // CT: signed reactive power of the last cycle, from the current's quadrature with the
  // corrected voltage: > 0 the current lags (inductive), < 0 it leads. `values.var` is
  // unsigned (from VA and W) and cannot tell a lead error from a lag.
  double signed_var = 0;
  // CT: the largest |instantaneous current| of the last cycle, primary amps (0 below the
  // no-load threshold), for the inrush of step events.
  double peak_amps = 0;
  // CT: sums over the measured cycles since start, so that the difference of two reads a few
  // seconds apart averages them (calibration): seconds measured, W·s and signed var·s.
  double measured_s = 0;
  double watt_s = 0;
  double var_s = 0;
  uint64_t cycles = 0;  // cycles measured since start
  // Samples of measured cycles at code 0 or full scale: the sensor overdrives the ADC, so
  // its rms and power read low. Since start, and in the last cycle.
  uint64_t clipped_samples = 0;
  uint32_t clipped_last_cycle = 0;
};

struct EngineStats {
  uint64_t blocks = 0;
  uint64_t conversions = 0;
  uint64_t cycles = 0;           // voltage cycles measured
  uint64_t channel_cycles = 0;   // channel-cycles measured (VT and CT)
  uint64_t dropped_cycles = 0;   // implausible cycles (frequency out of 40-70 Hz, too few frames)
  uint64_t restarts = 0;         // pipeline restarts (gap, new scan)
  double samples_per_cycle = 0;  // frames in the last voltage cycle
};

struct Checkpoint {
  int64_t time_ns = 0;                    // source clock; a multiple of the interval
  std::vector<ChannelCounters> counters;  // indexed by channel; unused channels stay zero
  const std::vector<ChannelLive>* live = nullptr;
  const EngineStats* stats = nullptr;
};

class Engine {
 public:
  using CheckpointSink = std::function<void(const Checkpoint&)>;

  explicit Engine(EngineSetup setup);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reports counters at every multiple of `interval_ns` on the source clock.
  void set_checkpoints(int64_t interval_ns, CheckpointSink sink);

  // Hot path. Inputs in the scan that are not configured are ignored.
  void process(const SampleBlock& block);

  // Restores a channel's totals (from the datalog after a restart). REQUIRES: before process().
  void restore(size_t channel, const ChannelCounters& counters);

  size_t channel_count() const { return setup_.channels.size(); }
  const ChannelSetup& channel(size_t ch) const { return setup_.channels[ch]; }
  const ChannelCounters& counters(size_t ch) const { return buckets_[ch].counters(); }
  const ChannelLive& live(size_t ch) const { return live_[ch]; }
  const std::vector<ChannelLive>& live() const { return live_; }
  const EngineStats& stats() const { return stats_; }
  // Step events of every CT whose ChannelSetup::steps is enabled, oldest first. The owner
  // drains them from the engine's thread (or under the lock that serialises process()).
  StepQueue& steps() { return steps_; }
  const StepQueue& steps() const { return steps_; }
  // Instant (source clock) up to which every active channel has been credited.
  int64_t credited_until_ns() const;

 private:
  struct VtLane;
  struct CtLane;

  void restart(const SampleBlock& block);
  bool continues(const SampleBlock& block) const;
  void ingest(const SampleBlock& block);
  void measure_ready_cycles(bool flushing);
  void measure_cycle(VtLane& lane, double a, double b);
  void measure_ct(const VtLane& lane, CtLane& ct, double a, double b, double t_a, double t_b, double hz, double vrms,
                  double vt_lead);
  void credit_dead_time(VtLane& lane, double until_s);
  void credit(size_t ch, double t_a, double t_b, const ChannelValues& v);
  void emit_checkpoints();

  double frame_time(double position) const;  // seconds since origin, slot 0 instant
  double v_at(const VtLane& lane, double position, double cycle_frames) const;
  double code(int64_t frame, size_t slot) const { return codes_[static_cast<size_t>(frame & mask_) * slots_ + slot]; }
  // Samples of [m0, m1) in `slot` at either rail of the converter.
  uint32_t clipped(int64_t m0, int64_t m1, size_t slot) const;
  double count_scale() const { return count_scale_; }

  EngineSetup setup_;
  std::vector<Bucket> buckets_;
  std::vector<ChannelLive> live_;
  std::vector<double> offset_;  // per channel, in codes of the current block resolution
  std::vector<StepDetector> detectors_;  // per channel; fed only where steps are enabled
  StepQueue steps_;
  EngineStats stats_;

  // Clock: seconds since origin_ns_ (the first block's start).
  bool have_origin_ = false;
  int64_t origin_ns_ = 0;

  // Pipeline, valid since the last restart.
  std::vector<uint8_t> scan_;
  size_t slots_ = 0;
  int adc_bits_ = 0;
  uint16_t full_scale_code_ = 0;  // 2^adc_bits - 1
  double count_scale_ = 1;        // 12-bit counts per code
  double conversion_s_ = 0;
  double frame_s_ = 0;
  std::vector<double> slot_s_;  // offset of each slot from its frame's start, seconds
  double next_start_s_ = 0;     // where a contiguous block would start
  size_t ring_frames_ = 0;
  size_t ring_block_frames_ = 0;  // largest block the ring was sized for
  int64_t mask_ = 0;
  int64_t frames_ = 0;  // frames ingested since restart
  std::vector<uint16_t> codes_;
  std::vector<double> frame_times_;
  std::vector<VtLane> vts_;
  std::vector<CtLane> cts_;
  double lookahead_frames_ = 0;

  // Checkpoints.
  int64_t checkpoint_ns_ = 0;
  int64_t next_checkpoint_ns_ = 0;
  CheckpointSink sink_;
  Checkpoint checkpoint_;
};

}  // namespace iw::measure
