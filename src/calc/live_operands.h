// Operands from live values (/status?outputs, the web app's preview): the same scripts
// evaluated on the damped one-second averages (firmware reference 3.3, "live evaluation").
// Energy quantities read as their power, as the original's live context does (h = 1 hour):
// a live Wh output shows watts. An integrator reads its own script in Watts, clipped: .pos is
// max(0, x), .neg min(0, x).
#pragma once

#include <vector>

#include "calc/calculator.h"
#include "calc/operands.h"
#include "measure/channel_values.h"

namespace iw::calc {

class LiveOperands final : public Operands {
 public:
  // `live` is indexed by channel. Both must outlive this object.
  LiveOperands(const Calculator& calculator, const std::vector<measure::ChannelValues>& live)
      : calculator_(calculator), live_(live) {}

  double input(int channel, Quantity quantity) const override;
  double integrator(int index, IntegratorPart part, Quantity quantity) const override;

 private:
  const Calculator& calculator_;
  const std::vector<measure::ChannelValues>& live_;
};

}  // namespace iw::calc
