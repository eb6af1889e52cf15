// Files the daemon keeps its own state in (config, passwords, uploader cursors, saved graphs):
// reads with a size limit, private atomic writes, and damaged files set aside, never deleted.
// Several hold secrets (API keys, tokens, password digests), so they are written readable by
// their owner only.
#pragma once

#include <sys/types.h>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/status.h"

namespace iw {

// Owner read/write: for every file this program writes that may hold a secret.
inline constexpr mode_t kPrivateFileMode = 0600;
// Owner only: for the data directory.
inline constexpr mode_t kPrivateDirMode = 0700;

// All of `path`. An error names the path and says why: it cannot be opened or read, or it
// holds more than `max_bytes` (a file this program wrote never does: it is damaged or not ours).
Result<std::string> read_file(const std::string& path, size_t max_bytes);

// Replaces `path` by `text` so that a crash leaves the old file or the new one, never a torn
// one, and so that the file is never readable by others, not even for a moment: the text goes
// to "<path>.tmp" created with mode 0600, is synced, renamed over `path`, and the directory
// is synced. All of it through `env` (base/env.h).
Status write_private_file(const std::string& path, std::string_view text, Env* env = Env::Default());
// The same with exactly `mode` (fchmod, not subject to the umask), for files meant to be read by
// others, such as the manifests of an update server.
Status write_file_atomically(const std::string& path, std::string_view text, mode_t mode, Env* env = Env::Default());

// Makes a rename in `dir` durable (fsync of the directory); a failure leaves the old entry or
// the new one either way, so it is ignored.
void sync_directory(const std::string& dir);

// Renames a damaged `path` to "<path>.bad-<unix time>" (with "-2", "-3"... when that exists)
// so it can be looked at later and is not read again. Returns the new name.
Result<std::string> set_aside(const std::string& path);

// Takes from `path` every permission bit that `allowed` lacks (0600: group and others lose
// everything). Returns the mode it had when it changed it, nullopt when it was already no
// more open (or does not exist), an error when it cannot be changed.
Result<std::optional<mode_t>> restrict_mode(const std::string& path, mode_t allowed);

// A mode as the shell shows it in chmod: "0644".
std::string mode_text(mode_t mode);

}  // namespace iw
