#include "app/launcher.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "app/version.h"
#include "update/launch.h"

namespace iw::app {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::optional<std::string>(v) : std::nullopt;
}

// What the launcher said goes to the version it starts, whose log is the one people read.
constexpr const char* kLaunchNotesEnv = "IOTAWATT_LAUNCH_NOTES";

void pass_launch_notes(const std::vector<std::string>& notes) {
  std::string joined;
  for (const std::string& n : notes) joined += n + "\n";
  if (!joined.empty()) ::setenv(kLaunchNotesEnv, joined.c_str(), 1);
}

std::vector<std::string> take_launch_notes() {
  std::vector<std::string> notes;
  const std::string joined = env(kLaunchNotesEnv).value_or("");
  ::unsetenv(kLaunchNotesEnv);
  for (size_t start = 0, end = 0; start < joined.size(); start = end + 1) {
    end = joined.find('\n', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) notes.push_back(joined.substr(start, end - start));
  }
  return notes;
}

}  // namespace

std::optional<std::string> launcher_path() { return env(kLauncherEnv); }
std::optional<std::string> trial_version() { return env(kUpdateTrialEnv); }

std::vector<std::string> hand_over_to_installed_update(const std::string& data_dir, char** argv) {
  std::vector<std::string> notes;
  if (launcher_path()) return take_launch_notes();  // started by a launcher: this is the version to run
  const std::string root = (fs::path(data_dir) / "update").string();
  std::error_code ec;
  if (!fs::exists(fs::path(root) / "state.json", ec) && !fs::is_symlink(fs::path(root) / "current", ec)) return notes;
  update::SlotStore slots(root);
  const std::string state_path = (fs::path(root) / "state.json").string();
  update::LoadedState loaded = update::load_update_state(state_path);
  if (!loaded.problem.ok()) notes.push_back("update: " + loaded.problem.message());
  auto package = update::parse_version(running_version());
  if (!package) return notes;
  const update::LaunchPlan plan = update::plan_launch(slots, loaded.state, package.value(), std::time(nullptr));
  if (!plan.rolled_back.empty()) notes.push_back(plan.rolled_back);
  if (Status st = update::save_update_state(state_path, loaded.state); !st) notes.push_back("update: " + st.message());
  if (!plan.slot) return notes;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  ::setenv(kLauncherEnv, ec ? argv[0] : self.c_str(), 1);
  if (plan.trial) ::setenv(kUpdateTrialEnv, plan.slot->to_string().c_str(), 1);
  const std::string binary = slots.binary(*plan.slot);
  pass_launch_notes(notes);
  ::execv(binary.c_str(), argv);
  // Still here: the slot cannot run. The packaged program runs instead, and the next start
  // counts against the trial.
  notes.push_back("update: cannot start " + binary + ": " + std::strerror(errno) + "; running " + running_version());
  ::unsetenv(kLauncherEnv);
  ::unsetenv(kUpdateTrialEnv);
  ::unsetenv(kLaunchNotesEnv);
  return notes;
}

}  // namespace iw::app
