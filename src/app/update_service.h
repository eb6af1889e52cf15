// The daemon's updater: checks the update server on a schedule (update/updater.h), installs
// what it may and restarts into it; and while the running version is on trial, watches its
// health and confirms it (or rolls it back and restarts into the previous version).
//
// Healthy means all of: the sampler has checkpointed, a datalog record was written by this
// run, and the daemon's own HTTP listener answers a request over loopback (never through a
// proxy). A version still waiting for its ADC at the deadline is not healthy: a release that
// cannot open the board the previous one read is rolled back (so is one whose board was
// unplugged during its trial; installing it again once the board is back is safe).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "server/status.h"
#include "update/updater.h"

namespace iw::app {

// The updater's settings from a config (its "update" class and "update_server" section) for
// the data directory `data_dir`, as the daemon and `iotawatt update` use them.
struct UpdaterConfig {
  update::UpdaterSettings settings;
  int interval_s = 3600;
};
UpdaterConfig updater_config(const config::Config& config, const std::string& data_dir);

class UpdateService {
 public:
  struct Probes {
    std::function<bool()> measuring;  // the sampler has checkpointed
    std::function<bool()> logging;    // a datalog record was written since the daemon started
    std::string http_address;         // HOST:PORT of the daemon's plain HTTP listener
  };
  // Unix seconds: the wall clock unless a test passes its own.
  using Clock = std::function<int64_t()>;
  // `restart` stops the daemon and starts the launcher again (daemon.cc). The first check
  // comes `first_check_s` after the start, and 5 s after the class or the server changes.
  UpdateService(std::string data_dir, Probes probes, std::function<void()> restart, int first_check_s = 120,
                Clock clock = {});
  ~UpdateService();
  UpdateService(const UpdateService&) = delete;
  UpdateService& operator=(const UpdateService&) = delete;

  // The running config's "update" class and "update_server" section.
  void configure(const config::Config& config);
  void start();
  void stop();
  server::UpdateStatus status() const;

 private:
  void run();
  void check(int64_t now);
  // While the running version is on trial: confirms it or rolls it back. True while it lasts.
  bool watch_trial(int64_t now);
  bool healthy() const;

  const std::string data_dir_, root_, state_path_;
  const Probes probes_;
  const std::function<void()> restart_;
  const Clock clock_;

  const std::shared_ptr<std::atomic<bool>> abort_ = std::make_shared<std::atomic<bool>>(false);
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  update::UpdaterSettings settings_;  // guarded by mu_
  int interval_s_ = 3600;             // guarded by mu_
  int64_t next_check_ = 0;            // guarded by mu_
  bool on_trial_ = false;             // guarded by mu_
  // guarded by mu_. Its history is the state file's, read when this service changes the file
  // (not per /status request); a change made meanwhile by `iotawatt update` shows after a restart.
  server::UpdateStatus status_;
  std::thread thread_;
};

}  // namespace iw::app
