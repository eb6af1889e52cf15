// GET /energy?period=day|week|month|year&date=YYYY-MM-DD: one period's energy and cost, priced
// by the config's first tariff (tariff_engine.h):
//
//   {"period": "month", "begin": "2026-03-01T00:00:00", "end": "2026-04-01T00:00:00",
//    "tariff": "home", "currency": "EUR", "meter": "Mains",
//    "import_kwh": 868.7, "export_kwh": 124, "cost": 391.6,
//    "parts": {"energy": 269.04, "tiers": 25.12, "export_credit": 8.06, "standing": 15.5, "demand": 90},
//    "demand": {"minutes": 15, "peak_kw": 9, "at": "2026-03-18T18:00:00"},
//    "circuits": [{"name": "Kitchen", "kwh": 40.1, "cost": 12.03, "share": 17.5}, ...]}
//
// Periods are local calendar ones (a week starts on Sunday, as /query's `w`); `date` (default:
// today) is any day in it. Times are local, as /query's time.iso. A period that has not ended
// counts up to the newest record. `cost` is the meter's; `demand` is the highest window of the
// period itself (for a month with billing_day 1, the month's demand peak). Each CT input other
// than the meter is a circuit: `cost` its energy at the import price in effect, `share` the
// meter's cost split in proportion to the circuits' positive costs (what standing, demand,
// tiers and export credit add is spread the same way), rounded so that the shares add up to
// `cost` exactly. Without a meter there is no total: import, export, cost, parts and demand are
// null and `share` equals `cost`.
#pragma once

#include "query/query.h"

namespace iw::query {

// 200 with the JSON above; 400 {"error": ...} for a bad period or date; 404 when the config
// has no tariff.
QueryAnswer answer_energy(const QueryArgs& args, const QueryEnvironment& env);

}  // namespace iw::query
