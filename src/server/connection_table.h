// Admission of TCP connections to the HTTP edge: at most `per_client` connections from one
// address and `total` in all. A connection is either waiting (for the head of its next
// request: idle keep-alive, or a head still arriving) or busy (a request is read, run or
// answered). When a limit is reached, the new connection takes the place of the waiting
// connection admitted first, from the same address (per-client limit) or from the address
// holding the most (total limit); so a slow or idle client can never keep a fresh one out,
// and a busy request is never cut. Only when every candidate is busy is the new one refused.
// Not thread-safe: the server's I/O thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

namespace iw::server {

class ConnectionTable {
 public:
  using Id = uint64_t;
  struct Admission {
    bool admitted = false;
    Id id = 0;
    std::optional<Id> evicted;  // close this one: its place was given to the new connection
  };

  ConnectionTable(size_t per_client, size_t total) : per_client_(per_client), total_(total) {}

  Admission admit(const std::string& client);
  void set_busy(Id id, bool busy);
  // Forgets `id`; no-op for an id already evicted or removed.
  void remove(Id id);

  size_t size() const { return entries_.size(); }
  size_t count(const std::string& client) const;

 private:
  struct Entry {
    std::string client;
    bool busy = false;
  };
  // The waiting connection admitted first, of `client` (or of any client when empty).
  std::optional<Id> oldest_waiting(const std::string& client) const;
  const std::string& busiest_client() const;

  size_t per_client_, total_;
  Id next_id_ = 1;
  std::map<Id, Entry> entries_;  // ordered by admission
  std::unordered_map<std::string, size_t> per_address_;
};

}  // namespace iw::server
