#include "app/event_service.h"

#include <spdlog/spdlog.h>

#include <ctime>

namespace iw::app {

std::string EventService::dir_of(const std::string& data_dir) { return data_dir + "/events"; }

Result<std::unique_ptr<EventService>> EventService::Open(const std::string& data_dir,
                                                         const datalog::EventLogOptions& options) {
  auto log = datalog::EventLog::Open(dir_of(data_dir), options);
  if (!log) return log.status();
  const datalog::EventLogInfo info = log.value()->info();
  if (info.damaged_segments > 0) {
    spdlog::warn("events: {} segment(s) end in a torn or damaged record; the events before it are kept",
                 info.damaged_segments);
  }
  if (info.other_files > 0) {
    spdlog::warn("events: {} file(s) in {} are not event segments and are left alone", info.other_files,
                 dir_of(data_dir));
  }
  return std::unique_ptr<EventService>(new EventService(std::move(log.value())));
}

EventService::~EventService() { stop(); }

void EventService::start() {
  writer_ = std::thread([this] { run(); });
}

void EventService::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void EventService::offer(std::vector<measure::StepEvent> events) {
  std::lock_guard lock(mu_);
  for (const measure::StepEvent& e : events) {
    if (queue_.size() >= kMaxQueued) {
      dropped_ += 1;
      continue;
    }
    queue_.push_back(e);
  }
  wake_.notify_one();
}

void EventService::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    std::vector<measure::StepEvent> batch(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    const bool kept = write(batch);
    lock.lock();
    if (kept) continue;
    if (stopping_) {
      dropped_ += batch.size() + queue_.size();
      return;
    }
    // Not kept (disk full, I/O error): back in front of what came meanwhile, tried again in
    // kRetry; the newest go when the queue overflows.
    queue_.insert(queue_.begin(), batch.begin(), batch.end());
    while (queue_.size() > kMaxQueued) {
      queue_.pop_back();
      dropped_ += 1;
    }
    wake_.wait_for(lock, kRetry, [this] { return stopping_; });
  }
}

bool EventService::write(const std::vector<measure::StepEvent>& batch) {
  const Status st = log_->append(batch, std::time(nullptr));
  std::lock_guard lock(error_mu_);
  if (st.ok()) {
    written_ += batch.size();
    if (!error_.empty()) spdlog::info("events: {} writes again", log_->dir());
    error_.clear();
    return true;
  }
  if (error_ != st.message()) {
    error_ = st.message();
    spdlog::error(
        "events: {} (the events wait in memory and are written when it works again; measuring and "
        "serving go on)",
        error_);
  }
  return false;
}

EventServiceStatus EventService::status() const {
  EventServiceStatus s;
  s.log = log_->info();
  s.written = written_;
  s.dropped = dropped_;
  std::lock_guard lock(error_mu_);
  s.error = error_;
  return s;
}

}  // namespace iw::app
