#include "update/updater.h"

#include <filesystem>

namespace iw::update {
namespace {

namespace fs = std::filesystem;
using Outcome = CheckReport::Outcome;

std::string state_path(const UpdaterSettings& s) { return (fs::path(s.root) / "state.json").string(); }

CheckReport report(Outcome outcome, std::string message, std::string available = {}) {
  return {outcome, std::move(available), std::move(message)};
}

// The manifest of the settings' class, opened; a refusal or failure as a report.
Result<Manifest> fetch_manifest(const UpdaterSettings& s, const UpdateState& state, int64_t now) {
  const std::string name = std::string(to_string(s.update_class));
  const std::string url =
      (s.server_url.ends_with('/') ? s.server_url : s.server_url + "/") + "manifests/" + name + ".json";
  auto text = fetch_text(url, kMaxManifestBytes, s.download.fetch);
  if (!text) return text.status();
  auto m = open_manifest(text.value(), trusted_keys(s, state), now);
  if (!m) return m;
  if (m.value().update_class != s.update_class) {
    return Status::Corruption("manifests/" + name + ".json offers class " +
                              std::string(to_string(m.value().update_class)) + ": a manifest moved from another class");
  }
  return m;
}

// Downloads, unpacks and switches; the new version goes on trial. The trial is saved before
// the switch: a power cut between the two leaves a trial of a version that is not current,
// which the launcher drops (launch.h), never a switched version without a trial.
CheckReport install(const UpdaterSettings& s, const Bundle& bundle, const ReleaseVersion& version, UpdateState& state,
                    int64_t now) {
  const std::string v = version.to_string();
  SlotStore slots(s.root);
  if (slots.current() == version) {  // switched by an earlier run that did not see the restart
    return report(Outcome::kInstalled, "update: " + v + " is installed; it runs after the restart, on trial", v);
  }
  auto path = download_bundle(s.server_url, bundle, (fs::path(s.root) / "downloads").string(), s.download);
  if (!path) return report(Outcome::kFailed, "update: downloading " + v + ": " + path.error(), v);
  Status st = slots.unpack(path.value(), version);
  std::error_code ec;
  fs::remove(path.value(), ec);
  if (st.ok()) {
    state.trial = Trial{version, now, 0, s.health_deadline_s};
    st = save_update_state(state_path(s), state);
  }
  if (st.ok()) st = slots.switch_to(version);
  if (!st) return report(Outcome::kFailed, "update: installing " + v + ": " + st.message(), v);
  state.record({now, s.installed.version.to_string(), v, "installed", ""});
  if (Status saved = save_update_state(state_path(s), state); !saved) {
    return report(Outcome::kFailed, "update: " + saved.message() + " (" + v + " is installed, on trial)", v);
  }
  return report(Outcome::kInstalled, "update: " + v + " installed; it runs after the restart, on trial", v);
}

}  // namespace

std::string_view to_string(CheckReport::Outcome outcome) {
  switch (outcome) {
    case Outcome::kDisabled:
      return "disabled";
    case Outcome::kUpToDate:
      return "up to date";
    case Outcome::kAvailable:
      return "available";
    case Outcome::kInstalled:
      return "installed";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kFailed:
      return "failed";
  }
  return "failed";
}

std::vector<std::string> trusted_keys(const UpdaterSettings& settings, const UpdateState& state) {
  std::vector<std::string> keys = state.keys.empty() ? settings.built_in_keys : state.keys;
  keys.insert(keys.end(), settings.extra_keys.begin(), settings.extra_keys.end());
  return keys;
}

CheckReport check_for_update(const UpdaterSettings& s, int64_t now, bool install_it) {
  if (s.update_class == UpdateClass::kNone) return report(Outcome::kDisabled, "update class NONE: no checks");
  if (s.server_url.empty()) return report(Outcome::kDisabled, "no update_server.url in the config: no checks");
  std::error_code ec;
  fs::create_directories(s.root, ec);
  LoadedState loaded = load_update_state(state_path(s));
  UpdateState& state = loaded.state;
  if (trusted_keys(s, state).empty()) {
    return report(Outcome::kDisabled,
                  "this build trusts no release key (built without IOTAWATT_UPDATE_KEYS) and the config names none "
                  "in update_server.keys: no checks");
  }
  auto m = fetch_manifest(s, state, now);
  if (!m) {
    return report(m.status().is_unavailable() ? Outcome::kFailed : Outcome::kRefused, "update: " + m.error());
  }
  const std::string available = m.value().version.to_string();
  if (!m.value().keys.empty() && m.value().keys != state.keys) {
    state.keys = m.value().keys;
    state.record({now, "", "", "keys rotated", std::to_string(state.keys.size()) + " keys trusted from now on"});
    if (Status st = save_update_state(state_path(s), state); !st) return report(Outcome::kFailed, st.message());
  }
  Installed installed = s.installed;
  installed.bad = state.bad;
  const Offer offer = decide_offer(m.value(), installed);
  if (offer.kind == Offer::Kind::kUpToDate) return report(Outcome::kUpToDate, available + " is installed", available);
  if (offer.kind == Offer::Kind::kRefused) return report(Outcome::kRefused, "update: " + offer.reason, available);
  if (!install_it) return report(Outcome::kAvailable, available + " is available", available);
  return install(s, *offer.bundle, m.value().version, state, now);
}

}  // namespace iw::update
