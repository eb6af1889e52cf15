// Fetching from the update server over HTTPS (libcurl, the system's CA store or a given CA
// file; certificate and host name always verified). Only https:// URLs are fetched: nothing
// on the server is trusted, but a plain-HTTP fetch would tell every network hop what a device
// runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"

namespace iw::update {

struct FetchOptions {
  std::string cafile;               // PEM; empty: the system store
  long connect_timeout_ms = 10000;  // NOLINT(runtime/int): libcurl's type
  long stall_seconds = 60;          // NOLINT(runtime/int): given up below 100 bytes/s for this long
  // When set and true, a fetch in flight is given up (the daemon is stopping).
  std::shared_ptr<std::atomic<bool>> abort;
};

// The body of a 200 answer at `url`; an error when it is longer than `max_bytes`, another
// status, or no answer. Errors name the URL's host and path.
Result<std::string> fetch_text(const std::string& url, size_t max_bytes, const FetchOptions& options);

// Appends the bytes of `url` to the file `path` from its current size (an HTTP Range request;
// when the server ignores Range, the file is emptied and the error says to start over), never
// letting the file grow past `total`. Returns the file's size when the server's answer ended (it may still
// be short of `total`). A fetch cut off midway is an error (kUnavailable) that keeps the bytes
// that came: calling again resumes after them. The file is synced before this returns.
Result<uint64_t> fetch_to_file(const std::string& url, const std::string& path, uint64_t total,
                               const FetchOptions& options);

}  // namespace iw::update
