#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace iw {
namespace {

// "<path>: <what>: <the errno's text>".
Status errno_error(const std::string& path, const std::string& what) {
  return Status::IOError(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

void sync_directory(const std::string& dir) {
  // Either entry survives; see the header.
  (void)Env::Default()->sync_dir(dir.empty() ? "." : dir);
}

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error(path, "cannot open");
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const Status st = errno_error(path, "cannot read");
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    // Checked as it grows, so a huge (or endless: a device) file costs max_bytes at most.
    if (text.size() > max_bytes) {
      ::close(fd);
      return Status::InvalidArgument(path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return text;
}

Status write_private_file(const std::string& path, std::string_view text, Env* env) {
  return write_file_atomically(path, text, kPrivateFileMode, env);
}

Status write_file_atomically(const std::string& path, std::string_view text, mode_t mode, Env* env) {
  const std::string temp = path + ".tmp";
  Status st;
  {
    auto file = env->open_file(temp, Env::OpenMode::kTruncate, mode);
    if (!file.ok()) return file.status();
    // open() applies the mode only to a new file: an older temp file may be more open.
    st = file.value()->set_mode(mode);
    if (st.ok()) st = file.value()->append(text);
    if (st.ok()) st = file.value()->sync_all();
  }  // closed here, before the rename
  if (st.ok()) st = env->rename(temp, path);
  if (!st.ok()) {
    (void)env->remove(temp);  // best effort: the next write truncates it anyway
    return st;
  }
  // Either entry survives a failure here (the old file or the new one): said in the header.
  const std::string dir = std::filesystem::path(path).parent_path().string();
  (void)env->sync_dir(dir.empty() ? "." : dir);
  return Status::Ok();
}

Result<std::string> set_aside(const std::string& path) {
  const std::string base = path + ".bad-" + std::to_string(std::time(nullptr));
  std::string target = base;
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(target, ec) && n < 1000; ++n) target = base + "-" + std::to_string(n);
  if (::rename(path.c_str(), target.c_str()) != 0) return errno_error(path, "cannot rename it to " + target);
  return target;
}

Result<std::optional<mode_t>> restrict_mode(const std::string& path, mode_t allowed) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<mode_t>();
    return errno_error(path, "cannot stat");
  }
  // A symbolic link's own mode means nothing, and chmod would change what it points to.
  if (S_ISLNK(st.st_mode)) return std::optional<mode_t>();
  const mode_t old = st.st_mode & 07777;
  if ((old & ~allowed) == 0) return std::optional<mode_t>();
  if (::chmod(path.c_str(), old & allowed) != 0) return errno_error(path, "cannot chmod");
  return std::optional<mode_t>(old);
}

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace iw
