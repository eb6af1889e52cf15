#include "app/sampler.h"

#include <spdlog/spdlog.h>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>

#include "app/system_info.h"

namespace iw::app {

Sampler::Sampler(std::unique_ptr<source::SampleSource> source, measure::EngineSetup setup, SamplerOptions options)
    : source_(std::move(source)), engine_(std::move(setup)), options_(options), live_(engine_.channel_count()) {
  engine_.set_checkpoints(1'000'000'000, [this](const measure::Checkpoint& cp) { on_checkpoint(cp); });
}

Sampler::~Sampler() { stop(); }

void Sampler::restore(const std::vector<measure::ChannelCounters>& counters) {
  std::vector<measure::ChannelCounters> baseline(engine_.channel_count());
  for (size_t ch = 0; ch < counters.size() && ch < engine_.channel_count(); ++ch) {
    engine_.restore(ch, counters[ch]);
    baseline[ch] = counters[ch];
  }
  // The first checkpoint's live values average from here, not from a second checkpoint: a
  // config change leaves no second without live values.
  live_.update(baseline);
}

void Sampler::start() {
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void Sampler::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

SamplerSnapshot Sampler::snapshot() const {
  std::shared_ptr<const SamplerSnapshot> published;
  {
    std::lock_guard lock(mu_);
    published = published_;
  }
  return published ? *published : SamplerSnapshot{};
}

namespace {

// Without SCHED_FIFO the sampling thread still goes before HTTP threads and uploads when the
// CPU is busy, as far as nice -10 takes it (needs CAP_SYS_NICE or RLIMIT_NICE).
void raise_nice() {
  constexpr int kNice = -10;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice) != 0) {
    spdlog::info("sampler: runs at normal priority ({}; grant CAP_SYS_NICE to raise it)", std::strerror(errno));
  }
}

// Warnings about missing privileges once per process, not at every configuration change.
std::atomic<bool> warned_fifo{false};
std::atomic<bool> warned_pin{false};

}  // namespace

void Sampler::apply_scheduling() {
  pthread_setname_np(pthread_self(), "iw-sampler");
  const RealtimePlan& plan = options_.realtime;
  if (plan.cpu >= 0) {
    if (Status st = pin_to_cpu(plan.cpu); !st.ok() && !warned_pin.exchange(true)) {
      spdlog::warn("sampler: not pinned to CPU {}: {}", plan.cpu, st.message());
    }
  }
  if (plan.fifo) {
    if (Status st = set_fifo(plan.priority); !st.ok()) {
      if (!warned_fifo.exchange(true)) {
        spdlog::warn("sampler: sampling runs without real-time priority: {}", st.message());
      }
      raise_nice();
    }
  } else {
    raise_nice();
  }
  // The deepest call chain of a block (source, engine, checkpoint listener) stays well inside
  // this; touched now, its pages are present (and locked, when memory is) before the first block.
  constexpr size_t kStackPrefault = 256 * 1024;
  prefault_stack(kStackPrefault);
  if (auto s = thread_scheduling(static_cast<pid_t>(gettid()))) spdlog::info("sampler: {}", describe(s.value()));
}

void Sampler::run() {
  apply_scheduling();
  measure::SampleBlock block;
  while (!stop_) {
    Status st = source_->read(block);
    if (!st.ok()) {
      if (st.is_end()) {
        spdlog::info("sampler: source finished: {}", st.message());
        break;
      }
      if (error_ != st.message()) spdlog::error("sampler: {}", st.message());
      error_ = st.message();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    error_.clear();
    if (options_.paced && options_.speed > 0) pace(block);
    if (capture_wanted_.load(std::memory_order_relaxed)) feed_capture(block);
    engine_.process(block);
    note_lag(block);
  }
  finished_ = true;
}

std::vector<measure::SampleBlock> Sampler::capture(double seconds, std::chrono::milliseconds timeout) {
  std::lock_guard one(capture_request_mu_);
  std::unique_lock lock(capture_mu_);
  captured_.clear();
  capture_seconds_ = seconds;
  capture_wanted_ = true;
  const bool done = capture_done_.wait_for(lock, timeout, [this] { return !capture_wanted_; });
  capture_wanted_ = false;
  if (!done) captured_.clear();
  return std::move(captured_);
}

void Sampler::feed_capture(const measure::SampleBlock& block) {
  std::lock_guard lock(capture_mu_);
  if (!capture_wanted_) return;
  // Only contiguous blocks make one waveform; a gap starts the capture again.
  if (!captured_.empty() && std::abs(block.start_ns - captured_.back().end_ns()) > block.conversion_ns * 4) {
    captured_.clear();
  }
  captured_.push_back(block);
  if ((block.end_ns() - static_cast<double>(captured_.front().start_ns)) * 1e-9 >= capture_seconds_) {
    capture_wanted_ = false;
    capture_done_.notify_all();
  }
}

void Sampler::note_lag(const measure::SampleBlock& block) {
  double lag_ns = 0;
  if (options_.paced && options_.speed > 0 && anchored_) {
    const double due_ns = (block.end_ns() - static_cast<double>(source0_ns_)) / options_.speed;
    lag_ns =
        static_cast<double>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - wall0_).count()) -
        due_ns;
  } else if (!options_.paced) {
    const int64_t now_ns =
        options_.source_clock
            ? options_.source_clock()
            : std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    lag_ns = static_cast<double>(now_ns) - block.end_ns();
  }
  period_lag_ms_ = std::max(period_lag_ms_, lag_ns * 1e-6);
  peak_lag_ms_ = std::max(peak_lag_ms_, period_lag_ms_);
}

void Sampler::pace(const measure::SampleBlock& block) {
  const auto now = std::chrono::steady_clock::now();
  if (!anchored_) {
    anchored_ = true;
    wall0_ = now;
    source0_ns_ = block.start_ns;
    return;
  }
  const double source_s = (block.end_ns() - static_cast<double>(source0_ns_)) * 1e-9;
  const auto target = wall0_ + std::chrono::nanoseconds(static_cast<int64_t>(source_s / options_.speed * 1e9));
  // Sleep in short steps so stop() is never delayed by a slow speed.
  while (!stop_ && std::chrono::steady_clock::now() < target) {
    std::this_thread::sleep_until(std::min(target, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
  }
}

std::vector<uint64_t> Sampler::clipped_since_last(const std::vector<measure::ChannelLive>& live) {
  last_clipped_.resize(live.size(), 0);
  std::vector<uint64_t> clipped(live.size());
  for (size_t ch = 0; ch < live.size(); ++ch) {
    clipped[ch] = live[ch].clipped_samples - last_clipped_[ch];
    last_clipped_[ch] = live[ch].clipped_samples;
  }
  return clipped;
}

void Sampler::on_checkpoint(const measure::Checkpoint& cp) {
  live_.update(cp.counters);
  const auto wall = std::chrono::steady_clock::now();
  const double cpu = thread_cpu_seconds();
  const double process_cpu = process_cpu_seconds();
  const measure::EngineStats& stats = *cp.stats;

  SamplerSnapshot snap;
  snap.time_ns = cp.time_ns;
  snap.counters = cp.counters;
  snap.last_cycle = *cp.live;
  snap.stats = stats;
  snap.values.resize(cp.counters.size());
  for (size_t ch = 0; ch < cp.counters.size(); ++ch) snap.values[ch] = live_.value(ch);
  snap.clipped = clipped_since_last(*cp.live);
  if (last_cp_ns_ > 0) {
    const double dt = static_cast<double>(cp.time_ns - last_cp_ns_) * 1e-9;
    const double wall_dt = std::chrono::duration<double>(wall - last_cp_wall_).count();
    snap.conversions_per_second = static_cast<double>(stats.conversions - last_conversions_) / dt;
    snap.channel_cycles_per_second = static_cast<double>(stats.channel_cycles - last_channel_cycles_) / dt;
    if (wall_dt > 0) {
      snap.sampler_cpu_percent = 100.0 * (cpu - last_cpu_s_) / wall_dt;
      snap.process_cpu_percent = 100.0 * (process_cpu - last_process_cpu_s_) / wall_dt;
    }
  }
  snap.error = error_;
  snap.lag_ms = period_lag_ms_;
  snap.lag_peak_ms = peak_lag_ms_;
  period_lag_ms_ = 0;
  last_cp_ns_ = cp.time_ns;
  last_conversions_ = stats.conversions;
  last_channel_cycles_ = stats.channel_cycles;
  last_cpu_s_ = cpu;
  last_process_cpu_s_ = process_cpu;
  last_cp_wall_ = wall;
  auto next = std::make_shared<const SamplerSnapshot>(std::move(snap));
  {
    std::lock_guard lock(mu_);
    published_.swap(next);
  }
  // The previous snapshot lives one more second: a reader that took it a moment ago has long
  // finished its copy (microseconds) by then, so its memory is freed here, in this thread's malloc
  // arena, never by a reader that would take that arena's (non-inheriting) lock.
  retired_ = std::move(next);
  if (listener_) listener_(cp);
  hand_over_steps();
}

void Sampler::hand_over_steps() {
  measure::StepQueue& queue = engine_.steps();
  measure::StepEvent e;
  if (!step_listener_) {
    while (queue.pop(&e)) {}
    return;
  }
  if (queue.empty()) return;
  std::vector<measure::StepEvent> events;
  events.reserve(queue.size());
  while (queue.pop(&e)) events.push_back(e);
  step_listener_(std::move(events));
}

}  // namespace iw::app
