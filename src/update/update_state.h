// What the updater remembers across restarts, in <data>/update/state.json (private, written
// atomically): the version on trial and how often it was launched, the versions that failed
// here, what happened (for /status and the web app), the trusted keys after a rotation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "update/version.h"

namespace iw::update {

inline constexpr size_t kMaxHistory = 50;
inline constexpr size_t kMaxStateBytes = 256 * 1024;
inline constexpr int64_t kDefaultHealthDeadlineS = 600;
inline constexpr int64_t kMaxHealthDeadlineS = 86400;

// A version switched to but not yet healthy.
struct Trial {
  ReleaseVersion version;
  int64_t started = 0;  // unix seconds of the switch
  int launches = 0;     // starts of the program since the switch
  // Seconds after `started` by which it must be healthy: the config's at the switch, so the
  // launcher (which reads no config) and the running version apply the same deadline.
  int64_t deadline_s = kDefaultHealthDeadlineS;
};

struct HistoryEntry {
  int64_t time = 0;
  std::string from, to;  // versions
  std::string outcome;   // "installed", "healthy", "rolled back"
  std::string reason;    // why a rollback happened
};

struct UpdateState {
  std::optional<Trial> trial;
  std::vector<ReleaseVersion> bad;    // rolled back here: never installed again
  std::vector<HistoryEntry> history;  // oldest first, at most kMaxHistory
  std::vector<std::string> keys;      // trusted public keys after a rotation; empty: the built-in ones

  void record(HistoryEntry entry);  // appends, dropping the oldest beyond kMaxHistory
};

// A missing file is an empty state. A damaged one is set aside (base/files.h) and read as
// empty, with the error returned beside it so that it can be logged: an updater must never stop
// the daemon, and forgetting a trial is safe (the version runs as installed).
struct LoadedState {
  UpdateState state;
  Status problem;
};
LoadedState load_update_state(const std::string& path);
// The file's text: at most kMaxStateBytes, JSON nesting as read_json allows, every field of its
// type; an error says what is wrong. update_state_text() writes what this reads.
Result<UpdateState> parse_update_state(std::string_view text);
std::string update_state_text(const UpdateState& state);
Status save_update_state(const std::string& path, const UpdateState& state);

}  // namespace iw::update
