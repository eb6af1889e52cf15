// HTTP Digest authentication as the original IoTaWatt does it (reference section 8.2), with
// its weak points fixed. Independent of the HTTP library: plain structs in, a decision out;
// the server calls it with the request head, before any body is read.
//
// Challenge (401, text/html, body "IoTaWatt-Login"):
//   WWW-Authenticate: Digest realm="<realm>",qop="auth",nonce="<56 lowercase hex>"
// the original's header (whose nonce has 32 hex characters; clients take any length), first.
// When the admin has a SHA-256 digest stored and `offer_sha256` is on, a second header with
// the same nonce and `algorithm=SHA-256` follows. This is safe for Home Assistant: httpx's
// DigestAuth takes the FIRST header that starts with "Digest " (Debian's httpx 0.23.3
// _auth.py), so it answers the MD5 challenge; curl 7.88 does the same. Both run against this
// class in tests/server/httpx_interop_test.cc. SHA-256 answers are accepted from clients that
// choose it. Migrated legacy passwords (auth.txt) have only an MD5 digest, so then the
// SHA-256 challenge is not offered.
//
// Differences from the original, each closing a hole:
// - Nonces are stateless (digest_nonce.h): a challenge allocates nothing, and a nonce is
//   valid for `nonce_lifetime` after its issue. nc replay state is kept only for nonces that
//   logged in (logged_in_nonces.h), so anonymous requests cannot log anyone out.
// - qop=auth is required, with nc and cnonce. An RFC 2069 answer (no qop) has no nc, so it
//   could be replayed for as long as its nonce lives. curl, httpx and browsers send qop=auth.
// - The `uri` parameter must name the request-target.
// - Failed logins back off per client (login_backoff.h).
// - stale=true only when the nonce is one this process issued, the response is right, and the
//   nonce has expired or its nc can no longer be accepted. Every other refusal is the same
//   plain 401, so no answer tells a right password from a wrong one without a valid nonce.
//
// Answers when a login is needed (AuthDecision):
//   allowed                 right credentials at the level needed
//   401 challenge           no Authorization, or credentials that do not log in here
//   401 challenge, stale    see above: the client retries with the new nonce, no prompt
//   400 text                right password, but `uri` names another resource
//   403 text                the user account's right password where admin is needed (a
//                           challenge would make a browser ask again and again)
//   429 text, Retry-After   this client is backing off after failed logins (nothing checked)
//   500 text                no random numbers for a nonce
// A failed login (counted by the backoff): an Authorization header that does not parse or
// lacks a required parameter, a nonce this process did not issue, a wrong response. Not a
// failure: no Authorization (the first step of Digest), a right password for an account below
// the level needed (a user-role browser opening an admin page), a stale nonce, a 400.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "server/auth/credentials.h"
#include "server/auth/digest_nonce.h"
#include "server/auth/logged_in_nonces.h"
#include "server/auth/login_backoff.h"

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
  int status = 200;                                          // when !allowed: 401, 400, 403, 429 or 500 (see above)
  std::vector<std::pair<std::string, std::string>> headers;  // WWW-Authenticate (repeated), Retry-After
  std::string body, content_type;
};

struct DigestAuthOptions {
  std::chrono::seconds nonce_lifetime{600};  // the original purges sessions idle this long
  size_t max_logged_in_nonces = 1024;        // replay state; Home Assistant uses ~160 per 10 min
  LoginBackoffOptions backoff;
  bool offer_sha256 = true;
  // Injected for tests; defaults: steady_clock::now, "same subnet as a host interface", and
  // a random HMAC key for the nonces.
  std::function<std::chrono::steady_clock::time_point()> clock;
  std::function<bool(const std::string& remote_addr)> is_lan_client;
  std::string nonce_key;
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

  // Decides one request. Never throws; never blocks beyond a short lock.
  AuthDecision check(const AuthRequest& request, Access needed);

  // Memory held, for tests and metrics: nonces with replay state, clients with failures.
  size_t logged_in_nonces() const;
  size_t clients_with_failures() const;

 private:
  enum class Outcome { kLoggedIn, kFailed, kBelowLevel, kOtherResource, kStale };
  struct Login {
    Outcome outcome = Outcome::kFailed;
    std::string role;
  };

  // A uint32_t time is in seconds since start_, the clock of the nonces.
  Login log_in(const AuthRequest& request, const Credentials& creds, Access needed, uint32_t now);
  // Records `nc` for a nonce that has passed every other check; false for a replay or a
  // nonce whose replay state was forgotten.
  bool nc_accepted(const std::string& nonce, uint32_t issued, uint32_t nc, uint32_t now);
  void update_backoff(const std::string& client, Outcome outcome, std::chrono::steady_clock::time_point now);
  std::chrono::seconds backoff_wait(const std::string& client, std::chrono::steady_clock::time_point now) const;
  AuthDecision challenge(const Credentials& creds, bool stale, uint32_t now) const;
  uint32_t seconds_since_start(std::chrono::steady_clock::time_point now) const;

  const DigestAuthOptions options_;
  const std::chrono::steady_clock::time_point start_;  // nonce issue times count from here
  const NonceIssuer nonces_;                           // immutable: no lock needed
  mutable std::mutex mu_;
  Credentials credentials_;   // GUARDED_BY(mu_)
  LoggedInNonces logged_in_;  // GUARDED_BY(mu_)
  LoginBackoff backoff_;      // GUARDED_BY(mu_)
};

}  // namespace iw::server
