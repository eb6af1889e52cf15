// GET /events?begin=&end=&channel=&limit=: the step events the daemon kept (datalog/event_log.h),
// as JSON. Our addition, not in the original.
//
//   begin, end  time specifiers as /query takes them (query/time_spec.h); default: the last 24 h
//               (begin "s-1d", end "s"). An event is in the answer when begin <= its time < end.
//   channel     an input's channel number or name; default: every input
//   limit       1..10000 events, default 1000: the earliest of the range; "more" says the limit
//               cut the answer short (ask again from the last event's time)
//
//   {"begin":1733000000,"end":1733086400,"more":false,"events":[
//     {"time":1733001234.56,"channel":3,"name":"Kettle","kind":"on","settled":true,
//      "watts_before":1.2,"watts_after":2011.9,"delta_watts":2010.7,"delta_var":3.1,
//      "amps_after":8.74,"inrush_amps":9.1,"inrush_peak_amps":13.2,"inrush_cycles":2,
//      "transient_cycles":14}]}
//   (each event as query/event_json.h renders it; the MQTT event messages carry the same fields)
//
// A bad parameter is a 400 whose message names it and says what is accepted; a daemon whose
// event log could not open answers 503 saying so.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "datalog/event_log.h"
#include "query/time_zone.h"
#include "server/http.h"

namespace iw::views {

// What an events request reads, with the owner that keeps it alive.
struct EventsScope {
  std::shared_ptr<const void> owner;
  const datalog::EventLog* log = nullptr;  // null: no event log (it could not open)
  const query::TimeZone* zone = nullptr;
  int64_t now = 0;                 // UNIX seconds
  std::vector<std::string> names;  // per channel: the input's name; "" for no input
};

inline constexpr size_t kDefaultEventLimit = 1000;
inline constexpr size_t kMaxEventLimit = 10000;

server::HttpResponse events_response(const server::HttpRequest& request, const EventsScope& scope);

}  // namespace iw::views
