// The replay guard of Digest logins: for each nonce that has logged in, the nc values it was
// last accepted with. Only a request that passed the password check adds a nonce, so
// anonymous traffic, however much of it, never touches this table or evicts anyone.
//
// nc rule (the original's): a new nc must differ from the last 4 accepted values and, once 4
// are known, be greater than the oldest of them; browsers may send requests out of order.
//
// INVARIANT: every unexpired nonce that has logged in and was issued after
// forgotten_through_ is in the table. Making room drops expired nonces (DigestAuth refuses
// them before asking), then the nonce issued first, raising forgotten_through_ to its issue
// time. So an unexpired nonce missing from the table is either new (issued later: accept and
// add it) or forgotten (issued at or before: refuse, because its nc history is gone and a
// replay could not be told apart). A client told its nonce is stale fetches a new one.
// Not thread-safe: DigestAuth calls it under its lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace iw::server {

class LoggedInNonces {
 public:
  explicit LoggedInNonces(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  enum class Use { kAccepted, kReplayed, kForgotten };

  // Records a login with `nonce` (issued at `issued`) and `nc`. `oldest_valid`: the issue
  // time of the oldest nonce not yet expired; older entries may be dropped to make room.
  Use use(const std::string& nonce, uint32_t issued, uint32_t nc, uint32_t oldest_valid);

  size_t size() const { return nonces_.size(); }

 private:
  struct Entry {
    uint32_t issued = 0;
    std::vector<uint32_t> recent_nc;  // at most kNcWindow values
  };
  void make_room(uint32_t oldest_valid);

  size_t capacity_;
  std::unordered_map<std::string, Entry> nonces_;  // size() <= capacity_
  bool forgot_any_ = false;
  uint32_t forgotten_through_ = 0;  // meaningful when forgot_any_
};

}  // namespace iw::server
