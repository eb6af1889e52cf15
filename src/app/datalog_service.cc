#include "app/datalog_service.h"

#include <spdlog/spdlog.h>

namespace iw::app {
namespace {

constexpr size_t kMaxQueued = 3600 / datalog::kCurrentIntervalS;  // an hour of records

}  // namespace

Result<std::unique_ptr<DatalogService>> DatalogService::Open(const std::string& data_dir,
                                                             const datalog::RecorderSettings& settings,
                                                             const datalog::Layout& layout) {
  auto current = datalog::open_daemon_log(data_dir, datalog::DaemonLog::kCurrent, layout, settings.sync_interval_s);
  if (!current) return current.status();
  auto history = datalog::open_daemon_log(data_dir, datalog::DaemonLog::kHistory, layout, settings.sync_interval_s);
  if (!history) return history.status();
  for (const auto* log : {current.value().get(), history.value().get()}) {
    for (const std::string& aside : log->info().set_aside) {
      spdlog::warn("datalog: {} had a damaged header and was set aside (nothing deleted)", aside);
    }
  }
  const std::string dir = datalog::datalog_dir(data_dir);
  auto stop_record = datalog::read_stop_record(dir);
  if (!stop_record) {
    spdlog::warn(
        "datalog: {} (counters continue from the newest record instead; the file is replaced at the next clean stop)",
        stop_record.error());
  }
  return std::unique_ptr<DatalogService>(
      new DatalogService(dir, std::move(current.value()), std::move(history.value()), settings,
                         stop_record ? std::move(stop_record.value()) : std::nullopt));
}

std::optional<datalog::Record> DatalogService::resume_point() const {
  return resumes_from_stop() ? stop_record_ : recorder_.resume_point();
}

std::vector<measure::ChannelCounters> DatalogService::resume_counters(size_t channel_count) const {
  std::vector<measure::ChannelCounters> counters = recorder_.resume_counters(channel_count);
  if (!resumes_from_stop()) return counters;
  for (size_t ch = 0; ch < channel_count; ++ch) {
    if (stop_record_->holds(ch)) counters[ch] = stop_record_->channels[ch];
  }
  return counters;
}

DatalogService::~DatalogService() { stop(); }

void DatalogService::offer(const measure::Checkpoint& cp, std::vector<datalog::Record> side_records) {
  auto record = datalog::Recorder::checkpoint_record(cp.time_ns, cp.counters);
  if (!record) return;
  Pending pending{std::move(*record), std::move(side_records)};
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

void DatalogService::stop(const std::optional<measure::Checkpoint>& last) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  if (!last || last->counters.empty()) return;
  // The writer thread is gone: the recorder and its logs are this thread's now.
  const datalog::Record record = datalog::record_of(last->time_ns / 1'000'000'000, last->counters);
  if (Status st = datalog::write_stop_record(datalog_dir_, recorder_.current().options().layout, record); !st.ok()) {
    spdlog::error("datalog: {} (the next start continues from the newest record)", st.message());
  }
}

void DatalogService::wait_idle(std::unique_lock<std::mutex>& lock) {
  if (writer_.joinable()) idle_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

void DatalogService::set_side_logs(std::vector<datalog::SideLog> logs) {
  std::unique_lock<std::mutex> lock(mu_);
  wait_idle(lock);
  recorder_.set_side_logs(std::move(logs));
}

void DatalogService::reconfigure(const datalog::Layout& layout, const datalog::RecorderSettings& settings) {
  std::unique_lock<std::mutex> lock(mu_);
  wait_idle(lock);
  // The writer is idle and waits for mu_ before it touches the recorder again.
  recorder_.reconfigure(layout, settings);
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
    recorder_.write(pending.record, pending.side);
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  recorder_.sync();
}

std::vector<DatalogStatus> DatalogService::status() const {
  std::vector<DatalogStatus> out;
  for (datalog::LogStatus& s : recorder_.status()) {
    DatalogStatus d{std::move(s)};
    d.dropped = dropped_.load();
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace iw::app
