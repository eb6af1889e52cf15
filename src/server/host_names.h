// Host names as the HTTP edge compares them: the Host and Origin headers' authorities, and the
// names this machine answers to. One normal form for all, so comparing is string equality:
// ASCII lower case, no trailing dot, IPv6 literals in brackets as inet_ntop writes them
// ("[::1]", never "[0:0::1]").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iw::server {

struct Authority {
  std::string host;         // normal form
  std::optional<int> port;  // absent when the text gave none
};

// `name` (a DNS name, an IPv4 address or a bracketed IPv6 address; no port) in normal form,
// or nullopt when it is none of these.
std::optional<std::string> normalize_host(std::string_view name);

// "host", "host:port", "[v6]" or "[v6]:port" (a Host header, an Origin's authority), or
// nullopt when malformed (bare IPv6, port not 1-5 digits or above 65535, bad host).
std::optional<Authority> parse_authority(std::string_view text);

// The names this machine answers to right now, normalised: its host name (gethostname), that
// name's first label, and `<label>.local` (mDNS), every interface address (getifaddrs), and
// localhost, 127.0.0.1, [::1].
std::vector<std::string> local_host_names();

}  // namespace iw::server
