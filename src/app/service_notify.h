// Tells systemd how the daemon is doing (sd_notify(3), a unit of Type=notify): READY=1 once the
// HTTP listener is up and the sampler has reached its first checkpoint, WATCHDOG=1 every half
// WatchdogSec while the sampler keeps making checkpoints (or, while the ADC cannot be opened,
// the loop that waits for it keeps ticking: app/source_retry.h), STATUS= with what the daemon
// does (measuring, or why not), STOPPING=1 at the end. Outside
// systemd (NOTIFY_SOCKET unset) every call is a no-op.
//
// The sampling thread only increments a counter (on_checkpoint); this object's own thread talks
// to systemd, so a slow or full notify socket never delays a sample. A sampler that stops making
// checkpoints (a hung source, a dead thread) stops the feeding, and systemd restarts the
// service when WatchdogSec runs out.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace iw::app {

class ServiceNotifier {
 public:
  // Reads NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID (sd_watchdog_enabled) of this process.
  ServiceNotifier();
  ~ServiceNotifier();  // sends STOPPING=1
  ServiceNotifier(const ServiceNotifier&) = delete;
  ServiceNotifier& operator=(const ServiceNotifier&) = delete;

  bool enabled() const { return enabled_; }
  // Zero when systemd set no watchdog.
  std::chrono::microseconds watchdog() const { return watchdog_; }

  // The sampler made a checkpoint. Any thread; never blocks.
  void on_checkpoint() { checkpoints_.fetch_add(1, std::memory_order_relaxed); }
  // The loop that waits for an unavailable source ticked: alive, though not measuring. Feeds
  // the watchdog as a checkpoint does. Any thread; never blocks.
  void on_source_wait() { checkpoints_.fetch_add(1, std::memory_order_relaxed); }
  // The daemon serves: READY=1 follows with the first checkpoint (or source wait tick).
  void serving();
  // What systemctl status shows (STATUS=), sent with READY=1 and whenever it changes.
  void set_status(std::string text);

 private:
  void run();

  bool enabled_ = false;
  std::chrono::microseconds watchdog_{0};
  std::atomic<uint64_t> checkpoints_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool serving_ = false;                          // guarded by mu_
  bool stop_ = false;                             // guarded by mu_
  std::string status_ = "measuring and serving";  // guarded by mu_
  std::thread thread_;
};

}  // namespace iw::app
