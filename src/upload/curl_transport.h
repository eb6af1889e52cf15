// The HTTP(S) transport of the uploaders, on libcurl. Certificate and host name verification
// are always on for https://; `cafile` replaces the system's CA store (a private CA). One
// connection is kept alive between requests. Not thread-safe: one per uploader.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "upload/transport.h"

namespace iw::upload {

struct TransportOptions {
  std::string cafile;              // PEM bundle; empty: the system store
  long connect_timeout_ms = 5000;  // NOLINT(runtime/int): libcurl's type
  long total_timeout_ms = 30000;   // whole request, answer included
  // An answer's body and headers beyond these are refused, not read: a server answering
  // gigabytes must not take the daemon's memory. Every protocol's answers are far smaller.
  size_t max_body_bytes = 4u << 20;
  size_t max_header_bytes = 64u << 10;
  // When set and true, a request in flight is given up (the daemon is stopping).
  std::shared_ptr<std::atomic<bool>> abort;
  // Never through a proxy named by the environment (http_proxy, https_proxy, all_proxy): a
  // request to the daemon itself over loopback must not leave the machine.
  bool direct = false;
};

// The kind of the last send()'s failure, for messages that must say no more than the user
// needs (upload/test_report.h): a refused, a timed-out and a non-HTTP answer are one kind.
enum class TransportFailure { kNone, kNoHttpAnswer, kHostUnknown, kTls, kOther };

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> send(const HttpRequest& request) override;
  TransportFailure last_failure() const { return last_failure_; }

 private:
  TransportOptions options_;
  void* curl_ = nullptr;  // CURL*, kept for connection reuse
  TransportFailure last_failure_ = TransportFailure::kNone;
};

}  // namespace iw::upload
