// The sampling thread: reads blocks from a source, feeds the measurement engine, and every
// second publishes a snapshot for readers on other threads. It never waits on I/O other than
// its own source, and readers hold its lock only to copy a snapshot.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/live_values.h"
#include "app/realtime.h"
#include "measure/engine.h"
#include "source/clock.h"
#include "source/sample_source.h"

namespace iw::app {

struct SamplerOptions {
  // Simulated sources only: simulated seconds per wall-clock second; 0 runs unpaced.
  double speed = 1;
  bool paced = true;  // false for sources that pace themselves (a real ADC)
  // Unpaced sources: the clock their blocks are stamped with (empty: the Unix clock).
  source::NanoClock source_clock;
  // The sampling thread's scheduling (realtime.h); off: normal priority, raised by nice -10
  // where allowed.
  RealtimePlan realtime;
};

struct SamplerSnapshot {
  int64_t time_ns = 0;  // source clock instant of the checkpoint
  std::vector<measure::ChannelCounters> counters;
  std::vector<measure::ChannelLive> last_cycle;
  std::vector<measure::ChannelValues> values;  // damped one-second averages (live_values.h)
  std::vector<uint64_t> clipped;               // per channel: samples at an ADC rail since the last checkpoint
  measure::EngineStats stats;
  double conversions_per_second = 0;     // source-clock rate over the last second
  double channel_cycles_per_second = 0;  // all channels
  double sampler_cpu_percent = 0;        // sampling thread, wall-clock based
  double process_cpu_percent = 0;        // whole daemon, wall-clock based
  // How late the sampling thread finished a block, against the source's clock (paced: the
  // schedule; a real ADC: the clock the source stamps its blocks with). The largest over the last second, and since
  // start. A thread that never waits on anyone else stays within a block's length.
  double lag_ms = 0;
  double lag_peak_ms = 0;
  std::string error;  // last source error, empty when healthy
};

class Sampler {
 public:
  // Called on the sampling thread at every one-second checkpoint, after the snapshot is
  // published. Must not block (the datalog hands records to its own thread).
  using CheckpointListener = std::function<void(const measure::Checkpoint&)>;
  // Called on the sampling thread at a checkpoint when step events were confirmed since the
  // previous one (measure/step_detector.h), oldest first. Must not block.
  using StepListener = std::function<void(std::vector<measure::StepEvent>)>;

  Sampler(std::unique_ptr<source::SampleSource> source, measure::EngineSetup setup, SamplerOptions options);
  ~Sampler();
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  void set_listener(CheckpointListener listener) { listener_ = std::move(listener); }
  // REQUIRES: before start().
  void set_step_listener(StepListener listener) { step_listener_ = std::move(listener); }
  // Continues every channel's totals from `counters` (the datalog's last record, or the
  // previous sampler's last checkpoint), and averages the first live values from them.
  // REQUIRES: before start().
  void restore(const std::vector<measure::ChannelCounters>& counters);
  void start();
  void stop();
  bool finished() const { return finished_; }

  SamplerSnapshot snapshot() const;
  // Copies of the blocks the sampling thread reads next, until they span `seconds` of source
  // time (for a scope view). The sampling thread only copies; it never waits for the caller.
  // Empty when no samples arrived within `timeout` (source stopped or failing).
  std::vector<measure::SampleBlock> capture(double seconds, std::chrono::milliseconds timeout);
  std::string source_description() const { return source_->describe(); }

 private:
  void run();
  // The sampling thread's scheduling, from options_.realtime; logs what it could not get.
  void apply_scheduling();
  void on_checkpoint(const measure::Checkpoint& cp);
  // Drains the engine's step events to the step listener (dropped when there is none).
  void hand_over_steps();
  // Per channel: samples clipped since the previous checkpoint.
  std::vector<uint64_t> clipped_since_last(const std::vector<measure::ChannelLive>& live);
  void pace(const measure::SampleBlock& block);
  void note_lag(const measure::SampleBlock& block);

  std::unique_ptr<source::SampleSource> source_;
  measure::Engine engine_;
  SamplerOptions options_;
  LiveValues live_;
  CheckpointListener listener_;
  StepListener step_listener_;

  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};

  // Pacing anchor: wall clock (steady) and source clock at the first block.
  bool anchored_ = false;
  std::chrono::steady_clock::time_point wall0_;
  int64_t source0_ns_ = 0;

  // Rates between checkpoints.
  int64_t last_cp_ns_ = 0;
  uint64_t last_conversions_ = 0;
  uint64_t last_channel_cycles_ = 0;
  std::vector<uint64_t> last_clipped_;  // per channel, ChannelLive::clipped_samples at the last checkpoint
  double last_cpu_s_ = 0;
  double last_process_cpu_s_ = 0;
  std::chrono::steady_clock::time_point last_cp_wall_;
  double period_lag_ms_ = 0;  // sampling thread only
  double peak_lag_ms_ = 0;    // sampling thread only

  void feed_capture(const measure::SampleBlock& block);

  // Readers copy the pointer under the lock, never the snapshot: the sampling thread (maybe
  // SCHED_FIFO) waits at most for a pointer copy, and the lock lends it its priority (PiMutex).
  mutable PiMutex mu_;
  std::shared_ptr<const SamplerSnapshot> published_;  // guarded by mu_
  std::shared_ptr<const SamplerSnapshot> retired_;    // sampling thread only: the one before

  std::mutex capture_request_mu_;            // one capture at a time
  std::atomic<bool> capture_wanted_{false};  // the sampling thread checks this per block
  PiMutex capture_mu_;                       // the sampling thread takes it only while a capture is wanted
  std::condition_variable_any capture_done_;
  double capture_seconds_ = 0;                  // guarded by capture_mu_
  std::vector<measure::SampleBlock> captured_;  // guarded by capture_mu_
  std::string error_;                           // sampling thread only; copied into snapshots
};

}  // namespace iw::app
