#include "testing/fault_env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iterator>
#include <utility>

namespace iw::testing {
namespace {

bool is_mutating(FsOp op) { return op != FsOp::kRead && op != FsOp::kOpen && op != FsOp::kList; }

Status error_of(const char* what, const std::string& path, int err) {
  return Status::IOError(std::string(what) + " " + path + ": " + std::strerror(err));
}

// The directory an entry is in, as the code under test names it ("<dir>/<name>").
std::string dir_of(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

std::string normal_dir(const std::string& dir) {
  std::string d = std::filesystem::path(dir).lexically_normal().string();
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d.empty() ? "." : d;
}

// Direct POSIX helpers for the cut itself (the machine is off: nothing of the Env applies).
bool read_whole(const std::string& path, std::string* bytes, mode_t* mode) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  ::fstat(fd, &st);
  *mode = st.st_mode & 07777;
  bytes->assign(static_cast<size_t>(st.st_size), '\0');
  const ssize_t n = ::pread(fd, bytes->data(), bytes->size(), 0);
  bytes->resize(n > 0 ? static_cast<size_t>(n) : 0);
  ::close(fd);
  return true;
}

void write_whole(const std::string& path, const std::string& bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return;
  ::fchmod(fd, mode);
  if (!bytes.empty()) (void)!::pwrite(fd, bytes.data(), bytes.size(), 0);
  ::close(fd);
}

int64_t file_size(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

}  // namespace

const char* fs_op_name(FsOp op) {
  // In the order of FsOp.
  static constexpr const char* kNames[] = {"read",     "open",     "list",   "create", "write",     "sync",
                                           "truncate", "set_mode", "rename", "remove", "make_dirs", "sync_dir"};
  static_assert(std::size(kNames) == static_cast<size_t>(FsOp::kSyncDir) + 1);
  return kNames[static_cast<size_t>(op)];
}

// A file of a FaultEnv: the real file underneath, plus the record of what was not synced.
class FaultFile final : public File {
 public:
  FaultFile(FaultEnv* env, std::unique_ptr<File> base, std::shared_ptr<FaultEnv::FileState> state, uint64_t generation)
      : File(base->path()), env_(env), base_(std::move(base)), state_(std::move(state)), generation_(generation) {}

  Status read_at(int64_t offset, uint8_t* data, size_t size, size_t* got) const override {
    {
      std::lock_guard lock(env_->mu_);
      *got = 0;
      if (Status st = alive("cannot read"); !st.ok()) return st;
      if (Status st = env_->admit(FsOp::kRead, path(), "cannot read"); !st.ok()) return st;
    }
    return base_->read_at(offset, data, size, got);
  }

  Status write_at(int64_t offset, const uint8_t* data, size_t size, size_t* done) override {
    std::lock_guard lock(env_->mu_);
    *done = 0;
    if (Status st = alive("cannot write"); !st.ok()) return st;
    size_t partial = 0;
    Status admitted = env_->admit(FsOp::kWrite, path(), "cannot write", &partial);
    if (!admitted.ok() && partial == 0) return admitted;
    const size_t n = admitted.ok() ? size : std::min(partial, size > 0 ? size - 1 : 0);
    auto before = base_->size();
    if (!before.ok()) return before.status();
    FaultEnv::Pending p;
    p.offset = offset;
    p.size_before = before.value();
    p.new_bytes.assign(reinterpret_cast<const char*>(data), n);
    const int64_t old_end = std::min<int64_t>(offset + static_cast<int64_t>(n), p.size_before);
    if (old_end > offset) {
      p.old_bytes.assign(static_cast<size_t>(old_end - offset), '\0');
      size_t got = 0;
      if (Status st = base_->read_at(offset, reinterpret_cast<uint8_t*>(p.old_bytes.data()), p.old_bytes.size(), &got);
          !st.ok()) {
        return st;
      }
    }
    env_->trace_.back().offset = offset;
    env_->trace_.back().size = n;
    Status st = base_->write_at(offset, data, n, done);
    state_->pending.push_back(std::move(p));
    return st.ok() ? admitted : st;
  }

  Status append(std::string_view data) override {
    int64_t offset = 0;
    {
      auto size = base_->size();
      if (!size.ok()) return size.status();
      offset = size.value();
    }
    size_t done = 0;
    return write_at(offset, reinterpret_cast<const uint8_t*>(data.data()), data.size(), &done);
  }

  Status sync() override {
    std::lock_guard lock(env_->mu_);
    if (Status st = alive("cannot sync"); !st.ok()) return st;
    if (Status st = env_->admit(FsOp::kSync, path(), "cannot sync"); !st.ok()) return st;
    state_->pending.clear();  // durable now; the disk itself is not asked (see the header)
    return Status::Ok();
  }
  Status sync_all() override { return sync(); }

  Status truncate(int64_t size) override {
    std::lock_guard lock(env_->mu_);
    if (Status st = alive("cannot truncate"); !st.ok()) return st;
    if (Status st = env_->admit(FsOp::kTruncate, path(), "cannot truncate"); !st.ok()) return st;
    auto before = base_->size();
    if (!before.ok()) return before.status();
    FaultEnv::Pending p;
    p.truncate = true;
    p.offset = size;
    p.size_before = before.value();
    if (size < p.size_before) {
      p.old_bytes.assign(static_cast<size_t>(p.size_before - size), '\0');
      size_t got = 0;
      if (Status st = base_->read_at(size, reinterpret_cast<uint8_t*>(p.old_bytes.data()), p.old_bytes.size(), &got);
          !st.ok()) {
        return st;
      }
    }
    Status st = base_->truncate(size);
    if (st.ok()) state_->pending.push_back(std::move(p));
    return st;
  }

  Result<int64_t> size() const override {
    {
      std::lock_guard lock(env_->mu_);
      if (Status st = alive("cannot stat"); !st.ok()) return st;
    }
    return base_->size();
  }

  Status set_mode(mode_t mode) override {
    std::lock_guard lock(env_->mu_);
    if (Status st = alive("cannot chmod"); !st.ok()) return st;
    if (Status st = env_->admit(FsOp::kSetMode, path(), "cannot chmod"); !st.ok()) return st;
    return base_->set_mode(mode);
  }

 private:
  // Under env_->mu_: a file opened before a power cut belongs to a process that is gone.
  Status alive(const char* what) const {
    if (generation_ == env_->generation_) return Status::Ok();
    return error_of(what, path(), EIO);
  }

  FaultEnv* const env_;
  const std::unique_ptr<File> base_;
  const std::shared_ptr<FaultEnv::FileState> state_;
  const uint64_t generation_;
};

void FaultEnv::add_fault(Fault fault) {
  std::lock_guard lock(mu_);
  faults_.push_back(std::move(fault));
  fault_seen_.push_back(0);
}

void FaultEnv::clear_faults() {
  std::lock_guard lock(mu_);
  faults_.clear();
  fault_seen_.clear();
}

int64_t FaultEnv::faults_injected() const {
  std::lock_guard lock(mu_);
  return faults_injected_;
}

void FaultEnv::power_off_at(int64_t index) {
  std::lock_guard lock(mu_);
  off_at_ = index;
}

bool FaultEnv::powered_off() const {
  std::lock_guard lock(mu_);
  return off_at_ >= 0 && mutations_ >= off_at_;
}

int64_t FaultEnv::mutations() const {
  std::lock_guard lock(mu_);
  return mutations_;
}

std::vector<TraceEntry> FaultEnv::trace() const {
  std::lock_guard lock(mu_);
  return trace_;
}

Status FaultEnv::admit(FsOp op, const std::string& path, const char* what, size_t* partial) {
  const bool mutating = is_mutating(op);
  if (mutating && off_at_ >= 0 && mutations_ >= off_at_) return error_of(what, path, EIO);
  for (size_t i = 0; i < faults_.size(); ++i) {
    const Fault& f = faults_[i];
    if ((f.ops & op_bit(op)) == 0 || path.find(f.path_part) == std::string::npos) continue;
    const int64_t seen = fault_seen_[i]++;
    if (seen < f.skip || (f.count >= 0 && seen >= f.skip + f.count)) continue;
    ++faults_injected_;
    if (partial != nullptr && f.partial_bytes > 0) {
      *partial = f.partial_bytes;
      trace_.push_back({mutations_++, op, path});  // a short write changes the file
    }
    return error_of(what, path, f.err);
  }
  if (mutating) trace_.push_back({mutations_++, op, path});
  return Status::Ok();
}

std::shared_ptr<FaultEnv::FileState> FaultEnv::state_of(const std::string& path) {
  auto& state = files_[path];
  if (!state) {
    state = std::make_shared<FileState>();
    state->path = path;
  }
  return state;
}

void FaultEnv::record_dir_op(DirOp op) {
  const std::string dir = normal_dir(dir_of(op.path));
  dir_ops_[dir].push_back(std::move(op));
}

Result<std::unique_ptr<File>> FaultEnv::open_file(const std::string& path, OpenMode how, mode_t mode) {
  std::lock_guard lock(mu_);
  const bool creating = how == OpenMode::kCreate || how == OpenMode::kTruncate;
  const char* what = creating ? "cannot create" : "cannot open";
  if (Status st = admit(creating ? FsOp::kCreate : FsOp::kOpen, path, what); !st.ok()) return st;
  auto existed = base_->exists(path);
  if (!existed.ok()) return existed.status();
  std::string old_bytes;
  mode_t old_mode = 0;
  const bool emptied = how == OpenMode::kTruncate && existed.value() && read_whole(path, &old_bytes, &old_mode);
  auto file = base_->open_file(path, how, mode);
  if (!file.ok()) return file.status();
  auto state = state_of(path);
  if (creating && !existed.value()) {
    DirOp op;
    op.op = FsOp::kCreate;
    op.path = path;
    record_dir_op(std::move(op));
  } else if (emptied && !old_bytes.empty()) {
    Pending p;
    p.truncate = true;
    p.offset = 0;
    p.size_before = static_cast<int64_t>(old_bytes.size());
    p.old_bytes = std::move(old_bytes);
    state->pending.push_back(std::move(p));
  }
  return std::unique_ptr<File>(new FaultFile(this, std::move(file.value()), std::move(state), generation_));
}

Result<bool> FaultEnv::exists(const std::string& path) {
  std::lock_guard lock(mu_);
  if (Status st = admit(FsOp::kOpen, path, "cannot stat"); !st.ok()) return st;
  return base_->exists(path);
}

Status FaultEnv::rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  if (Status st = admit(FsOp::kRename, from, ("cannot rename to " + to + ":").c_str()); !st.ok()) return st;
  DirOp op;
  op.op = FsOp::kRename;
  op.from = from;
  op.path = to;
  op.had_old = read_whole(to, &op.old_bytes, &op.old_mode);
  Status st = base_->rename(from, to);
  if (!st.ok()) return st;
  auto moved = state_of(from);
  files_.erase(from);
  moved->path = to;
  files_[to] = std::move(moved);
  record_dir_op(std::move(op));
  return Status::Ok();
}

Status FaultEnv::remove(const std::string& path) {
  std::lock_guard lock(mu_);
  if (Status st = admit(FsOp::kRemove, path, "cannot delete"); !st.ok()) return st;
  DirOp op;
  op.op = FsOp::kRemove;
  op.path = path;
  op.had_old = read_whole(path, &op.old_bytes, &op.old_mode);
  Status st = base_->remove(path);
  if (!st.ok()) return st;
  files_.erase(path);
  record_dir_op(std::move(op));
  return Status::Ok();
}

Status FaultEnv::make_dirs(const std::string& dir, mode_t mode) {
  std::lock_guard lock(mu_);
  if (Status st = admit(FsOp::kMakeDirs, dir, "cannot create directory"); !st.ok()) return st;
  return base_->make_dirs(dir, mode);
}

Result<std::vector<std::string>> FaultEnv::list_dir(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (Status st = admit(FsOp::kList, dir, "cannot list"); !st.ok()) return st;
  return base_->list_dir(dir);
}

Status FaultEnv::sync_dir(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (Status st = admit(FsOp::kSyncDir, dir, "cannot sync directory"); !st.ok()) return st;
  dir_ops_.erase(normal_dir(dir));  // durable now; the disk itself is not asked
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> FaultEnv::lock_file(const std::string& path) { return base_->lock_file(path); }

void FaultEnv::cut_file(const FileState& state, std::mt19937_64* rng, std::string* report) {
  const int fd = ::open(state.path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  // Back to the synced state: undo every pending operation, newest first.
  for (auto p = state.pending.rbegin(); p != state.pending.rend(); ++p) {
    if (p->truncate && p->offset < p->size_before) {
      (void)!::ftruncate(fd, p->size_before);
      (void)!::pwrite(fd, p->old_bytes.data(), p->old_bytes.size(), p->offset);
    } else if (p->truncate) {
      (void)!::ftruncate(fd, p->size_before);
    } else {
      if (!p->old_bytes.empty()) (void)!::pwrite(fd, p->old_bytes.data(), p->old_bytes.size(), p->offset);
      if (file_size(fd) > p->size_before) (void)!::ftruncate(fd, p->size_before);
    }
  }
  // Then some of them again, in order: none, all, a prefix, or each by a coin.
  const size_t n = state.pending.size();
  std::vector<bool> keep(n, false);
  const auto how = (*rng)() % 4;
  const size_t prefix = n == 0 ? 0 : static_cast<size_t>((*rng)() % (n + 1));
  for (size_t i = 0; i < n; ++i) keep[i] = how == 1 || (how == 2 && i < prefix) || (how == 3 && (*rng)() % 2 == 0);
  size_t last = n;
  for (size_t i = 0; i < n; ++i) {
    if (keep[i]) last = i;
  }
  size_t kept = 0;
  std::string torn;
  for (size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    ++kept;
    const Pending& p = state.pending[i];
    if (p.truncate) {
      (void)!::ftruncate(fd, p.offset);
      continue;
    }
    size_t bytes = p.new_bytes.size();
    if (i == last && bytes > 1 && (*rng)() % 2 == 0) {
      bytes = 1 + static_cast<size_t>((*rng)() % (bytes - 1));  // torn: a prefix, never all
      torn = ", the last torn after " + std::to_string(bytes) + " of " + std::to_string(p.new_bytes.size()) +
             " bytes at offset " + std::to_string(p.offset);
    }
    (void)!::pwrite(fd, p.new_bytes.data(), bytes, p.offset);
  }
  ::close(fd);
  *report += "  " + state.path + ": kept " + std::to_string(kept) + " of " + std::to_string(n) + " unsynced write(s)" +
             torn + "\n";
}

void FaultEnv::cut_dir(const std::string& dir, const std::vector<DirOp>& ops, std::mt19937_64* rng,
                       std::string* report) {
  const size_t kept = static_cast<size_t>((*rng)() % (ops.size() + 1));
  for (size_t i = ops.size(); i-- > kept;) {
    const DirOp& op = ops[i];
    switch (op.op) {
      case FsOp::kCreate:
        ::unlink(op.path.c_str());
        break;
      case FsOp::kRename:
        (void)!::rename(op.path.c_str(), op.from.c_str());
        if (op.had_old) write_whole(op.path, op.old_bytes, op.old_mode);
        break;
      case FsOp::kRemove:
        if (op.had_old) write_whole(op.path, op.old_bytes, op.old_mode);
        break;
      default:
        break;
    }
  }
  *report += "  " + dir + ": kept " + std::to_string(kept) + " of " + std::to_string(ops.size()) +
             " unsynced entry change(s)\n";
}

std::string FaultEnv::power_cut(uint64_t seed) {
  std::lock_guard lock(mu_);
  std::mt19937_64 rng(seed);
  std::string report =
      "power cut, seed " + std::to_string(seed) + ", after " + std::to_string(mutations_) + " call(s)" +
      (trace_.empty() ? "" : std::string(", the last ") + fs_op_name(trace_.back().op) + " " + trace_.back().path) +
      ":\n";
  // Data first, by each file's current name; then the names, newest change first.
  for (const auto& [path, state] : files_) {
    if (!state->pending.empty()) cut_file(*state, &rng, &report);
  }
  for (const auto& [dir, ops] : dir_ops_) {
    if (!ops.empty()) cut_dir(dir, ops, &rng, &report);
  }
  files_.clear();
  dir_ops_.clear();
  trace_.clear();
  mutations_ = 0;
  off_at_ = -1;
  ++generation_;
  return report;
}

}  // namespace iw::testing
