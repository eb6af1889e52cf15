#include "server/host_allow_list.h"

#include <utility>

namespace iw::server {

HostAllowList::HostAllowList(const std::vector<std::string>& fixed, NameSource local, Clock clock)
    : fixed_(normalized(fixed)), local_(std::move(local)), clock_(std::move(clock)) {}

std::set<std::string, std::less<>> HostAllowList::normalized(const std::vector<std::string>& names) {
  std::set<std::string, std::less<>> out;
  for (const std::string& name : names) {
    if (auto host = normalize_host(name)) out.insert(std::move(*host));
  }
  return out;
}

void HostAllowList::set_configured(const std::vector<std::string>& names) {
  auto next = normalized(names);
  std::lock_guard lock(mu_);
  configured_ = std::move(next);
}

bool HostAllowList::allows(std::string_view host) const {
  if (fixed_.contains(host)) return true;
  std::lock_guard lock(mu_);
  if (configured_.contains(host)) return true;
  // Read lazily and at most every kRefresh: a flood of unknown names costs one getifaddrs()
  // per period, not one per request.
  const auto now = clock_();
  if (!read_ || now - read_at_ >= kRefresh) {
    local_names_ = normalized(local_());
    read_at_ = now;
    read_ = true;
  }
  return local_names_.contains(host);
}

}  // namespace iw::server
