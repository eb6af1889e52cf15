#include "app/source_retry.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace iw::app {

using Clock = std::chrono::steady_clock;

SourceRetry::SourceRetry(SourceRetryOptions options, Attempt attempt, Tick on_tick)
    : options_(options), attempt_(std::move(attempt)), on_tick_(std::move(on_tick)) {
  thread_ = std::thread([this] { run(); });
}

SourceRetry::~SourceRetry() { stop(); }

void SourceRetry::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void SourceRetry::watch(const Status& source) {
  {
    std::lock_guard lock(mu_);
    ++generation_;
    attempts_ = 0;
    waiting_ = !source.ok();
    if (source.ok()) {
      error_.clear();
      logged_.clear();
    } else {
      error_ = source.message();
      delay_ = std::max(std::chrono::milliseconds(1), std::min(options_.first, options_.longest));
      next_attempt_ = Clock::now() + delay_;
      note_error(error_);
    }
  }
  wake_.notify_all();
}

SourceRetryState SourceRetry::state() const {
  std::lock_guard lock(mu_);
  SourceRetryState s;
  if (!waiting_) return s;
  s.error = error_;
  s.attempts = attempts_;
  s.next_in_s = std::max(0.0, std::chrono::duration<double>(next_attempt_ - Clock::now()).count());
  return s;
}

void SourceRetry::note_error(const std::string& error) {
  if (error == logged_) return;
  logged_ = error;
  spdlog::warn("adc: {}; serving without measuring, trying again (every {} s at most)", error,
               options_.longest.count() / 1000.0);
}

void SourceRetry::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (!waiting_) {
      wake_.wait(lock, [this] { return stop_ || waiting_; });
      continue;
    }
    lock.unlock();
    on_tick_();
    lock.lock();
    const auto now = Clock::now();
    if (now < next_attempt_) {
      wake_.wait_until(lock, std::min(next_attempt_, now + options_.tick));
      continue;
    }
    const uint64_t generation = generation_;
    ++attempts_;
    lock.unlock();
    const Status result = attempt_();
    lock.lock();
    // watch() was called meanwhile (a config change, or this attempt's own switch): it set the state.
    if (generation != generation_) continue;
    if (result.ok()) {
      waiting_ = false;
      error_.clear();
      logged_.clear();
      continue;
    }
    error_ = result.message();
    note_error(error_);
    delay_ = std::min(delay_ * 2, options_.longest);
    next_attempt_ = Clock::now() + delay_;
  }
}

}  // namespace iw::app
