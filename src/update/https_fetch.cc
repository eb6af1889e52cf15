#include "update/https_fetch.h"

#include <curl/curl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <mutex>

namespace iw::update {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// "host/path" of a URL, for messages.
std::string shown(const std::string& url) {
  const size_t start = url.find("://");
  return start == std::string::npos ? url : url.substr(start + 3);
}

struct Easy {
  CURL* c;
  Easy() : c((global_init(), curl_easy_init())) {}
  ~Easy() {
    if (c) curl_easy_cleanup(c);
  }
};

int check_abort(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* abort = static_cast<const std::atomic<bool>*>(user);
  return abort != nullptr && abort->load() ? 1 : 0;
}

void set_common(CURL* c, const std::string& url, const FetchOptions& o, char* error) {
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 100L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.stall_seconds);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.cafile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.cafile.c_str());
  if (o.abort) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_abort);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, o.abort.get());
  }
}

// libcurl's outcome as a Status: kUnavailable when there was no (whole) answer.
Status outcome(CURL* c, CURLcode rc, const char* error, const std::string& url, bool too_large, uint64_t limit) {
  if (too_large) {
    return Status::Corruption(shown(url) + ": the answer is longer than " + std::to_string(limit) +
                              " bytes: not what the manifest describes");
  }
  if (rc != CURLE_OK) return Status::Unavailable(shown(url) + ": " + (error[0] ? error : curl_easy_strerror(rc)));
  long status = 0;  // NOLINT(runtime/int): libcurl's type
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 206) {
    return Status::Unavailable(shown(url) + ": the server answered HTTP " + std::to_string(status));
  }
  return Status::Ok();
}

struct TextSink {
  std::string body;
  size_t max;
  bool too_large = false;
};

size_t append_text(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<TextSink*>(user);
  if (sink->body.size() + size * n > sink->max) {
    sink->too_large = true;
    return 0;
  }
  sink->body.append(data, size * n);
  return size * n;
}

// Bytes from offset `written` of the file on, never past `total`. An error page's body (a
// status other than 200 or 206) is not written; the status is reported afterwards.
struct FileSink {
  CURL* c;
  std::FILE* file;
  uint64_t written, total;
  bool too_large = false, write_failed = false;
};

size_t append_file(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<FileSink*>(user);
  long status = 0;  // NOLINT(runtime/int): libcurl's type
  curl_easy_getinfo(sink->c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 206) return size * n;
  if (sink->written + size * n > sink->total) {
    sink->too_large = true;
    return 0;
  }
  if (std::fwrite(data, 1, size * n, sink->file) != size * n) {
    sink->write_failed = true;
    return 0;
  }
  sink->written += size * n;
  return size * n;
}

}  // namespace

Result<std::string> fetch_text(const std::string& url, size_t max_bytes, const FetchOptions& options) {
  Easy easy;
  if (!easy.c) return Status::IOError(shown(url) + ": cannot start libcurl");
  char error[CURL_ERROR_SIZE] = {0};
  TextSink sink{{}, max_bytes};
  set_common(easy.c, url, options, error);
  curl_easy_setopt(easy.c, CURLOPT_WRITEFUNCTION, append_text);
  curl_easy_setopt(easy.c, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(easy.c);
  if (Status st = outcome(easy.c, rc, error, url, sink.too_large, max_bytes); !st) return st;
  return std::move(sink.body);
}

Result<uint64_t> fetch_to_file(const std::string& url, const std::string& path, uint64_t total,
                               const FetchOptions& options) {
  std::FILE* file = std::fopen(path.c_str(), "ab");
  if (file == nullptr) return Status::IOError(path + ": cannot be opened for writing");
  std::error_code ec;
  const uint64_t have = std::filesystem::file_size(path, ec);
  FileSink sink{nullptr, file, ec ? 0 : have, total};
  if (sink.written >= total) {
    std::fclose(file);
    return sink.written;
  }
  Easy easy;
  sink.c = easy.c;
  char error[CURL_ERROR_SIZE] = {0};
  set_common(easy.c, url, options, error);
  curl_easy_setopt(easy.c, CURLOPT_WRITEFUNCTION, append_file);
  curl_easy_setopt(easy.c, CURLOPT_WRITEDATA, &sink);
  if (sink.written > 0) curl_easy_setopt(easy.c, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(sink.written));
  const CURLcode rc = curl_easy_perform(easy.c);
  const bool synced = std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  std::fclose(file);
  if (sink.write_failed || !synced) return Status::IOError(path + ": cannot be written (disk full?)");
  if (rc == CURLE_RANGE_ERROR) {  // the server sends whole files only: the next fetch starts over
    std::filesystem::resize_file(path, 0, ec);
    return Status::Unavailable(shown(url) + ": the server cannot resume (it ignores Range); starting over");
  }
  if (Status st = outcome(easy.c, rc, error, url, sink.too_large, total); !st) return st;
  return sink.written;
}

}  // namespace iw::update
