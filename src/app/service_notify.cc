#include "app/service_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace iw::app {
namespace {

// How often the thread looks for the first checkpoint before READY=1.
constexpr std::chrono::milliseconds kPoll{100};

}  // namespace

ServiceNotifier::ServiceNotifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  enabled_ = socket != nullptr && socket[0] != '\0';
  if (!enabled_) return;
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) watchdog_ = std::chrono::microseconds(usec);
  thread_ = std::thread([this] { run(); });
}

ServiceNotifier::~ServiceNotifier() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  sd_notify(0, "STOPPING=1");
}

void ServiceNotifier::serving() {
  {
    std::lock_guard lock(mu_);
    serving_ = true;
  }
  wake_.notify_all();
}

void ServiceNotifier::set_status(std::string text) {
  {
    std::lock_guard lock(mu_);
    status_ = std::move(text);
  }
  wake_.notify_all();
}

void ServiceNotifier::run() {
  bool ready = false;
  uint64_t fed_at = 0;  // the checkpoint count at the last WATCHDOG=1
  bool stalled = false;
  auto next_feed = std::chrono::steady_clock::now();
  std::string sent_status;
  std::unique_lock lock(mu_);
  while (!stop_) {
    const uint64_t count = checkpoints_.load(std::memory_order_relaxed);
    if (!ready && serving_ && count > 0) {
      sd_notify(0, ("READY=1\nSTATUS=" + status_).c_str());
      sent_status = status_;
      ready = true;
      spdlog::info("systemd: ready{}",
                   watchdog_.count() ? fmt::format(", watchdog every {} ms", watchdog_.count() / 2000) : std::string());
    }
    if (ready && status_ != sent_status) {
      sd_notify(0, ("STATUS=" + status_).c_str());
      sent_status = status_;
    }
    const auto now = std::chrono::steady_clock::now();
    if (ready && watchdog_.count() > 0 && now >= next_feed) {
      // Fed only when the sampler made progress since the last feed: a hung sampler lets the
      // watchdog run out.
      if (count != fed_at) {
        sd_notify(0, "WATCHDOG=1");
        fed_at = count;
        if (stalled) spdlog::info("systemd: sampler checkpoints again; watchdog fed");
        stalled = false;
      } else if (!stalled) {
        spdlog::error("systemd: no sampler checkpoint (nor source wait) for {} ms; the watchdog is not fed",
                      watchdog_.count() / 2000);
        stalled = true;
      }
      next_feed = now + watchdog_ / 2;
    }
    if (!ready) {
      wake_.wait_for(lock, kPoll);
    } else if (watchdog_.count() > 0) {
      wake_.wait_until(lock, next_feed);
    } else {
      // Ready, no watchdog: only a new status to say.
      wake_.wait(lock, [&] { return stop_ || status_ != sent_status; });
    }
  }
}

}  // namespace iw::app
