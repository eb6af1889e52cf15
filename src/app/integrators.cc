#include "app/integrators.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "calc/interval_operands.h"

namespace iw::app {
namespace {

constexpr int64_t kCurrentInterval = 5;
constexpr int64_t kNanosPerSecond = 1'000'000'000;

datalog::LogOptions integrator_log_options(int64_t sync_interval_s) {
  datalog::LogOptions options = datalog::current_log_options({measure::ChannelKind::kCurrent});
  options.sync_interval_s = sync_interval_s;
  return options;
}

Result<std::shared_ptr<datalog::Log>> open_log(const std::string& data_dir, const std::string& name,
                                               IntegratorLogCache& cache, int64_t sync_interval_s) {
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const std::string dir = integrator_log_dir(data_dir, name);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  auto log = datalog::Log::Open(dir, integrator_log_options(sync_interval_s));
  if (!log) return Status::InvalidArgument("integrator " + name + ": " + log.error());
  std::shared_ptr<datalog::Log> shared = std::move(log.value());
  cache[name] = shared;
  return shared;
}

}  // namespace

std::string integrator_log_dir(const std::string& data_dir, const std::string& name) {
  return data_dir + "/datalog/integrators/" + name;
}

std::unique_ptr<IntegratorSet> IntegratorSet::Start(const std::string& data_dir,
                                                             std::shared_ptr<const calc::Calculator> calculator,
                                                             const datalog::Log& current, IntegratorLogCache& cache,
                                                             int64_t sync_interval_s) {
  std::unique_ptr<IntegratorSet> set(new IntegratorSet(calculator));
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

double IntegratorSet::interval_wh(size_t index, const std::vector<measure::ChannelCounters>& older,
                                  const std::vector<measure::ChannelCounters>& newer, double hours) const {
  const calc::IntervalOperands operands(calculator_->inputs(), older, newer, hours);
  return calculator_->integrators()[index].script.evaluate(operands, calc::Quantity::kWh);
}

datalog::Record IntegratorSet::record_of_totals(const Logged& logged, int64_t time, int64_t monitored_us) const {
  datalog::Record r;
  r.time = time;
  r.monitored_us = monitored_us;
  r.channels.resize(1);
  r.channels[0].wh_import = logged.totals.pos();
  r.channels[0].wh_export = logged.totals.neg_magnitude();
  return r;
}

Status IntegratorSet::catch_up(Logged& logged, datalog::Log& log, const datalog::Log& current) {
  auto mine = log.last();
  if (!mine.ok()) return mine.status();
  if (mine.value()) {
    const auto& c = mine.value()->channels;
    if (!c.empty()) logged.totals.restore(c[0].wh_import.micros(), c[0].wh_export.micros());
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
  if (!mine.value() && previous) batch.push_back(record_of_totals(logged, previous->time, previous->monitored_us));
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
    batch.push_back(record_of_totals(logged, r.time, r.monitored_us));
    previous = r;
    if (batch.size() >= 4096 && !flush().ok()) return false;
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (Status st = flush(); !st) return st;
  if (written > 0) spdlog::info("integrator {}: caught up {} records of the current log", name, written);
  return log.sync();
}

std::vector<datalog::Record> IntegratorSet::on_checkpoint(const measure::Checkpoint& cp) {
  std::vector<datalog::Record> out;
  if (logged_.empty()) return out;
  const datalog::Record now = record_of(cp.time_ns / kNanosPerSecond, cp.counters);
  if (previous_monitored_us_ >= 0) {
    const double hours = static_cast<double>(now.monitored_us - previous_monitored_us_) / 3.6e9;
    if (hours > 0) {
      for (Logged& l : logged_) l.totals.add(interval_wh(l.index, previous_, cp.counters, hours));
    }
  }
  previous_ = cp.counters;
  previous_monitored_us_ = now.monitored_us;
  if (cp.time_ns % (kCurrentInterval * kNanosPerSecond) != 0) return out;
  out.reserve(logged_.size());
  for (const Logged& l : logged_) out.push_back(record_of_totals(l, now.time, now.monitored_us));
  return out;
}

std::vector<std::shared_ptr<const datalog::Log>> IntegratorSet::by_index() const {
  std::vector<std::shared_ptr<const datalog::Log>> out(calculator_->integrators().size());
  for (size_t k = 0; k < logged_.size(); ++k) out[logged_[k].index] = logs_[k].log;
  return out;
}

}  // namespace iw::app
