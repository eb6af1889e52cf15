#include "query/tariff_engine.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "query/tariff_clock.h"

namespace iw::query {

using datalog::Record;

TariffEngine::TariffEngine(config::Tariff tariff, const TimeZone* zone, const RecordSource* records,
                           std::optional<MeterReader> meter)
    : tariff_(std::move(tariff)),
      zone_(zone),
      records_(records),
      meter_(std::move(meter)),
      edges_(edge_minutes(tariff_)) {
  if (tariff_.demand && meter_) demand_ = std::make_unique<DemandTracker>(&tariff_, zone_, records_, &*meter_);
}

// Walks [older.time, newer.time) in stretches of constant prices, reading the record at each
// instant in between where the import or export price really changes (none for a flat tariff),
// and, with tiers, at each billing period start. `fn(stretch, start)` sees each stretch with the
// meter's position in its billing period when the tariff has tiers (else 0).
template <typename Fn>
Status TariffEngine::for_each_stretch(const Record& older, const Record& newer, Fn&& fn) const {
  const bool track = meter_.has_value() && !tariff_.tiers.empty();
  double position = 0;
  int64_t period_end = 0;
  if (track) {
    auto p = period_position_kwh(older);
    if (!p.ok()) return p.status();
    position = p.value();
    period_end = next_billing_period(tariff_, older.time, *zone_);
  }
  std::optional<Record> previous, current;
  const Record* from = &older;
  for (int64_t t = older.time; t < newer.time;) {
    const int64_t next = std::min(newer.time, next_change(t, track ? period_end : newer.time));
    const Record* to = &newer;
    if (next < newer.time) {
      auto r = records_->at_or_before(next);
      if (!r.ok()) return r.status();
      current = std::move(r.value());
      if (current) to = &*current;
    }
    if (track && t >= period_end) {  // invariant: periods start at local midnight, an edge
      position = 0;
      period_end = next_billing_period(tariff_, t, *zone_);
    }
    fn(Stretch{from, to, position}, t);
    if (track) position += meter_->flow(*from, *to).import_wh / 1000;
    std::swap(previous, current);
    from = to == &newer ? &newer : &*previous;
    t = next;
  }
  return Status::Ok();
}

int64_t TariffEngine::next_change(int64_t t, int64_t limit) const {
  const double import = price_at(tariff_.import, tariff_.holidays, zone_->to_local(t)).price;
  const double credit =
      tariff_.export_credit ? price_at(*tariff_.export_credit, tariff_.holidays, zone_->to_local(t)).price : 0;
  for (int64_t next = next_price_change(edges_, t, *zone_);; next = next_price_change(edges_, next, *zone_)) {
    if (next >= limit) return limit;  // next strictly increases: the loop ends
    const cctz::civil_second local = zone_->to_local(next);
    if (price_at(tariff_.import, tariff_.holidays, local).price != import) return next;
    if (tariff_.export_credit && price_at(*tariff_.export_credit, tariff_.holidays, local).price != credit) return next;
  }
}

Result<double> TariffEngine::period_position_kwh(const Record& at) const {
  const int64_t start = billing_period_start(tariff_, at.time, *zone_);
  if (start >= at.time) return 0.0;
  {
    std::lock_guard lock(mu_);
    if (period_record_ && period_record_start_ == start) return meter_->flow(*period_record_, at).import_wh / 1000;
  }
  auto r = records_->at_or_before(start);
  if (!r.ok()) return r.status();
  if (!r.value()) return 0.0;
  if (r.value()->time == start) {  // logged at the period's start: final, kept for the next group
    std::lock_guard lock(mu_);
    period_record_start_ = start;
    period_record_ = r.value();
  }
  return meter_->flow(*r.value(), at).import_wh / 1000;
}

double TariffEngine::tier_cost(double position_kwh, double kwh) const {
  double cost = 0, lo = 0;
  for (const config::Tier& tier : tariff_.tiers) {
    const double hi = tier.up_to_kwh.value_or(std::numeric_limits<double>::infinity());
    const double part = std::min(position_kwh + kwh, hi) - std::max(position_kwh, lo);
    if (part > 0) cost += part * tier.add;
    lo = hi;
  }
  return cost;
}

double TariffEngine::tier_add_at(double position_kwh) const {
  for (const config::Tier& tier : tariff_.tiers) {
    if (!tier.up_to_kwh || position_kwh < *tier.up_to_kwh) return tier.add;
  }
  return 0;
}

double TariffEngine::standing(int64_t a, int64_t b) const {
  if (tariff_.standing_charge == 0) return 0;
  double days = 0;
  for (int64_t d = day_start(a, *zone_); d < b;) {
    const int64_t next = next_day_start(d, *zone_);
    days += static_cast<double>(std::min(b, next) - std::max(a, d)) / static_cast<double>(next - d);
    d = next;
  }
  return days * tariff_.standing_charge;
}

Result<double> TariffEngine::demand(int64_t a, int64_t b) const {
  if (!demand_) return 0.0;
  double cost = 0;
  for (int64_t x = a; x < b;) {
    const int64_t start = billing_period_start(tariff_, x, *zone_);
    const int64_t y = std::min(b, next_billing_period(tariff_, x, *zone_));
    auto before = demand_->peak(start, x);
    if (!before.ok()) return before.status();
    auto after = demand_->peak(start, y);
    if (!after.ok()) return after.status();
    cost += (after.value().kw - before.value().kw) * tariff_.demand->price;
    x = y;
  }
  return cost;
}

Result<MeterCost> TariffEngine::meter_cost(const Record& older, const Record& newer) const {
  MeterCost c;
  const Status st = for_each_stretch(older, newer, [&](const Stretch& s, int64_t t) {
    const GridFlow f = meter_->flow(*s.older, *s.newer);
    const cctz::civil_second local = zone_->to_local(t);
    c.import_wh += f.import_wh;
    c.export_wh += f.export_wh;
    c.energy += f.import_wh / 1000 * price_at(tariff_.import, tariff_.holidays, local).price;
    c.tiers += tier_cost(s.position_kwh, f.import_wh / 1000);
    if (tariff_.export_credit) {
      c.export_credit += f.export_wh / 1000 * price_at(*tariff_.export_credit, tariff_.holidays, local).price;
    }
  });
  if (!st.ok()) return st;
  c.standing = standing(older.time, newer.time);
  auto d = demand(older.time, newer.time);
  if (!d.ok()) return d.status();
  c.demand = d.value();
  return c;
}

Result<std::optional<double>> TariffEngine::series_cost(const Series& series, const Record& older,
                                                        const Record& newer) const {
  double total = 0;
  bool valued = false;
  const Status st = for_each_stretch(older, newer, [&](const Stretch& s, int64_t t) {
    const std::optional<double> wh = series.value(Interval{s.older, s.newer}, Unit::kWh);
    if (!wh) return;
    valued = true;
    const double price = price_at(tariff_.import, tariff_.holidays, zone_->to_local(t)).price;
    total += *wh / 1000 * (price + tier_add_at(s.position_kwh));
  });
  if (!st.ok()) return st;
  return valued ? std::optional<double>(total) : std::nullopt;
}

Result<DemandNow> TariffEngine::demand_now(const Record& latest) const {
  DemandNow now;
  if (!demand_) return now;
  const int64_t start = billing_period_start(tariff_, latest.time, *zone_);
  const int64_t length = static_cast<int64_t>(tariff_.demand->minutes) * 60;
  now.window_start = start + (latest.time - start) / length * length;
  auto peak = demand_->peak(start, now.window_start);
  if (!peak.ok()) return peak.status();
  now.peak = peak.value();
  const int64_t elapsed = latest.time - now.window_start;
  auto at_start = records_->at_or_before(now.window_start);
  if (!at_start.ok()) return at_start.status();
  if (elapsed <= 0 || !at_start.value()) return now;
  now.window_kw = meter_->flow(*at_start.value(), latest).import_wh / (static_cast<double>(elapsed) / 3600) / 1000;
  const bool counts = !tariff_.demand->on_peak_only ||
                      price_at(tariff_.import, tariff_.holidays, zone_->to_local(now.window_start)).peak;
  now.warning = counts && elapsed >= 60 && now.peak.kw > 0 && now.window_kw >= kDemandWarningShare * now.peak.kw;
  return now;
}

Result<DemandPeak> TariffEngine::demand_peak(int64_t period_start, int64_t until) const {
  if (!demand_) return DemandPeak{};
  return demand_->peak(period_start, until);
}

}  // namespace iw::query
