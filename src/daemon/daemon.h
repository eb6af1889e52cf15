// `iotawatt run`: the daemon. Loads and validates the config, picks the sample source (ADC
// board from the config, a replay file, or the panel simulator), starts the sampling thread
// and the HTTP server, and runs until SIGTERM or SIGINT.
#pragma once

#include "app/run_options.h"

namespace iw::daemon {

// The exit code of a clean stop after which the updater wants the launcher started again
// (app/launcher.h): main() execs it. EX_TEMPFAIL, so that a unit's Restart= covers a failed exec.
inline constexpr int kRestartForUpdate = 75;

// Returns the process exit code: 0 after a clean stop, 2 when it refused to start,
// kRestartForUpdate after a clean stop for the updater.
int run_daemon(const app::RunOptions& options);

}  // namespace iw::daemon
