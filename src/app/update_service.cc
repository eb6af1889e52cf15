#include "app/update_service.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <random>

#include "app/launcher.h"
#include "app/version.h"
#include "config/update_config.h"
#include "update/built_in_keys.h"
#include "update/launch.h"
#include "upload/curl_transport.h"

namespace iw::app {
namespace {

namespace fs = std::filesystem;
constexpr size_t kHistoryShown = 10;
constexpr int kReconfiguredCheckS = 5;

// The newest entries of the state file's history, as /status shows them.
std::vector<server::UpdateEvent> shown_history(const update::UpdateState& state) {
  std::vector<server::UpdateEvent> out;
  const size_t from = state.history.size() > kHistoryShown ? state.history.size() - kHistoryShown : 0;
  for (size_t i = from; i < state.history.size(); ++i) {
    const update::HistoryEntry& h = state.history[i];
    out.push_back({h.time, h.from, h.to, h.outcome, h.reason});
  }
  return out;
}

// The interval, jittered by up to 10 % either way: devices that started together do not all
// ask the server at once.
int64_t jittered(int interval_s) {
  static std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> spread(-interval_s / 10, interval_s / 10);
  return interval_s + spread(random);
}

// The loopback form of a listen address: 0.0.0.0:80 and [::]:80 are asked on 127.0.0.1 and [::1].
std::string loopback_url(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : listen.substr(colon + 1);
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return "http://" + host + ":" + port + "/nullreq";
}

}  // namespace

UpdaterConfig updater_config(const config::Config& config, const std::string& data_dir) {
  UpdaterConfig out;
  update::UpdaterSettings& u = out.settings;
  u.root = (fs::path(data_dir) / "update").string();
  u.built_in_keys = update::built_in_keys();
  u.installed.arch = kArch;
  u.installed.version = update::parse_version(running_version()).value();
  auto update_class = update::parse_update_class(config.update);
  u.update_class = update_class.ok() ? update_class.value() : update::UpdateClass::kNone;  // TEST: none of ours
  auto server = config::update_server_config(config);  // checked when the config was accepted
  if (server.ok() && server.value()) {
    const config::UpdateServerConfig& s = *server.value();
    u.server_url = s.url;
    u.extra_keys = s.keys;
    u.download.fetch.cafile = s.ca_file;
    u.download.max_bytes = static_cast<uint64_t>(s.max_download_mb) << 20;
    out.interval_s = s.interval_s;
    u.health_deadline_s = s.health_deadline_s;
  }
  return out;
}

UpdateService::UpdateService(std::string data_dir, Probes probes, std::function<void()> restart, int first_check_s,
                             Clock clock)
    : data_dir_(std::move(data_dir)),
      root_((fs::path(data_dir_) / "update").string()),
      state_path_((fs::path(root_) / "state.json").string()),
      probes_(std::move(probes)),
      restart_(std::move(restart)),
      clock_(clock ? std::move(clock) : [] { return static_cast<int64_t>(std::time(nullptr)); }) {
  settings_ = updater_config(config::Config{}, data_dir_).settings;
  settings_.download.fetch.abort = abort_;
  status_.version = running_version();
  status_.arch = kArch;
  status_.state = "disabled";
  const update::UpdateState state = update::load_update_state(state_path_).state;
  on_trial_ =
      trial_version() == running_version() && state.trial && state.trial->version.to_string() == running_version();
  if (on_trial_) status_.trial = running_version();
  status_.history = shown_history(state);
  next_check_ = clock_() + first_check_s;
}

UpdateService::~UpdateService() { stop(); }

void UpdateService::configure(const config::Config& config) {
  UpdaterConfig next = updater_config(config, data_dir_);
  std::lock_guard lock(mu_);
  next.settings.download.fetch.abort = abort_;
  const bool changed =
      next.settings.update_class != settings_.update_class || next.settings.server_url != settings_.server_url;
  settings_ = std::move(next.settings);
  interval_s_ = next.interval_s;
  status_.update_class = std::string(update::to_string(settings_.update_class));
  if (settings_.update_class == update::UpdateClass::kNone) {
    status_.state = "disabled";
  } else if (status_.last_check == 0) {
    status_.state = "waiting";
  }
  if (changed && thread_.joinable()) next_check_ = std::min(next_check_, clock_() + kReconfiguredCheckS);
  wake_.notify_all();
}

void UpdateService::start() {
  thread_ = std::thread([this] { run(); });
}

void UpdateService::stop() {
  *abort_ = true;  // a download in flight gives up; it resumes after the restart
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

server::UpdateStatus UpdateService::status() const {
  server::UpdateStatus s;
  {
    std::lock_guard lock(mu_);
    s = status_;
    s.next_check = settings_.update_class == update::UpdateClass::kNone ? 0 : next_check_;
  }
  return s;
}

void UpdateService::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const int64_t now = clock_();
    if (on_trial_) {
      lock.unlock();
      const bool still = watch_trial(now);
      lock.lock();
      on_trial_ = still;
    } else if (now >= next_check_) {
      next_check_ = now + jittered(interval_s_);
      lock.unlock();
      check(now);
      lock.lock();
    }
    // A stop asked for while the lock was released (e.g. by the restart call) was notified to
    // nobody: it is seen here, not after the wait.
    if (stopping_) break;
    const auto wait =
        on_trial_ ? std::chrono::seconds(1) : std::chrono::seconds(std::max<int64_t>(1, next_check_ - clock_()));
    wake_.wait_for(lock, wait);
  }
}

void UpdateService::check(int64_t now) {
  update::UpdaterSettings settings;
  {
    std::lock_guard lock(mu_);
    settings = settings_;
  }
  const update::CheckReport report = update::check_for_update(settings, now, true);
  const update::UpdateState state = update::load_update_state(state_path_).state;  // the check may have written it
  {
    std::lock_guard lock(mu_);
    status_.history = shown_history(state);
    status_.last_check = now;
    status_.state = std::string(update::to_string(report.outcome));
    status_.message = report.message;
    if (!report.available.empty()) status_.available = report.available;
  }
  using Outcome = update::CheckReport::Outcome;
  if (report.outcome == Outcome::kRefused || report.outcome == Outcome::kFailed) spdlog::warn("{}", report.message);
  if (report.outcome == Outcome::kInstalled) {
    spdlog::info("{}: restarting into it", report.message);
    restart_();
  }
}

bool UpdateService::watch_trial(int64_t now) {
  update::LoadedState loaded = update::load_update_state(state_path_);
  if (!loaded.state.trial) return false;
  update::SlotStore slots(root_);
  const int64_t deadline_s = loaded.state.trial->deadline_s;
  if (healthy()) {
    update::confirm_healthy(slots, loaded.state, now);
    if (Status st = update::save_update_state(state_path_, loaded.state); !st) spdlog::warn("update: {}", st.message());
    spdlog::info("update: {} is healthy: sampling, logging and serving", running_version());
    std::lock_guard lock(mu_);
    status_.trial.clear();
    status_.history = shown_history(loaded.state);
    return false;
  }
  if (now - loaded.state.trial->started <= deadline_s) return true;
  const std::string message = update::roll_back(
      slots, loaded.state, now, "not healthy within " + std::to_string(deadline_s) + " s (sampling, logging, serving)");
  if (Status st = update::save_update_state(state_path_, loaded.state); !st) spdlog::warn("update: {}", st.message());
  {
    std::lock_guard lock(mu_);
    status_.history = shown_history(loaded.state);
  }
  spdlog::error("{}: restarting", message);
  restart_();
  return false;
}

bool UpdateService::healthy() const {
  if (!probes_.measuring() || !probes_.logging()) return false;
  upload::TransportOptions options;
  options.connect_timeout_ms = 2000;
  options.total_timeout_ms = 5000;
  options.direct = true;
  upload::CurlTransport transport(options);
  upload::HttpRequest request;
  request.method = "GET";
  request.url = loopback_url(probes_.http_address);
  auto response = transport.send(request);
  return response.ok() && response.value().status == 200;
}

}  // namespace iw::app
