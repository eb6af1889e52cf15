// "Unrestricted LAN access" (localAccess): is a client on the same subnet as one of this
// host's interfaces? IPv4 and IPv6; IPv4-mapped IPv6 client addresses ("::ffff:a.b.c.d")
// count as IPv4, and an IPv6 zone suffix ("%eth0") is ignored.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace iw::server {

// One interface address with its netmask, both in network byte order. IPv4 uses the first
// 4 bytes.
struct Subnet {
  bool ipv6 = false;
  std::array<uint8_t, 16> address{};
  std::array<uint8_t, 16> netmask{};
};

// Parses "192.168.1.0/24" or "fd00::/64"; used by tests and configuration. Returns false on
// bad syntax.
bool parse_subnet(const std::string& cidr, Subnet* out);

// True when `client_address` (as httplib reports it) lies in one of `subnets`. A malformed
// address is never local.
bool in_same_subnet(const std::string& client_address, const std::vector<Subnet>& subnets);

// This host's interface subnets from getifaddrs(); empty on error. Includes loopback.
std::vector<Subnet> host_subnets();

// The name a client is counted under by per-client limits (login_backoff.h): an IPv4 address
// as dotted text, an IPv6 address cut to its /64 ("2001:db8:1:2::/64"), because one host
// usually holds a whole /64 and could otherwise change address per guess. A malformed
// address is returned as is.
std::string client_identity(const std::string& client_address);

}  // namespace iw::server
