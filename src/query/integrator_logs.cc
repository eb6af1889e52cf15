#include "query/integrator_logs.h"

#include "datalog/log.h"
#include "query/record_source.h"

namespace iw::query {
namespace {

// The integrator's totals at time t: its record at or before t, else its first record (so an
// interval before the log starts counts nothing), else none.
std::optional<calc::IntegratorTotals> totals_at(const datalog::Log& log, int64_t t) {
  const LogRecordSource source(&log, nullptr);
  auto r = source.at_or_before(t);
  if (!r.ok() || !r.value()) return std::nullopt;
  return decode_integrator_record(*r.value());
}

const measure::ChannelCounters* channel_of(const datalog::Record& r, int channel) {
  if (channel < 0 || static_cast<size_t>(channel) >= r.channels.size()) return nullptr;
  return &r.channels[static_cast<size_t>(channel)];
}

}  // namespace

datalog::Layout integrator_layout() { return {measure::ChannelKind::kCurrent}; }

datalog::Record encode_integrator_record(const calc::IntegratorTotals& totals, int64_t time, int64_t monitored_us) {
  datalog::Record r;
  r.time = time;
  r.monitored_us = monitored_us;
  r.channels.resize(1);
  r.channels[0].wh_import = totals.pos();
  r.channels[0].wh_export = totals.neg_magnitude();
  return r;
}

std::optional<calc::IntegratorTotals> decode_integrator_record(const datalog::Record& record) {
  if (record.channels.empty()) return std::nullopt;
  calc::IntegratorTotals totals;
  totals.restore(record.channels[0].wh_import.micros(), record.channels[0].wh_export.micros());
  return totals;
}

IntegratorLogs::IntegratorLogs(std::shared_ptr<const calc::Calculator> calculator,
                               std::vector<std::shared_ptr<const datalog::Log>> logs)
    : calculator_(std::move(calculator)), logs_(std::move(logs)) {}

calc::IntegratorDelta IntegratorLogs::delta(size_t index, const datalog::Record& older,
                                            const datalog::Record& newer) const {
  const auto& list = calculator_->integrators();
  if (index >= list.size()) return {};
  if (const auto& exact = list[index].exact) {
    const auto* o = channel_of(older, exact->channel);
    const auto* n = channel_of(newer, exact->channel);
    if (o == nullptr || n == nullptr) return {};
    return calc::exact_delta(*exact, *o, *n);
  }
  if (index >= logs_.size() || logs_[index] == nullptr) return {};
  const auto o = totals_at(*logs_[index], older.time);
  const auto n = totals_at(*logs_[index], newer.time);
  if (!o || !n) return {};
  return {calc::counter_delta(n->pos(), o->pos()),
          calc::negative(calc::counter_delta(n->neg_magnitude(), o->neg_magnitude()))};
}

}  // namespace iw::query
