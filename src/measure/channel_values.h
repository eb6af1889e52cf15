// The values of one channel, constant over the span they describe: one measured cycle (the
// engine credits them to the channel's bucket), or an average over a span (the live values
// every reader shows: /status, /metrics, MQTT and scripts evaluated live, app/live_values.h).
// This is the one live-value type; each wire shape maps from it in one place
// (server/status.cc, server/metrics.cc, upload/mqtt_messages.cc).
#pragma once

namespace iw::measure {

struct ChannelValues {
  double watts = 0;  // signed: > 0 import, < 0 export
  double va = 0;
  double var = 0;    // unsigned: sqrt(VA^2 - W^2)
  double volts = 0;  // VT: its voltage; CT: reference voltage times vmult
  double amps = 0;
  double hz = 0;
};

// Real over apparent power, signed like the watts; 0 when no apparent power flows (a VT, an
// idle CT).
inline double power_factor(const ChannelValues& v) { return v.va > 0 ? v.watts / v.va : 0; }

}  // namespace iw::measure
