// Per-client backoff after failed logins: the answer to password guessing. A client (one
// IPv4 address or one IPv6 /64, see client_identity()) may fail `free_failures` times in a
// row; each further failure makes it wait, 1 s doubling up to 60 s by default. While it
// waits, DigestAuth answers 429 with Retry-After at once, without checking anything: no
// server thread sleeps, so guessers cannot hold threads. A successful login clears the
// client; so does `forget_after` without a failure.
//
// Memory: at most `max_clients` clients are tracked; when a new one needs room, the one whose
// last failure is oldest is dropped (it is the closest to being forgotten anyway).
// Not thread-safe: DigestAuth calls it under its lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace iw::server {

struct LoginBackoffOptions {
  int free_failures = 5;               // failures in a row before the first wait
  std::chrono::seconds first_wait{1};  // after failure free_failures + 1; doubles each time
  std::chrono::seconds max_wait{60};
  std::chrono::seconds forget_after{900};  // a client quiet this long starts afresh
  size_t max_clients = 1024;
};

class LoginBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginBackoff(LoginBackoffOptions options = {});

  // How long `client` must still wait before its next login attempt is looked at; zero when
  // it may try now. Whole seconds, rounded up (what Retry-After carries).
  std::chrono::seconds wait(const std::string& client, Clock::time_point now) const;

  // A request from `client` carried credentials that did not log in.
  void failed(const std::string& client, Clock::time_point now);

  // `client` logged in: its failures are forgotten.
  void succeeded(const std::string& client);

  size_t tracked_clients() const { return clients_.size(); }

 private:
  struct Failures {
    int in_a_row = 0;
    Clock::time_point last;        // of the latest failure
    Clock::time_point wait_until;  // no attempt is looked at before this
  };
  bool forgotten(const Failures& f, Clock::time_point now) const;
  std::chrono::seconds wait_after(int failures_in_a_row) const;
  void make_room(Clock::time_point now);

  LoginBackoffOptions options_;
  std::unordered_map<std::string, Failures> clients_;  // size() <= options_.max_clients
};

}  // namespace iw::server
