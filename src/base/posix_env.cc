// Env::Default(): the POSIX calls, each retried on EINTR, with nothing added (no buffering, no
// caching): what the daemon did before the Env seam existed, at the same cost.
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/env.h"

namespace iw {
namespace {

// "<what> <path>: <strerror(err)>"; NotFound for ENOENT.
Status errno_status(const std::string& what, const std::string& path, int err) {
  std::string message = what + " " + path + ": " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(std::move(message));
  return Status::IOError(std::move(message));
}

class PosixFile final : public File {
 public:
  PosixFile(std::string path, int fd) : File(std::move(path)), fd_(fd) {}
  ~PosixFile() override { ::close(fd_); }

  Status read_at(int64_t offset, uint8_t* data, size_t size, size_t* got) const override {
    *got = 0;
    while (*got < size) {
      const ssize_t n = ::pread(fd_, data + *got, size - *got, static_cast<off_t>(offset + *got));
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status("cannot read", path(), errno);
      }
      if (n == 0) break;  // end of file
      *got += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  Status write_at(int64_t offset, const uint8_t* data, size_t size, size_t* done) override {
    *done = 0;
    while (*done < size) {
      const ssize_t n = ::pwrite(fd_, data + *done, size - *done, static_cast<off_t>(offset + *done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status("cannot write", path(), errno);
      }
      *done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  Status append(std::string_view data) override {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status("cannot write", path(), errno);
      }
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  Status sync() override {
    if (::fdatasync(fd_) != 0) return errno_status("cannot sync", path(), errno);
    return Status::Ok();
  }

  Status sync_all() override {
    if (::fsync(fd_) != 0) return errno_status("cannot sync", path(), errno);
    return Status::Ok();
  }

  Status truncate(int64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return errno_status("cannot truncate", path(), errno);
    return Status::Ok();
  }

  Result<int64_t> size() const override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return errno_status("cannot stat", path(), errno);
    return static_cast<int64_t>(st.st_size);
  }

  Status set_mode(mode_t mode) override {
    if (::fchmod(fd_, mode) != 0) return errno_status("cannot chmod", path(), errno);
    return Status::Ok();
  }

 private:
  const int fd_;
};

class PosixLock final : public FileLock {
 public:
  explicit PosixLock(int fd) : fd_(fd) {}
  ~PosixLock() override { ::close(fd_); }  // releases the flock

 private:
  const int fd_;
};

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<File>> open_file(const std::string& path, OpenMode how, mode_t mode) override {
    int flags = O_CLOEXEC;
    switch (how) {
      case OpenMode::kRead:
        flags |= O_RDONLY;
        break;
      case OpenMode::kReadWrite:
        flags |= O_RDWR;
        break;
      case OpenMode::kCreate:
        flags |= O_RDWR | O_CREAT;
        break;
      case OpenMode::kTruncate:
        flags |= O_RDWR | O_CREAT | O_TRUNC;
        break;
    }
    const int fd = ::open(path.c_str(), flags, mode);
    if (fd < 0) return errno_status(how >= OpenMode::kCreate ? "cannot create" : "cannot open", path, errno);
    return std::unique_ptr<File>(new PosixFile(path, fd));
  }

  Result<bool> exists(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT) return false;
    return errno_status("cannot stat", path, errno);
  }

  Status rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return errno_status("cannot rename to " + to + ":", from, errno);
    return Status::Ok();
  }

  Status remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return errno_status("cannot delete", path, errno);
    return Status::Ok();
  }

  Status make_dirs(const std::string& dir, mode_t mode) override {
    // Each prefix that ends at a '/', then the whole path.
    for (size_t pos = dir.find('/', 1);; pos = dir.find('/', pos + 1)) {
      const std::string prefix = dir.substr(0, pos);
      if (!prefix.empty() && ::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
        return errno_status("cannot create directory", prefix, errno);
      }
      if (pos == std::string::npos) return Status::Ok();
    }
  }

  Result<std::vector<std::string>> list_dir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return errno_status("cannot list", dir, errno);
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
      const std::string_view name = e->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(d);
    return names;
  }

  Status sync_dir(const std::string& dir) override {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno_status("cannot open directory", dir, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return errno_status("cannot sync directory", dir, err);
    return Status::Ok();
  }

  Result<std::unique_ptr<FileLock>> lock_file(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno_status("cannot open", path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) return Status::Unavailable(path + " is locked by another process");
      return errno_status("cannot lock", path, err);
    }
    return std::unique_ptr<FileLock>(new PosixLock(fd));
  }
};

}  // namespace

Env* Env::Default() {
  // Never destroyed: files may be closed by static destructors after main returns.
  static Env* const env = new PosixEnv();
  return env;
}

}  // namespace iw
