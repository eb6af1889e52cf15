#include "server/connection_table.h"

namespace iw::server {

ConnectionTable::Admission ConnectionTable::admit(const std::string& client) {
  Admission a;
  if (count(client) >= per_client_) {
    a.evicted = oldest_waiting(client);
    if (!a.evicted) return a;
  } else if (entries_.size() >= total_) {
    a.evicted = oldest_waiting(busiest_client());
    if (!a.evicted) a.evicted = oldest_waiting("");
    if (!a.evicted) return a;
  }
  if (a.evicted) remove(*a.evicted);
  a.admitted = true;
  a.id = next_id_++;
  entries_.emplace(a.id, Entry{client, false});
  ++per_address_[client];
  return a;
}

void ConnectionTable::set_busy(Id id, bool busy) {
  if (auto it = entries_.find(id); it != entries_.end()) it->second.busy = busy;
}

void ConnectionTable::remove(Id id) {
  const auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (const auto c = per_address_.find(it->second.client); c != per_address_.end() && --c->second == 0) {
    per_address_.erase(c);
  }
  entries_.erase(it);
}

size_t ConnectionTable::count(const std::string& client) const {
  const auto it = per_address_.find(client);
  return it == per_address_.end() ? 0 : it->second;
}

std::optional<ConnectionTable::Id> ConnectionTable::oldest_waiting(const std::string& client) const {
  for (const auto& [id, entry] : entries_) {
    if (!entry.busy && (client.empty() || entry.client == client)) return id;
  }
  return std::nullopt;
}

const std::string& ConnectionTable::busiest_client() const {
  static const std::string kNone;
  const std::string* best = &kNone;
  size_t most = 0;
  for (const auto& [client, n] : per_address_) {
    if (n > most) {
      most = n;
      best = &client;
    }
  }
  return *best;
}

}  // namespace iw::server
