// Operands over an interval between two counter snapshots (datalog records): the same
// evaluation serves queries, uploaders and integrators.
#pragma once

#include <span>
#include <vector>

#include "calc/input_value.h"
#include "calc/integrator.h"
#include "calc/operands.h"

namespace iw::calc {

class IntervalOperands final : public Operands {
 public:
  // `integrators[k]` is integrator k's energy over the interval (empty when the script reads
  // none). All references must outlive this object.
  IntervalOperands(const std::vector<InputInfo>& inputs, const std::vector<measure::ChannelCounters>& older,
                   const std::vector<measure::ChannelCounters>& newer, double hours,
                   std::span<const IntegratorDelta> integrators = {})
      : inputs_(inputs), older_(older), newer_(newer), hours_(hours), integrators_(integrators) {}

  double input(int channel, Quantity quantity) const override;
  // Energy quantities (Wh, VAh) read the part's Wh; power quantities its average over the
  // interval; reactive and non-active quantities 0 (an integrator is active energy).
  double integrator(int index, IntegratorPart part, Quantity quantity) const override;

 private:
  const std::vector<InputInfo>& inputs_;
  const std::vector<measure::ChannelCounters>& older_;
  const std::vector<measure::ChannelCounters>& newer_;
  double hours_;
  std::span<const IntegratorDelta> integrators_;
};

// The part of an integrator's delta a script reads.
double part_of(const IntegratorDelta& delta, IntegratorPart part);

}  // namespace iw::calc
