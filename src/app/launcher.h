// The start of `iotawatt run`: the program that starts (the packaged one, or a build) is the
// launcher. When the updater has switched to a newer version (update/launch.h), it hands over to
// that version's binary with exec, passing its own command line and telling the new version
// where the launcher is and whether it runs on trial. A version that never reported healthy is
// rolled back here, before anything else runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace iw::app {

// Environment between a launcher and the version it starts.
inline constexpr const char* kLauncherEnv = "IOTAWATT_LAUNCHER";         // the launcher's own path
inline constexpr const char* kUpdateTrialEnv = "IOTAWATT_UPDATE_TRIAL";  // the version on trial

// Execs the version to run when it is not this program, and returns only when this program is
// to run. Returns what must reach the message log once logging is up (a rollback, a failed
// exec). `argv` is this process's, passed on unchanged.
std::vector<std::string> hand_over_to_installed_update(const std::string& data_dir, char** argv);

// The launcher's path when this program was started by one (it is an installed update).
std::optional<std::string> launcher_path();

// The version on trial when this program runs as one (it must report healthy).
std::optional<std::string> trial_version();

}  // namespace iw::app
