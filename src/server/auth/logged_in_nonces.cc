#include "server/auth/logged_in_nonces.h"

#include <algorithm>

namespace iw::server {
namespace {

constexpr size_t kNcWindow = 4;  // the original keeps the last 4 nc values per session

// Applies the nc rule to one nonce's history; true (and `nc` recorded) when accepted.
bool accept_nc(std::vector<uint32_t>& recent, uint32_t nc) {
  if (std::find(recent.begin(), recent.end(), nc) != recent.end()) return false;
  if (recent.size() == kNcWindow && nc <= *std::min_element(recent.begin(), recent.end())) return false;
  recent.push_back(nc);
  if (recent.size() > kNcWindow) recent.erase(std::min_element(recent.begin(), recent.end()));
  return true;
}

}  // namespace

LoggedInNonces::Use LoggedInNonces::use(const std::string& nonce, uint32_t issued, uint32_t nc, uint32_t oldest_valid) {
  if (auto it = nonces_.find(nonce); it != nonces_.end()) {
    return accept_nc(it->second.recent_nc, nc) ? Use::kAccepted : Use::kReplayed;
  }
  if (forgot_any_ && issued <= forgotten_through_) return Use::kForgotten;
  make_room(oldest_valid);
  nonces_.emplace(nonce, Entry{issued, {nc}});
  return Use::kAccepted;
}

// Expired nonces go first (they are refused before they get here); then, while still full,
// the nonce issued first, which keeps the class invariant.
void LoggedInNonces::make_room(uint32_t oldest_valid) {
  if (nonces_.size() < capacity_) return;
  std::erase_if(nonces_, [&](const auto& entry) { return entry.second.issued < oldest_valid; });
  while (nonces_.size() >= capacity_) {
    const auto first = std::min_element(nonces_.begin(), nonces_.end(),
                                        [](const auto& a, const auto& b) { return a.second.issued < b.second.issued; });
    forgotten_through_ = forgot_any_ ? std::max(forgotten_through_, first->second.issued) : first->second.issued;
    forgot_any_ = true;
    nonces_.erase(first);
  }
}

}  // namespace iw::server
