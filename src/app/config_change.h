// What a new configuration received over HTTP would do that the user must confirm (issue 12,
// finding 6), and the 409 message that says so. Two changes need it:
//   - "inputs": the new config has no inputs while the running one has some. Nothing would be
//     measured, logged or uploaded any more ({} was accepted and did exactly that).
//   - "source": the sample source changes between an ADC board and the simulator. On hardware,
//     a config without "adc" would log and upload simulated data as measurements.
#pragma once

#include "config/config.h"
#include "datalog/source_mark.h"
#include "server/config_endpoint.h"

namespace iw::app {

// One side of a change: a config and the source it runs on (source_guard.h source_of).
struct RunningSetup {
  const config::Config& config;
  datalog::DataSource source;
};

// Ok (empty `confirm`) when `next` needs no confirmation beyond `confirmed`; else the refusal,
// whose message says what the config would do and how to confirm it.
server::ConfigWriteResult check_confirmed(const RunningSetup& running, const RunningSetup& next,
                                          const server::ConfigConfirmations& confirmed);

}  // namespace iw::app
