#include "app/datalog_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

namespace iw::app {
namespace {

constexpr int64_t kCurrentInterval = 5;
constexpr int64_t kHistoryInterval = 60;
constexpr size_t kMaxQueued = 720;  // an hour of 5 s records
constexpr int64_t kRetentionEvery = 3600;

}  // namespace

std::string current_log_dir(const std::string& data_dir) { return data_dir + "/datalog/current"; }
std::string history_log_dir(const std::string& data_dir) { return data_dir + "/datalog/history"; }

Result<std::unique_ptr<datalog::Log>> open_daemon_log(const std::string& data_dir, DaemonLog which,
                                                      const datalog::Layout& layout,
                                                      int64_t sync_interval_s) {
  const bool current = which == DaemonLog::kCurrent;
  const std::string dir = current ? current_log_dir(data_dir) : history_log_dir(data_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  datalog::LogOptions options = current ? datalog::current_log_options(layout) : datalog::history_log_options(layout);
  options.sync_interval_s = sync_interval_s;
  auto log = datalog::Log::Open(dir, options);
  if (!log) return Status::InvalidArgument(std::string(current ? "current" : "history") + " log: " + log.error());
  return log;
}

datalog::Record record_of(int64_t time_s, const std::vector<measure::ChannelCounters>& counters) {
  datalog::Record record;
  record.time = time_s;
  record.channels = counters;
  for (const auto& c : counters) record.monitored_us = std::max(record.monitored_us, c.seconds.micros());
  return record;
}

Result<std::unique_ptr<DatalogService>> DatalogService::Open(const DatalogSettings& settings,
                                                             const datalog::Layout& layout) {
  auto current = open_daemon_log(settings.data_dir, DaemonLog::kCurrent, layout, settings.sync_interval_s);
  if (!current) return current.status();
  auto history = open_daemon_log(settings.data_dir, DaemonLog::kHistory, layout, settings.sync_interval_s);
  if (!history) return history.status();
  for (const auto* log : {current.value().get(), history.value().get()}) {
    for (const std::string& aside : log->info().set_aside) {
      spdlog::warn("datalog: {} had a damaged header and was set aside (nothing deleted)", aside);
    }
  }
  return std::unique_ptr<DatalogService>(new DatalogService(
      settings, std::move(current.value()), std::move(history.value())));
}

DatalogService::DatalogService(DatalogSettings settings, std::unique_ptr<datalog::Log> current,
                               std::unique_ptr<datalog::Log> history)
    : settings_(std::move(settings)), current_(std::move(current)), history_(std::move(history)) {}

DatalogService::~DatalogService() { stop(); }

std::optional<datalog::Record> DatalogService::resume_point() const {
  std::optional<datalog::Record> best;
  for (const auto* log : {current_.get(), history_.get()}) {
    auto last = log->last();
    if (last.ok() && last.value() && (!best || last.value()->time > best->time)) best = *last.value();
  }
  return best;
}

void DatalogService::offer(const measure::Checkpoint& cp, std::vector<datalog::Record> side_records) {
  if (cp.time_ns % (kCurrentInterval * 1'000'000'000) != 0) return;
  Pending pending{record_of(cp.time_ns / 1'000'000'000, cp.counters), std::move(side_records)};
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.size() >= kMaxQueued) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(pending));
  wake_.notify_one();
}

void DatalogService::start() {
  writer_ = std::thread([this] { run(); });
}

void DatalogService::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void DatalogService::wait_idle(std::unique_lock<std::mutex>& lock) {
  if (writer_.joinable()) idle_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

void DatalogService::set_side_logs(std::vector<NamedLog> logs) {
  std::unique_lock<std::mutex> lock(mu_);
  wait_idle(lock);
  side_logs_ = std::move(logs);
  side_errors_.clear();
}

void DatalogService::reconfigure(const datalog::Layout& layout, const DatalogSettings& settings) {
  std::unique_lock<std::mutex> lock(mu_);
  wait_idle(lock);
  // The writer is idle and waits for mu_ before it touches the logs again.
  current_->set_layout(layout);
  history_->set_layout(layout);
  settings_.current = settings.current;
  settings_.history = settings.history;
}

void DatalogService::run() {
  for (;;) {
    Pending pending;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and everything is written
      pending = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
    }
    write(pending);
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  for (auto* log : {current_.get(), history_.get()}) {
    if (Status st = log->sync(); !st) spdlog::error("datalog: {}", st.message());
  }
  for (const NamedLog& side : side_logs_) {
    if (Status st = side.log->sync(); !st) spdlog::error("datalog: {}", st.message());
  }
}

void DatalogService::write(const Pending& pending) {
  const datalog::Record& record = pending.record;
  // Time before the newest record: a replay of old samples, a clock stepped back, or a log
  // written ahead by a run with --speed > 1. Never written out of order; said once.
  if (const auto last = current_->last_time(); last && record.time <= *last) {
    if (stale_++ == 0) {
      spdlog::warn("datalog: sample time {} is not after the newest record {}; records are written "
                   "again once the time passes it",
                   record.time, *last);
    }
    return;
  }
  // `error` is guarded by mu_.
  auto append = [&](datalog::Log& log, const datalog::Record& r, std::string& error) {
    Status st = log.append(r);
    std::lock_guard<std::mutex> lock(mu_);
    if (st.ok()) {
      if (!error.empty()) spdlog::info("datalog: {} writes again", log.dir());
      error.clear();
    } else if (error != st.message()) {
      error = st.message();
      spdlog::error("datalog: {} (measuring and serving go on; logging resumes when it can)", error);
    }
  };
  append(*current_, record, current_error_);
  if (record.time % kHistoryInterval == 0) append(*history_, record, history_error_);
  for (size_t k = 0; k < pending.side.size() && k < side_logs_.size(); ++k) {
    datalog::Log& log = *side_logs_[k].log;
    if (const auto last = log.last_time(); last && pending.side[k].time <= *last) continue;
    std::string* error = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      error = &side_errors_[side_logs_[k].name];  // std::map: the element stays where it is
    }
    append(log, pending.side[k], *error);
  }
  if (record.time - last_retention_ >= kRetentionEvery) apply_retention(record.time);
}

void DatalogService::apply_retention(int64_t now) {
  last_retention_ = now;
  const std::pair<datalog::Log*, datalog::Retention> logs[] = {
      {current_.get(), settings_.current}, {history_.get(), settings_.history}};
  std::vector<std::pair<datalog::Log*, datalog::Retention>> all(std::begin(logs), std::end(logs));
  for (const NamedLog& side : side_logs_) all.emplace_back(side.log.get(), settings_.current);
  for (const auto& [log, policy] : all) {
    if (policy.max_age_s == 0 && policy.max_total_bytes == 0) continue;
    auto report = log->retain(policy, now);
    if (!report) {
      spdlog::error("datalog: retention of {}: {}", log->dir(), report.error());
    } else if (!report->deleted.empty()) {
      spdlog::info("datalog: retention deleted {} segment(s) of {}, {} bytes", report->deleted.size(),
                   log->dir(), report->bytes_freed);
    }
  }
}

std::vector<DatalogStatus> DatalogService::status() const {
  std::vector<DatalogStatus> out;
  std::vector<std::pair<const datalog::Log*, std::string>> logs = {{current_.get(), "Current"},
                                                                   {history_.get(), "History"}};
  std::vector<NamedLog> sides;  // holds them while they are read
  {
    std::lock_guard<std::mutex> lock(mu_);
    sides = side_logs_;
  }
  for (const NamedLog& side : sides) logs.emplace_back(side.log.get(), side.name);
  for (const auto& [log, id] : logs) {
    const datalog::LogInfo info = log->info();
    DatalogStatus s;
    s.id = id;
    s.interval = log->interval();
    s.first_key = info.first_time;
    s.last_key = info.last_time;
    s.size = info.total_bytes;
    s.appended = log->appends();
    s.dropped = dropped_.load();
    std::lock_guard<std::mutex> lock(mu_);
    if (log == current_.get()) {
      s.error = current_error_;
    } else if (log == history_.get()) {
      s.error = history_error_;
    } else if (auto it = side_errors_.find(id); it != side_errors_.end()) {
      s.error = it->second;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace iw::app
