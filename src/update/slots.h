// The installed versions a device can run (A/B): each release unpacked whole into a slot of
// its own, and two links that say which one runs and which one ran before. The running
// version's files are never written; a switch or a rollback is one rename of a link.
//
//   <root>/slots/<version>/usr/bin/iotawatt    one unpacked bundle (the package's file tree)
//   <root>/current  -> slots/<version>         absent: the packaged program runs
//   <root>/previous -> slots/<version>         absent: before `current` the package ran
//
// Invariant: `current` and `previous` point only at slots that were unpacked whole (a slot
// directory appears by one rename after its files are synced); a power cut at any point leaves
// either the old links or the new ones.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "update/version.h"

namespace iw::update {

class SlotStore {
 public:
  explicit SlotStore(std::string root) : root_(std::move(root)) {}

  // Unpacks a verified bundle (a .deb, or a .tar.gz of the same usr/ tree) into the slot of
  // `version`, replacing an unfinished one; the slot must hold an executable usr/bin/iotawatt.
  Status unpack(const std::string& bundle_path, const ReleaseVersion& version);
  // `version` runs from now on; the current one becomes the previous one.
  Status switch_to(const ReleaseVersion& version);
  // The previous version runs again (none: the package), and the failed one is not previous.
  Status roll_back();
  // Removes every slot but the current and the previous one.
  void prune();

  std::optional<ReleaseVersion> current() const { return link_version("current"); }
  std::optional<ReleaseVersion> previous() const { return link_version("previous"); }
  std::string binary(const ReleaseVersion& version) const;  // <slot>/usr/bin/iotawatt
  std::string slot_dir(const ReleaseVersion& version) const;
  const std::string& root() const { return root_; }

 private:
  std::optional<ReleaseVersion> link_version(const std::string& name) const;
  Status set_link(const std::string& name, const std::optional<ReleaseVersion>& version);

  std::string root_;
};

}  // namespace iw::update
