#include "query/integrator_recorder.h"

#include <spdlog/spdlog.h>

#include "calc/interval_operands.h"
#include "datalog/data_dir.h"
#include "query/integrator_logs.h"

namespace iw::query {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

datalog::LogOptions integrator_log_options(int64_t sync_interval_s) {
  datalog::LogOptions options = datalog::current_log_options(integrator_layout());
  options.sync_interval_s = sync_interval_s;
  return options;
}

Result<std::shared_ptr<datalog::Log>> open_log(const std::string& data_dir, const std::string& name,
                                               IntegratorLogCache& cache, int64_t sync_interval_s) {
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  auto log = datalog::open_log_dir(datalog::integrator_log_dir(data_dir, name), integrator_log_options(sync_interval_s),
                                   "integrator " + name);
  if (!log) return log.status();
  std::shared_ptr<datalog::Log> shared = std::move(log.value());
  cache[name] = shared;
  return shared;
}

}  // namespace

std::unique_ptr<IntegratorRecorder> IntegratorRecorder::Start(const std::string& data_dir,
                                                              std::shared_ptr<const calc::Calculator> calculator,
                                                              const datalog::Log& current, IntegratorLogCache& cache,
                                                              int64_t sync_interval_s) {
  std::unique_ptr<IntegratorRecorder> set(new IntegratorRecorder(calculator));
  const auto& integrators = calculator->integrators();
  for (size_t k = 0; k < integrators.size(); ++k) {
    if (integrators[k].exact) continue;
    auto log = open_log(data_dir, integrators[k].name, cache, sync_interval_s);
    if (!log) {
      spdlog::error("{} (it reads 0 until this is fixed and the config is applied again)", log.error());
      continue;
    }
    Logged logged{k, {}};
    if (Status st = set->catch_up(logged, *log.value(), current); !st) {
      spdlog::error("integrator {}: {} (it reads 0 until this is fixed and the config is applied again)",
                    integrators[k].name, st.message());
      continue;
    }
    set->logged_.push_back(std::move(logged));
    set->logs_.push_back({integrators[k].name, log.value()});
  }
  auto last = current.last();
  if (last.ok() && last.value()) {
    set->previous_ = last.value()->channels;
    set->previous_monitored_us_ = last.value()->monitored_us;
  }
  return set;
}

double IntegratorRecorder::interval_wh(size_t index, const std::vector<measure::ChannelCounters>& older,
                                       const std::vector<measure::ChannelCounters>& newer, double hours) const {
  const calc::IntervalOperands operands(calculator_->inputs(), older, newer, hours);
  return calculator_->integrators()[index].script.evaluate(operands, calc::Quantity::kWh);
}

Status IntegratorRecorder::catch_up(Logged& logged, datalog::Log& log, const datalog::Log& current) {
  auto mine = log.last();
  if (!mine.ok()) return mine.status();
  if (mine.value()) {
    if (auto totals = decode_integrator_record(*mine.value())) logged.totals = *totals;
  }
  const std::optional<int64_t> end = current.last_time();
  if (!end) return Status::Ok();
  int64_t from = mine.value() ? mine.value()->time : *end - kBackfillDays * 86400;
  if (!mine.value()) {
    if (auto first = current.info().first_time) from = std::max(from, *first);
  }
  if (from >= *end) return Status::Ok();
  auto base = current.at_or_before(from);
  if (!base.ok()) return base.status();
  std::optional<datalog::Record> previous = std::move(base.value());
  std::vector<datalog::Record> batch;
  // A new integrator's log starts with zero totals at its first time, so it counts from there.
  if (!mine.value() && previous) {
    batch.push_back(encode_integrator_record(logged.totals, previous->time, previous->monitored_us));
  }
  uint64_t written = 0;
  auto flush = [&]() -> Status {
    Status st = log.append_batch(batch);
    written += batch.size();
    batch.clear();
    return st;
  };
  const std::string& name = calculator_->integrators()[logged.index].name;
  Status scanned = current.scan(from + 1, *end, [&](const datalog::Record& r) {
    if (previous) {
      const double hours = static_cast<double>(r.monitored_us - previous->monitored_us) / 3.6e9;
      if (hours > 0) logged.totals.add(interval_wh(logged.index, previous->channels, r.channels, hours));
    }
    batch.push_back(encode_integrator_record(logged.totals, r.time, r.monitored_us));
    previous = r;
    if (batch.size() >= 4096 && !flush().ok()) return false;
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (Status st = flush(); !st) return st;
  if (written > 0) spdlog::info("integrator {}: caught up {} records of the current log", name, written);
  return log.sync();
}

std::vector<datalog::Record> IntegratorRecorder::on_checkpoint(const measure::Checkpoint& cp) {
  std::vector<datalog::Record> out;
  if (logged_.empty()) return out;
  const datalog::Record now = datalog::record_of(cp.time_ns / kNanosPerSecond, cp.counters);
  if (previous_monitored_us_ >= 0) {
    const double hours = static_cast<double>(now.monitored_us - previous_monitored_us_) / 3.6e9;
    if (hours > 0) {
      for (Logged& l : logged_) l.totals.add(interval_wh(l.index, previous_, cp.counters, hours));
    }
  }
  previous_ = cp.counters;
  previous_monitored_us_ = now.monitored_us;
  if (!datalog::Recorder::makes_record(cp.time_ns)) return out;
  out.reserve(logged_.size());
  for (const Logged& l : logged_) {
    out.push_back(encode_integrator_record(l.totals, now.time, now.monitored_us));
  }
  return out;
}

std::vector<std::shared_ptr<const datalog::Log>> IntegratorRecorder::by_index() const {
  std::vector<std::shared_ptr<const datalog::Log>> out(calculator_->integrators().size());
  for (size_t k = 0; k < logged_.size(); ++k) out[logged_[k].index] = logs_[k].log;
  return out;
}

}  // namespace iw::query
