// FaultEnv: an Env (base/env.h) for tests that wraps a real one on a real directory and can
// fail, die and lose power. The code under test writes real files, so after a "power cut" the
// real reader, recovery and check code runs on exactly the bytes a real cut could leave.
//
//   testing::FaultEnv env;
//   env.power_off_at(n);            // mutating call n and every later one fail (EIO), change nothing
//   ... run the writer until it fails, destroy it ...
//   std::string what = env.power_cut(seed);  // undo what was not synced, randomly (below)
//   ... reopen with `env` and check ...
//
// The model of a power cut (what a disk with a volatile cache and a journaling file system may
// leave, pessimistically):
//   * A file's writes and truncations since its last sync may be lost: the file is put back to
//     its synced bytes and size, then a random subset of those pending operations is applied
//     again in order, the last one kept possibly torn at a random byte. Each file chooses on its
//     own, which is how writes to two files get reordered.
//   * The entries a directory gained, lost or renamed since its last sync_dir may be lost: a
//     random prefix of those operations is kept (journals commit metadata in order) and the
//     rest undone in reverse: a created file vanishes, a removed one comes back, a rename goes
//     back and restores the file it replaced.
//   * make_dirs and set_mode are taken as durable at once (the model's limits: a new directory
//     and a mode change are not undone).
// Every choice comes from the seed, so a failure is replayed by its seed and cut point.
//
// Faults (add_fault): chosen calls fail with an errno (ENOSPC, EIO...) by operation kind, by a
// part of the path, after so many matching calls; a failing write may first write a prefix.
//
// Syncs are not passed to the disk (the model decides what a sync keeps), so tests stay fast.
// Thread-safe (one mutex). Files opened before power_cut() fail every call after it (that
// process is dead): destroy what holds them before the cut.
#pragma once

#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "base/env.h"

namespace iw::testing {

// The calls a FaultEnv counts and can fail. kRead, kOpen and kList never change anything.
enum class FsOp : uint8_t {
  kRead,
  kOpen,  // an existing file, no creation
  kList,
  kCreate,  // open_file with kCreate or kTruncate
  kWrite,   // write_at, append
  kSync,    // File::sync, File::sync_all
  kTruncate,
  kSetMode,
  kRename,
  kRemove,
  kMakeDirs,
  kSyncDir,
};
const char* fs_op_name(FsOp op);
constexpr uint32_t op_bit(FsOp op) { return 1u << static_cast<unsigned>(op); }
// A sync of a file or a directory: the points a power cut test cuts just before and just after.
inline bool is_sync(FsOp op) { return op == FsOp::kSync || op == FsOp::kSyncDir; }

// Calls that fail: those of a kind in `ops` whose path contains `path_part`, after `skip` such
// calls went through, `count` of them (-1: all from then on).
struct Fault {
  uint32_t ops = op_bit(FsOp::kWrite);
  std::string path_part;
  int64_t skip = 0;
  int64_t count = 1;
  int err = ENOSPC;
  // A failing write first writes this many bytes (at most all but one), as a short write before
  // ENOSPC does.
  size_t partial_bytes = 0;
};

// One mutating call that was carried out, numbered from 0 in order.
struct TraceEntry {
  int64_t index = 0;
  FsOp op = FsOp::kWrite;
  std::string path;
  int64_t offset = 0;  // kWrite: where, and how many bytes
  size_t size = 0;
};

class FaultEnv final : public Env {
 public:
  explicit FaultEnv(Env* base = Env::Default()) : base_(base) {}
  ~FaultEnv() override = default;

  void add_fault(Fault fault);
  void clear_faults();
  // How many calls the faults made fail so far.
  int64_t faults_injected() const;

  // Mutating call number `index` (counted from 0 since the env was made or last cut) and every
  // later one fail with EIO and change nothing, as after the machine lost power; -1: never.
  void power_off_at(int64_t index);
  // Whether the next mutating call fails for want of power.
  bool powered_off() const;
  // Mutating calls carried out so far (the next one's index).
  int64_t mutations() const;
  // The mutating calls carried out so far.
  std::vector<TraceEntry> trace() const;

  // The power cut: undoes what was not synced as the file comment says, choosing with `seed`;
  // then the power is back on, nothing is pending, the count starts again at 0 and files opened
  // before fail every call. Returns what it chose, for the message of a failing test.
  std::string power_cut(uint64_t seed);

  Result<std::unique_ptr<File>> open_file(const std::string& path, OpenMode how, mode_t mode) override;
  Result<bool> exists(const std::string& path) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status remove(const std::string& path) override;
  Status make_dirs(const std::string& dir, mode_t mode) override;
  Result<std::vector<std::string>> list_dir(const std::string& dir) override;
  Status sync_dir(const std::string& dir) override;
  Result<std::unique_ptr<FileLock>> lock_file(const std::string& path) override;

 private:
  friend class FaultFile;

  // A write or truncation since the file's last sync, with what it replaced.
  struct Pending {
    bool truncate = false;
    int64_t offset = 0;     // where the write went, or the size truncated to
    std::string old_bytes;  // the bytes it overwrote or cut off (those below size_before)
    std::string new_bytes;  // what it wrote
    int64_t size_before = 0;
  };
  struct FileState {
    std::string path;  // current name
    std::vector<Pending> pending;
  };
  // A directory entry change since the directory's last sync.
  struct DirOp {
    FsOp op = FsOp::kCreate;  // kCreate, kRename or kRemove
    std::string path;         // created, removed or renamed to
    std::string from;         // renamed from
    bool had_old = false;     // a file was replaced (rename) or removed: its bytes and mode
    std::string old_bytes;
    mode_t old_mode = 0;
  };

  // Under mu_: whether the call may go on. Counts it (mutating) and checks power and faults.
  Status admit(FsOp op, const std::string& path, const char* what, size_t* partial = nullptr);
  std::shared_ptr<FileState> state_of(const std::string& path);  // under mu_
  void record_dir_op(DirOp op);                                  // under mu_
  // The two halves of power_cut().
  static void cut_file(const FileState& state, std::mt19937_64* rng, std::string* report);
  static void cut_dir(const std::string& dir, const std::vector<DirOp>& ops, std::mt19937_64* rng, std::string* report);

  Env* const base_;
  mutable std::mutex mu_;
  std::vector<Fault> faults_;
  std::vector<int64_t> fault_seen_;  // matching calls per fault
  int64_t faults_injected_ = 0;
  int64_t off_at_ = -1;
  int64_t mutations_ = 0;
  uint64_t generation_ = 0;  // +1 per power cut: files of an older one are dead
  std::vector<TraceEntry> trace_;
  std::map<std::string, std::shared_ptr<FileState>> files_;  // by current path
  std::map<std::string, std::vector<DirOp>> dir_ops_;        // by directory
};

}  // namespace iw::testing
