#include "server/auth/lan_access.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "base/strings.h"

namespace iw::server {
namespace {

// Parses a numeric address; sets *ipv6 and writes 4 or 16 bytes into *bytes.
bool parse_address(std::string text, bool* ipv6, std::array<uint8_t, 16>* bytes) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (const size_t zone = text.find('%'); zone != std::string::npos) text.resize(zone);
  bytes->fill(0);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    *ipv6 = false;
    std::memcpy(bytes->data(), &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return false;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(&v6, kMappedPrefix, 12) == 0) {
    *ipv6 = false;
    std::memcpy(bytes->data(), reinterpret_cast<const uint8_t*>(&v6) + 12, 4);
    return true;
  }
  *ipv6 = true;
  std::memcpy(bytes->data(), &v6, 16);
  return true;
}

bool contains(const Subnet& net, bool ipv6, const std::array<uint8_t, 16>& address) {
  if (net.ipv6 != ipv6) return false;
  const size_t size = ipv6 ? 16 : 4;
  bool any_mask = false;
  for (size_t i = 0; i < size; ++i) {
    if ((address[i] & net.netmask[i]) != (net.address[i] & net.netmask[i])) return false;
    any_mask = any_mask || net.netmask[i] != 0;
  }
  return any_mask;  // a zero netmask would make the whole Internet "local"
}

bool from_sockaddr(const sockaddr* addr, bool* ipv6, std::array<uint8_t, 16>* bytes) {
  if (addr == nullptr) return false;
  bytes->fill(0);
  if (addr->sa_family == AF_INET) {
    *ipv6 = false;
    std::memcpy(bytes->data(), &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, 4);
    return true;
  }
  if (addr->sa_family == AF_INET6) {
    *ipv6 = true;
    std::memcpy(bytes->data(), &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, 16);
    return true;
  }
  return false;
}

}  // namespace

bool parse_subnet(const std::string& cidr, Subnet* out) {
  const size_t slash = cidr.find('/');
  if (slash == std::string::npos) return false;
  if (!parse_address(cidr.substr(0, slash), &out->ipv6, &out->address)) return false;
  const std::string bits_text = cidr.substr(slash + 1);
  if (!is_digits(bits_text) || bits_text.size() > 3) return false;
  const int bits = std::stoi(bits_text);
  if (bits > (out->ipv6 ? 128 : 32)) return false;
  out->netmask.fill(0);
  for (int i = 0; i < bits; ++i) out->netmask[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  return true;
}

bool in_same_subnet(const std::string& client_address, const std::vector<Subnet>& subnets) {
  bool ipv6 = false;
  std::array<uint8_t, 16> address{};
  if (!parse_address(client_address, &ipv6, &address)) return false;
  for (const Subnet& net : subnets) {
    if (contains(net, ipv6, address)) return true;
  }
  return false;
}

std::string client_identity(const std::string& client_address) {
  bool ipv6 = false;
  std::array<uint8_t, 16> address{};
  if (!parse_address(client_address, &ipv6, &address)) return client_address;
  char text[INET6_ADDRSTRLEN] = {0};
  if (!ipv6) {
    inet_ntop(AF_INET, address.data(), text, sizeof text);
    return text;
  }
  std::fill(address.begin() + 8, address.end(), uint8_t{0});
  inet_ntop(AF_INET6, address.data(), text, sizeof text);
  return std::string(text) + "/64";
}

std::vector<Subnet> host_subnets() {
  std::vector<Subnet> subnets;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return subnets;
  for (const ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
    Subnet net;
    bool mask_ipv6 = false;
    if (!from_sockaddr(it->ifa_addr, &net.ipv6, &net.address)) continue;
    if (!from_sockaddr(it->ifa_netmask, &mask_ipv6, &net.netmask) || mask_ipv6 != net.ipv6) continue;
    subnets.push_back(net);
  }
  freeifaddrs(list);
  return subnets;
}

}  // namespace iw::server
