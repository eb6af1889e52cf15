#include "cli/update_tool.h"

#include <ctime>
#include <filesystem>
#include <iostream>

#include "app/config_load.h"
#include "app/install_paths.h"
#include "app/update_service.h"
#include "base/strings.h"
#include "config/config_file.h"
#include "update/launch.h"

namespace iw::cli {
namespace {

namespace fs = std::filesystem;
using update::CheckReport;

Result<config::Config> load(const UpdateToolOptions& o) {
  const std::string path =
      !o.config_path.empty()
          ? o.config_path
          : app::startup_config_path((fs::path(o.data_dir) / "config.txt").string(), o.system_config);
  auto text = config::read_text_file(path);
  if (!text) return text.status();
  auto cfg = app::parse_and_check(text.value(), nullptr);
  if (!cfg) return cfg.status().with_context(path);
  return cfg;
}

std::string version_text(const std::optional<update::ReleaseVersion>& v) { return v ? v->to_string() : "the package"; }

int print_status(const update::UpdaterSettings& s) {
  update::SlotStore slots(s.root);
  const update::LoadedState loaded = update::load_update_state(s.root + "/state.json");
  std::cout << "class " << update::to_string(s.update_class) << ", server "
            << (s.server_url.empty() ? "(none)" : s.server_url) << "\n"
            << "runs " << version_text(slots.current()) << ", before it " << version_text(slots.previous()) << "\n";
  if (loaded.state.trial) std::cout << "on trial: " << loaded.state.trial->version.to_string() << "\n";
  for (const update::HistoryEntry& h : loaded.state.history) {
    std::cout << utc_text(h.time) << " " << h.outcome << " " << h.from << " -> " << h.to
              << (h.reason.empty() ? "" : ": " + h.reason) << "\n";
  }
  if (!loaded.problem.ok()) std::cout << loaded.problem.message() << "\n";
  return 0;
}

int roll_back(const update::UpdaterSettings& s) {
  update::SlotStore slots(s.root);
  if (!slots.current()) {
    std::cout << "nothing to roll back: the packaged program runs\n";
    return 1;
  }
  update::UpdateState state = update::load_update_state(s.root + "/state.json").state;
  std::cout << update::roll_back(slots, state, std::time(nullptr), "by hand (iotawatt update rollback)") << "\n";
  if (Status st = update::save_update_state(s.root + "/state.json", state); !st) {
    std::cerr << "update: " << st.message() << "\n";
    return 1;
  }
  std::cout << "restart the daemon to run it (systemctl restart iotawatt)\n";
  return 0;
}

}  // namespace

int run_update_tool(const UpdateToolOptions& options) {
  auto cfg = load(options);
  if (!cfg) {
    std::cerr << "update: " << cfg.error() << "\n";
    return 2;
  }
  update::UpdaterSettings s = app::updater_config(cfg.value(), options.data_dir).settings;
  s.installed.allow_downgrade = options.allow_downgrade;
  if (options.action == "status") return print_status(s);
  if (options.action == "rollback") return roll_back(s);
  const CheckReport r = update::check_for_update(s, std::time(nullptr), options.action == "install");
  std::cout << update::to_string(r.outcome) << ": " << r.message << "\n";
  if (r.outcome == CheckReport::Outcome::kInstalled) {
    std::cout << "restart the daemon to run it (systemctl restart iotawatt); it must report healthy or it is "
                 "rolled back\n";
  }
  const bool ok = r.outcome == CheckReport::Outcome::kUpToDate || r.outcome == CheckReport::Outcome::kAvailable ||
                  r.outcome == CheckReport::Outcome::kInstalled;
  return ok ? 0 : 1;
}

}  // namespace iw::cli
