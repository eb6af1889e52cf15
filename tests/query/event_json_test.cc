// A step event's JSON: the field names GET /events and the MQTT event messages share, and
// what each value is rounded to.
#include "query/event_json.h"

#include <gtest/gtest.h>

#include <cmath>

namespace iw::query {
namespace {

TEST(EventJson, FieldsAreNamedForUsersAndRoundedToWhatTheDetectorResolves) {
  measure::StepEvent e;
  e.time_ns = 1'700'000'000'123'456'789;
  e.channel = 4;
  e.kind = measure::StepKind::kChange;
  e.before_w = 2200.04;
  e.after_w = 1320.06;
  e.delta_w = -879.98;
  e.delta_var = -12.34;
  e.after_amps = 5.7389;
  e.transient_cycles = 150;
  e.settled = false;
  EXPECT_EQ(event_json(e, "HeatPump").dump(),
            R"({"amps_after":5.739,"channel":4,"delta_var":-12.3,"delta_watts":-880.0,"inrush_amps":0.0,)"
            R"("inrush_cycles":0,"inrush_peak_amps":0.0,"kind":"change","name":"HeatPump","settled":false,)"
            R"("time":1700000000.123,"transient_cycles":150,"watts_after":1320.1,"watts_before":2200.0})");
}

TEST(EventJson, AValueThatIsNotFiniteReadsZeroSoTheDocumentStaysValid) {
  measure::StepEvent e;
  e.after_w = std::nan("");
  e.inrush_amps = INFINITY;
  const nlohmann::json j = event_json(e, "");
  EXPECT_EQ(j["watts_after"], 0.0);
  EXPECT_EQ(j["inrush_amps"], 0.0);
  EXPECT_EQ(j["name"], "");
  EXPECT_EQ(j["kind"], "change");
}

}  // namespace
}  // namespace iw::query
