// HTTP Digest authentication as the original IoTaWatt does it (reference section 8.2),
// with its weak points fixed: a bounded session table, the `uri` parameter checked against
// the request-target, SHA-256 besides MD5, stale=true for expired nonces.
// Independent of the HTTP library: plain structs in, a decision out.
//
// Challenge (401, text/html, body "IoTaWatt-Login"):
//   WWW-Authenticate: Digest realm="<realm>",qop="auth",nonce="<32 lowercase hex>"
// exactly the original's header, first. When the admin has a SHA-256 digest stored and
// `offer_sha256` is on, a second header with the same nonce and `algorithm=SHA-256` follows.
// This is safe for Home Assistant: httpx's DigestAuth takes the FIRST header that starts with
// "Digest " (read in Debian's httpx 0.23.3 _auth.py), so it answers the MD5 challenge; curl
// 7.88 does the same. Both are run against this class in tests/server/httpx_interop_test.cc.
// SHA-256 answers are accepted from clients that choose it. Migrated legacy passwords
// (auth.txt) have only an MD5 digest, so then the SHA-256 challenge is not offered.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/credentials.h"

namespace iw::server {

// What an endpoint needs. kUser accepts the `user` and `admin` accounts; kAdmin only `admin`.
enum class Access { kNone, kUser, kAdmin };

struct AuthRequest {
  std::string method;         // "GET", "POST", ... as received; used in HA2
  std::string target;         // the request-target as sent, e.g. "/query?select=[a.watts]"
  std::string authorization;  // the Authorization header value, empty when absent
  std::string remote_addr;    // client IP as text (IPv4, IPv6, or IPv4-mapped IPv6)
};

struct AuthDecision {
  bool allowed = false;
  // "admin" or "user"; "admin" also when no password is set or the LAN bypass applies; empty
  // for Access::kNone.
  std::string role;
  int status = 200;  // when !allowed: 401 (challenge), 400 (uri mismatch) or 500
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. WWW-Authenticate, repeated
  std::string body, content_type;
};

struct DigestAuthOptions {
  size_t max_sessions = 256;  // oldest idle session evicted when a new challenge needs room
  std::chrono::seconds idle_timeout{600};
  bool offer_sha256 = true;
  // Injected for tests; defaults: steady_clock::now and "same subnet as a host interface".
  std::function<std::chrono::steady_clock::time_point()> clock;
  std::function<bool(const std::string& remote_addr)> is_lan_client;
};

// Thread-safe: server threads call check() concurrently.
class DigestAuth {
 public:
  explicit DigestAuth(Credentials credentials, DigestAuthOptions options = {});
  DigestAuth(const DigestAuth&) = delete;
  DigestAuth& operator=(const DigestAuth&) = delete;

  // Installs new secrets (after POST /auth or a reload). Existing nonces stay valid.
  void set_credentials(Credentials credentials);
  Credentials credentials() const;

  // Decides one request. Never throws; any malformed Authorization gives a 401 challenge.
  AuthDecision check(const AuthRequest& request, Access needed);

  size_t session_count() const;

 private:
  struct Session {
    std::chrono::steady_clock::time_point last_used;
    uint64_t touch = 0;               // LRU order, immune to a coarse or frozen clock
    std::vector<uint32_t> recent_nc;  // the last accepted nc values, at most 4
  };
  enum class NonceCheck { kAccepted, kUnknown, kReplay };

  AuthDecision challenge(const Credentials& creds, bool stale);
  NonceCheck use_nonce(const std::string& nonce, bool has_nc, uint32_t nc);
  void purge_idle_locked(std::chrono::steady_clock::time_point now);

  const DigestAuthOptions options_;
  mutable std::mutex mu_;
  Credentials credentials_;                            // GUARDED_BY(mu_)
  std::unordered_map<std::string, Session> sessions_;  // GUARDED_BY(mu_); size <= max_sessions
  uint64_t touches_ = 0;                               // GUARDED_BY(mu_)
};

// Percent-decodes %XX sequences (a malformed '%' is kept as is; '+' stays '+').
std::string percent_decode(const std::string& text);

}  // namespace iw::server
