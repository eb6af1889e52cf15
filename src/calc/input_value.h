// What one input contributes to a script over an interval of two counter snapshots
// (datalog records or engine checkpoints): the original's derivation rules (firmware
// reference 3.3) applied to our counters (datalog/FORMAT.md).
//
//   CT: Watts = dWh_net / h (import minus export), Wh = dWh_net, VA = dVAh / h, VAh = dVAh,
//       VAR = dVARh / h, VARh = dVARh, Volts = dVh / h (reference volts x vmult),
//       Amps = dAh / h, Hz = the reference VT's dHzh / h,
//       non-active = sqrt(max(0, VA^2 - W^2)), non-active h likewise from VAh and Wh.
//   VT: Volts = dVh / h, Watts = Volts and Wh = dVh (the original's first counter of a VT
//       holds volt-hours), Hz = dHzh / h; it carries no current, so the rest is 0.
// `h` is the monitored hours between the snapshots; callers treat h <= 0 as "no data".
#pragma once

#include <vector>

#include "calc/operands.h"
#include "measure/bucket.h"

namespace iw::calc {

// How to read one channel. Indexed by channel number; absent channels are not VT or CT.
struct InputInfo {
  bool active = false;
  bool vt = false;
  int reference = 0;  // the VT whose frequency the channel reports (a VT: itself)
};

// Increase of a counter between two snapshots, in units, from the exact micro-units.
double counter_delta(const measure::Counter& newer, const measure::Counter& older);

// The value of `channel` as `quantity` between `older` and `newer`, 0 for a channel that is
// inactive or missing from either snapshot.
double input_quantity(const std::vector<InputInfo>& inputs, int channel,
                      const std::vector<measure::ChannelCounters>& older,
                      const std::vector<measure::ChannelCounters>& newer, double hours, Quantity quantity);

}  // namespace iw::calc
