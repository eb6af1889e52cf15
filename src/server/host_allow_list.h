// Which names the HTTP edge answers to (the DNS rebinding guard): this machine's own names and
// addresses (host_names.h), read again when older than a few seconds so that a new DHCP
// address or interface counts without a restart, plus the names the admin added (--allow-host
// and the config's "http": {"hosts": [...]}). Thread-safe: server threads ask concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/host_names.h"

namespace iw::server {

class HostAllowList {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using NameSource = std::function<std::vector<std::string>()>;
  static constexpr std::chrono::seconds kRefresh{10};

  // `fixed`: names allowed for the process's life (--allow-host); names that do not
  // normalise are dropped (check them with normalize_host() first). `local` and `clock` are
  // for tests.
  explicit HostAllowList(const std::vector<std::string>& fixed = {}, NameSource local = local_host_names,
                         Clock clock = std::chrono::steady_clock::now);

  // Replaces the config's names (at start-up and on every config change).
  void set_configured(const std::vector<std::string>& names);
  // `host` in normal form (parse_authority), without port.
  bool allows(std::string_view host) const;

 private:
  static std::set<std::string, std::less<>> normalized(const std::vector<std::string>& names);

  const std::set<std::string, std::less<>> fixed_;
  const NameSource local_;
  const Clock clock_;
  mutable std::mutex mu_;
  std::set<std::string, std::less<>> configured_;            // guarded by mu_
  mutable std::set<std::string, std::less<>> local_names_;   // guarded by mu_
  mutable std::chrono::steady_clock::time_point read_at_{};  // guarded by mu_; when local_names_ was read
  mutable bool read_ = false;                                // guarded by mu_
};

}  // namespace iw::server
