// One check of the update server, as the daemon's update service and `iotawatt update` run
// it: fetch the class's manifest, open it with the trusted keys, decide, and (when asked)
// download, unpack and switch to the new version, leaving it on trial. The caller restarts
// the program afterwards (launch.h then runs the new slot and watches its health).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "update/download.h"
#include "update/manifest.h"
#include "update/offer.h"
#include "update/slots.h"
#include "update/update_state.h"

namespace iw::update {

struct UpdaterSettings {
  UpdateClass update_class = UpdateClass::kNone;
  std::string server_url;                  // https:// base of manifests/ and bundles/; empty: no server
  std::vector<std::string> built_in_keys;  // trusted until a rotation replaces them
  std::vector<std::string> extra_keys;     // the config's update_server.keys: always trusted
  Installed installed;
  DownloadOptions download;
  std::string root;                                     // <data>/update: state.json, downloads/, slots/
  int64_t health_deadline_s = kDefaultHealthDeadlineS;  // given to the trial of what it installs
};

struct CheckReport {
  enum class Outcome { kDisabled, kUpToDate, kAvailable, kInstalled, kRefused, kFailed };
  Outcome outcome = Outcome::kDisabled;
  std::string available;  // the version the server offers, when it said
  std::string message;    // for the message log and /status
};

std::string_view to_string(CheckReport::Outcome outcome);

// The keys a manifest must be signed by: the rotated ones (state) or else the built-in ones,
// and the config's.
std::vector<std::string> trusted_keys(const UpdaterSettings& settings, const UpdateState& state);

// Checks now; with `install`, installs what may be installed and leaves it on trial.
CheckReport check_for_update(const UpdaterSettings& settings, int64_t now, bool install);

}  // namespace iw::update
