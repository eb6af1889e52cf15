// Waits for a sample source that could not be opened (an ADC whose /dev/spidev* is missing or
// not permitted) while the daemon serves: tries again after 1 s, then 2, 4 ... up to 60 s, so a
// Pi without SPI costs one open() a minute, not a restart loop under systemd.
//
// One thread, idle while the source runs. While waiting it ticks every `tick` (the daemon feeds
// systemd's watchdog from the ticks, so an attempt that hangs stops them and trips it) and calls
// `attempt` when the delay is up. An attempt that works has already switched the daemon to the
// opened source (it calls watch() with Ok, from this thread); one that fails says why. A
// message is logged when the error first appears and again only when it changes, never per try.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/status.h"

namespace iw::app {

struct SourceRetryOptions {
  std::chrono::milliseconds first{1000};     // delay before the first attempt
  std::chrono::milliseconds longest{60000};  // the delay doubles up to this
  std::chrono::milliseconds tick{1000};      // how often `on_tick` runs while waiting
};

// What /status and /metrics show while waiting; `error` is empty while the source runs.
struct SourceRetryState {
  std::string error;
  uint64_t attempts = 0;  // since the error appeared (watch() with an error)
  double next_in_s = 0;   // until the next attempt
};

class SourceRetry {
 public:
  // Ok once the source runs (the caller switched to it); else why it still cannot. Called on the
  // retry thread without this object's lock, so it may call watch().
  using Attempt = std::function<Status()>;
  using Tick = std::function<void()>;

  SourceRetry(SourceRetryOptions options, Attempt attempt, Tick on_tick);
  ~SourceRetry();  // stop()
  SourceRetry(const SourceRetry&) = delete;
  SourceRetry& operator=(const SourceRetry&) = delete;

  // The source now installed: Ok stops the waiting; an error starts it again from the first
  // delay (a new config deserves a prompt try). Any thread.
  void watch(const Status& source);
  SourceRetryState state() const;
  // Ends the thread (waits for an attempt in progress). Idempotent.
  void stop();

 private:
  void run();
  // REQUIRES: mu_ held. Logs `error` unless it is what was last logged.
  void note_error(const std::string& error);

  const SourceRetryOptions options_;
  const Attempt attempt_;
  const Tick on_tick_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  // Guarded by mu_.
  bool stop_ = false;
  bool waiting_ = false;
  uint64_t generation_ = 0;  // bumped by watch(): an attempt's answer from before it is stale
  std::string error_;
  std::string logged_;  // the error last logged
  uint64_t attempts_ = 0;
  std::chrono::milliseconds delay_{0};
  std::chrono::steady_clock::time_point next_attempt_;
  std::thread thread_;
};

}  // namespace iw::app
