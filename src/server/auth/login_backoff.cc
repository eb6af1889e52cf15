#include "server/auth/login_backoff.h"

#include <algorithm>

namespace iw::server {

using std::chrono::seconds;

LoginBackoff::LoginBackoff(LoginBackoffOptions options) : options_(options) {
  if (options_.max_clients == 0) options_.max_clients = 1;
  if (options_.first_wait < seconds(1)) options_.first_wait = seconds(1);
  options_.max_wait = std::max(options_.max_wait, options_.first_wait);
}

bool LoginBackoff::forgotten(const Failures& f, Clock::time_point now) const {
  return now - f.last >= options_.forget_after;
}

seconds LoginBackoff::wait(const std::string& client, Clock::time_point now) const {
  const auto it = clients_.find(client);
  if (it == clients_.end() || it->second.wait_until <= now) return seconds(0);
  // Rounded up, so that a client retrying after Retry-After is never still too early.
  const auto left = it->second.wait_until - now;
  const seconds whole = std::chrono::duration_cast<seconds>(left);
  return whole < left ? whole + seconds(1) : whole;
}

seconds LoginBackoff::wait_after(int failures_in_a_row) const {
  const int over = failures_in_a_row - options_.free_failures;
  if (over <= 0) return seconds(0);
  seconds wait = options_.first_wait;
  for (int i = 1; i < over && wait < options_.max_wait; ++i) wait *= 2;
  return std::min(wait, options_.max_wait);
}

void LoginBackoff::failed(const std::string& client, Clock::time_point now) {
  auto it = clients_.find(client);
  if (it == clients_.end()) {
    make_room(now);
    it = clients_.emplace(client, Failures{}).first;
  } else if (forgotten(it->second, now)) {
    it->second = Failures{};
  }
  Failures& f = it->second;
  ++f.in_a_row;
  f.last = now;
  f.wait_until = now + wait_after(f.in_a_row);
}

void LoginBackoff::succeeded(const std::string& client) { clients_.erase(client); }

// Drops forgotten clients, then, while still full, the client whose last failure is oldest.
void LoginBackoff::make_room(Clock::time_point now) {
  if (clients_.size() < options_.max_clients) return;
  std::erase_if(clients_, [&](const auto& entry) { return forgotten(entry.second, now); });
  if (clients_.size() < options_.max_clients) return;
  const auto oldest = std::min_element(clients_.begin(), clients_.end(),
                                       [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
  clients_.erase(oldest);
}

}  // namespace iw::server
