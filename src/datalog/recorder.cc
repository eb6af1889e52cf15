#include "datalog/recorder.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace iw::datalog {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

Record record_of(int64_t time_s, const std::vector<measure::ChannelCounters>& counters) {
  Record record;
  record.time = time_s;
  record.channels = counters;
  for (const auto& c : counters) record.monitored_us = std::max(record.monitored_us, c.seconds.micros());
  return record;
}

Recorder::Recorder(std::unique_ptr<Log> current, std::unique_ptr<Log> history, const RecorderSettings& settings)
    : current_(std::move(current)), history_(std::move(history)), settings_(settings) {}

bool Recorder::makes_record(int64_t time_ns) { return time_ns % (kCurrentIntervalS * kNanosPerSecond) == 0; }

std::optional<Record> Recorder::checkpoint_record(int64_t time_ns,
                                                  const std::vector<measure::ChannelCounters>& counters) {
  if (!makes_record(time_ns)) return std::nullopt;
  return record_of(time_ns / kNanosPerSecond, counters);
}

void Recorder::append(Log& log, const Record& record, std::string& error) {
  Status st = log.append(record);
  std::lock_guard<std::mutex> lock(mu_);
  if (st.ok()) {
    if (!error.empty()) spdlog::info("datalog: {} writes again", log.dir());
    error.clear();
  } else if (error != st.message()) {
    error = st.message();
    spdlog::error("datalog: {} (measuring and serving go on; logging resumes when it can)", error);
  }
}

void Recorder::write(const Record& record, std::span<const Record> side) {
  // Never out of order; a stale time is said once (see the file comment for the causes).
  if (const auto last = current_->last_time(); last && record.time <= *last) {
    if (stale_++ == 0) {
      spdlog::warn(
          "datalog: sample time {} is not after the newest record {}; records are written "
          "again once the time passes it",
          record.time, *last);
    }
    return;
  }
  append(*current_, record, current_error_);
  if (goes_to_history(record.time)) append(*history_, record, history_error_);
  for (size_t k = 0; k < side.size() && k < side_logs_.size(); ++k) {
    Log& log = *side_logs_[k].log;
    // Never out of order in a side log either: it may already hold this time.
    if (const auto last = log.last_time(); last && side[k].time <= *last) continue;
    std::string* error = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      error = &side_errors_[side_logs_[k].name];
    }
    append(log, side[k], *error);
  }
  if (record.time - last_retention_ >= kRetentionEveryS) apply_retention(record.time);
}

void Recorder::apply_retention(int64_t now) {
  last_retention_ = now;
  std::vector<std::pair<Log*, Retention>> all = {{current_.get(), settings_.current},
                                                 {history_.get(), settings_.history}};
  for (const SideLog& side : side_logs_) all.emplace_back(side.log.get(), settings_.current);
  for (const auto& [log, policy] : all) {
    if (policy.max_age_s == 0 && policy.max_total_bytes == 0) continue;
    auto report = log->retain(policy, now);
    if (!report) {
      spdlog::error("datalog: retention of {}: {}", log->dir(), report.error());
    } else if (!report->deleted.empty()) {
      spdlog::info("datalog: retention deleted {} segment(s) of {}, {} bytes", report->deleted.size(), log->dir(),
                   report->bytes_freed);
    }
  }
}

void Recorder::sync() {
  for (auto* log : {current_.get(), history_.get()}) {
    if (Status st = log->sync(); !st) spdlog::error("datalog: {}", st.message());
  }
  for (const SideLog& side : side_logs_) {
    if (Status st = side.log->sync(); !st) spdlog::error("datalog: {}", st.message());
  }
}

void Recorder::reconfigure(const Layout& layout, const RecorderSettings& settings) {
  current_->set_layout(layout);
  history_->set_layout(layout);
  settings_.current = settings.current;
  settings_.history = settings.history;
}

void Recorder::set_side_logs(std::vector<SideLog> logs) {
  std::lock_guard<std::mutex> lock(mu_);
  side_logs_ = std::move(logs);
  side_errors_.clear();
}

std::optional<Record> Recorder::resume_point() const {
  std::optional<Record> best;
  for (const auto* log : {current_.get(), history_.get()}) {
    auto last = log->last();
    if (last.ok() && last.value() && (!best || last.value()->time > best->time)) best = *last.value();
  }
  return best;
}

std::vector<measure::ChannelCounters> Recorder::resume_counters(size_t channel_count) const {
  std::vector<measure::ChannelCounters> counters(channel_count);
  const std::optional<Record> newest = resume_point();
  for (size_t ch = 0; ch < channel_count; ++ch) {
    if (newest && newest->holds(ch)) {
      counters[ch] = newest->channels[ch];
      continue;
    }
    std::optional<Record> best;
    for (const auto* log : {current_.get(), history_.get()}) {
      auto found = log->last_holding(ch);
      if (!found.ok()) {
        spdlog::error("datalog: {}: {}", log->dir(), found.error());
      } else if (found.value() && (!best || found.value()->time > best->time)) {
        best = std::move(found.value());
      }
    }
    if (best) counters[ch] = best->channels[ch];
  }
  return counters;
}

std::vector<LogStatus> Recorder::status() const {
  std::vector<std::pair<const Log*, std::string>> logs = {{current_.get(), "Current"}, {history_.get(), "History"}};
  std::vector<SideLog> sides;  // holds them while they are read
  {
    std::lock_guard<std::mutex> lock(mu_);
    sides = side_logs_;
  }
  for (const SideLog& side : sides) logs.emplace_back(side.log.get(), side.name);
  std::vector<LogStatus> out;
  for (const auto& [log, id] : logs) {
    const LogInfo info = log->info();
    LogStatus s;
    s.id = id;
    s.interval = log->interval();
    s.first_key = info.first_time;
    s.last_key = info.last_time;
    s.size = info.total_bytes;
    s.appended = log->appends();
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

}  // namespace iw::datalog
