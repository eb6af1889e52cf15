// A step event (measure/step_event.h) as JSON, the one shape that GET /events
// (views/events_view.h) and the MQTT event messages (upload/MQTT.md) both give:
//
//   {"time":1733001234.56,"channel":3,"name":"Kettle","kind":"on","settled":true,
//    "watts_before":1.2,"watts_after":2011.9,"delta_watts":2010.7,"delta_var":3.1,
//    "amps_after":8.74,"inrush_amps":9.1,"inrush_peak_amps":13.2,"inrush_cycles":2,
//    "transient_cycles":14}
//
// time: UNIX seconds to the ms; watts and var to 0.1; amps to the mA. A value that is not
// finite (never from the detector) reads 0, so the document is always valid JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "measure/step_event.h"

namespace iw::query {

// `name`: the input's name ("" when the channel has no input now).
nlohmann::json event_json(const measure::StepEvent& event, const std::string& name);

}  // namespace iw::query
