// The file layer under the daemon's durable state (the datalog, config, cursors, passwords):
// every open, write, sync, rename and listing those writers make goes through an Env, so a test
// can put a fault-injecting one underneath (power cuts that drop unsynced writes, ENOSPC, EIO)
// and run the real recovery code on what survives. Production uses Env::Default(), plain POSIX
// calls with nothing added.
//
//   Env* env = Env::Default();
//   auto file = env->open_file(path, Env::OpenMode::kCreate, 0644);
//   Status st = file.value()->write_at(offset, data, size, &done);
//   if (st.ok()) st = file.value()->sync();
//
// Errors are Status values whose message names the operation, the path and the system's reason
// ("cannot write <path>: No space left on device"); NotFound when a path does not exist.
// Thread-safety: an Env, and a File's const methods, may be used from any thread; a File's
// writes REQUIRE external synchronization, as with one descriptor.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace iw {

// An open file: positional reads and writes, appends at its end, sync, truncate, size.
class File {
 public:
  virtual ~File() = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  const std::string& path() const { return path_; }

  // Reads up to `size` bytes at `offset`; *got is less than `size` only at the end of the file.
  virtual Status read_at(int64_t offset, uint8_t* data, size_t size, size_t* got) const = 0;
  // Writes all `size` bytes at `offset`, or fails with *done set to the bytes written before
  // the error (they are on the file: the caller decides whether to undo them).
  virtual Status write_at(int64_t offset, const uint8_t* data, size_t size, size_t* done) = 0;
  // Writes `data` at the end of the file.
  virtual Status append(std::string_view data) = 0;
  // fdatasync: the file's bytes and size survive a power cut once this returns ok. Its name in
  // its directory does not: that takes Env::sync_dir.
  virtual Status sync() = 0;
  // fsync: sync() and the file's metadata too (mode, times): for a file about to be renamed
  // into place, whose mode is part of what must survive.
  virtual Status sync_all() = 0;
  virtual Status truncate(int64_t size) = 0;
  virtual Result<int64_t> size() const = 0;
  // Sets exactly `mode` (not subject to the umask).
  virtual Status set_mode(mode_t mode) = 0;

 protected:
  explicit File(std::string path) : path_(std::move(path)) {}

 private:
  const std::string path_;
};

// Held while a lock file is locked; destroying it releases the lock.
class FileLock {
 public:
  virtual ~FileLock() = default;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 protected:
  FileLock() = default;
};

class Env {
 public:
  enum class OpenMode {
    kRead,       // an existing file, read only
    kReadWrite,  // an existing file
    kCreate,     // read-write, created (with `mode`, less the umask) when missing
    kTruncate,   // read-write, created when missing, emptied when not
  };

  // The POSIX Env, for the life of the process.
  static Env* Default();

  virtual ~Env() = default;

  virtual Result<std::unique_ptr<File>> open_file(const std::string& path, OpenMode how, mode_t mode = 0644) = 0;
  // Whether `path` exists (any kind of file); an error only when that cannot be known.
  virtual Result<bool> exists(const std::string& path) = 0;
  // rename(2): replaces `to` atomically. Durable after sync_dir of the directories involved.
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  // Removes a file. Durable after sync_dir.
  virtual Status remove(const std::string& path) = 0;
  // Creates `dir` and its missing parents with `mode` (an existing directory is fine).
  virtual Status make_dirs(const std::string& dir, mode_t mode) = 0;
  // The names in `dir` ("." and ".." excepted), in no particular order.
  virtual Result<std::vector<std::string>> list_dir(const std::string& dir) = 0;
  // fsyncs `dir`, so that files created, renamed or removed in it stay so after a power cut.
  virtual Status sync_dir(const std::string& dir) = 0;
  // Creates `path` if needed and takes an exclusive lock on it without waiting: Unavailable
  // when another holder has it.
  virtual Result<std::unique_ptr<FileLock>> lock_file(const std::string& path) = 0;

 protected:
  Env() = default;
};

}  // namespace iw
