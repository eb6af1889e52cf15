#include "update/slots.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "base/files.h"

namespace iw::update {
namespace {

namespace fs = std::filesystem;

// Runs `argv` (no shell; posix_spawn, safe beside the daemon's threads) and waits; an error
// names the program and its exit status. Its standard output is discarded.
Status run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::IOError("cannot start " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  return Status::IOError(argv[0] + " failed (exit status " +
                         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) + ")");
}

// Every file under `dir` synced, so that the rename that publishes the slot follows its data.
void sync_tree(const fs::path& dir) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec) && !it->is_directory(ec)) continue;
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
}

}  // namespace

std::string SlotStore::slot_dir(const ReleaseVersion& version) const {
  return (fs::path(root_) / "slots" / version.to_string()).string();
}

std::string SlotStore::binary(const ReleaseVersion& version) const { return slot_dir(version) + "/usr/bin/iotawatt"; }

Status SlotStore::unpack(const std::string& bundle_path, const ReleaseVersion& version) {
  const fs::path slot = slot_dir(version), temp = slot.string() + ".unpacking";
  if (current() == version) return Status::InvalidArgument(version.to_string() + " is running: its slot stays");
  std::error_code ec;
  fs::remove_all(temp, ec);
  fs::create_directories(temp, ec);
  if (ec) return Status::IOError(temp.string() + ": cannot be created: " + ec.message());
  Status st = bundle_path.ends_with(".deb")
                  ? run({"dpkg-deb", "-x", bundle_path, temp.string()})
                  : run({"tar", "-xzf", bundle_path, "-C", temp.string(), "--no-same-owner", "--no-same-permissions"});
  if (st.ok() && ::access((temp / "usr/bin/iotawatt").c_str(), X_OK) != 0) {
    st = Status::Corruption(bundle_path + ": has no executable usr/bin/iotawatt");
  }
  if (!st.ok()) {
    fs::remove_all(temp, ec);
    return st.with_context("unpacking " + version.to_string());
  }
  sync_tree(temp);
  fs::remove_all(slot, ec);
  fs::rename(temp, slot, ec);
  if (ec) return Status::IOError(slot.string() + ": cannot be renamed into place: " + ec.message());
  sync_directory(slot.parent_path().string());
  return Status::Ok();
}

std::optional<ReleaseVersion> SlotStore::link_version(const std::string& name) const {
  std::error_code ec;
  const fs::path target = fs::read_symlink(fs::path(root_) / name, ec);
  if (ec) return std::nullopt;
  auto v = parse_version(target.filename().string());
  if (!v.ok() || ::access(binary(v.value()).c_str(), X_OK) != 0) return std::nullopt;
  return v.value();
}

// Replaces the link `name` by one pointing at `version`'s slot (or removes it) with one rename.
Status SlotStore::set_link(const std::string& name, const std::optional<ReleaseVersion>& version) {
  const fs::path link = fs::path(root_) / name, temp = fs::path(root_) / (name + ".new");
  std::error_code ec;
  if (!version) {
    fs::remove(link, ec);
  } else {
    fs::remove(temp, ec);
    fs::create_symlink(fs::path("slots") / version->to_string(), temp, ec);
    if (!ec) fs::rename(temp, link, ec);
  }
  if (ec) return Status::IOError(link.string() + ": cannot be changed: " + ec.message());
  sync_directory(root_);
  return Status::Ok();
}

Status SlotStore::switch_to(const ReleaseVersion& version) {
  if (::access(binary(version).c_str(), X_OK) != 0) {
    return Status::NotFound(version.to_string() + " is not unpacked: nothing to switch to");
  }
  const std::optional<ReleaseVersion> was = current();
  if (was == version) return Status::Ok();
  // `previous` first: a cut between the two renames leaves the old version current.
  if (Status st = set_link("previous", was); !st) return st;
  return set_link("current", version);
}

Status SlotStore::roll_back() {
  const std::optional<ReleaseVersion> back = previous();
  if (Status st = set_link("current", back); !st) return st;
  return set_link("previous", std::nullopt);
}

void SlotStore::prune() {
  const std::optional<ReleaseVersion> keep_a = current(), keep_b = previous();
  std::vector<fs::path> doomed;
  std::error_code ec;
  for (auto it = fs::directory_iterator(fs::path(root_) / "slots", ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    auto v = parse_version(it->path().filename().string());
    if (!v.ok() || (v.value() != keep_a && v.value() != keep_b)) doomed.push_back(it->path());
  }
  for (const fs::path& p : doomed) fs::remove_all(p, ec);
}

}  // namespace iw::update
