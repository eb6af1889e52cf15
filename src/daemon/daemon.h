// `iotawatt run`: the daemon. Loads and validates the config, picks the sample source (ADC
// board from the config, a replay file, or the panel simulator), starts the sampling thread
// and the HTTP server, and runs until SIGTERM or SIGINT.
#pragma once

#include "app/run_options.h"

namespace iw::daemon {

// Returns the process exit code: 0 after a clean stop, 2 when it refused to start.
int run_daemon(const app::RunOptions& options);

}  // namespace iw::daemon
