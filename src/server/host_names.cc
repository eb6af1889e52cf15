#include "server/host_names.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "base/strings.h"

namespace iw::server {
namespace {

constexpr size_t kMaxNameLength = 253;  // RFC 1035, without the trailing dot

bool name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'; }

// "[...]" -> "[<inet_ntop form>]". A zone ("%eth0") is refused: browsers do not send one.
std::optional<std::string> normalize_ipv6(std::string_view bracketed) {
  if (bracketed.size() < 3 || bracketed.back() != ']') return std::nullopt;
  const std::string inner(bracketed.substr(1, bracketed.size() - 2));
  in6_addr addr{};
  if (inet_pton(AF_INET6, inner.c_str(), &addr) != 1) return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, &addr, text, sizeof text)) return std::nullopt;
  return "[" + std::string(text) + "]";
}

std::optional<int> parse_port(std::string_view digits) {
  int port = 0;
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  if (!is_digits(digits)) return std::nullopt;  // from_chars takes "-1"
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port > 65535) return std::nullopt;
  return port;
}

void add_interface_addresses(std::vector<std::string>* out) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return;
  for (const ifaddrs* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr) continue;
    char text[INET6_ADDRSTRLEN];
    if (a->ifa_addr->sa_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
      if (inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text)) out->push_back(text);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(a->ifa_addr);
      if (inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text)) out->push_back("[" + std::string(text) + "]");
    }
  }
  freeifaddrs(list);
}

}  // namespace

std::optional<std::string> normalize_host(std::string_view name) {
  if (!name.empty() && name.front() == '[') return normalize_ipv6(name);
  std::string host(name);
  std::transform(host.begin(), host.end(), host.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  // "iotawatt.lan." is the same (fully qualified) name as "iotawatt.lan".
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty() || host.size() > kMaxNameLength) return std::nullopt;
  if (!std::all_of(host.begin(), host.end(), name_char)) return std::nullopt;
  return host;
}

std::optional<Authority> parse_authority(std::string_view text) {
  size_t host_end = text.size();
  if (!text.empty() && text.front() == '[') {
    host_end = text.find(']');
    if (host_end == std::string_view::npos) return std::nullopt;
    ++host_end;
  } else if (const size_t colon = text.find(':'); colon != std::string_view::npos) {
    host_end = colon;
  }
  Authority out;
  const std::string_view rest = text.substr(host_end);
  if (!rest.empty()) {
    if (rest.front() != ':') return std::nullopt;
    out.port = parse_port(rest.substr(1));  // a second ':' (bare IPv6) is not a digit: refused
    if (!out.port) return std::nullopt;
  }
  auto host = normalize_host(text.substr(0, host_end));
  if (!host) return std::nullopt;
  out.host = std::move(*host);
  return out;
}

std::vector<std::string> local_host_names() {
  std::vector<std::string> names = {"localhost", "127.0.0.1", "[::1]"};
  char buffer[256] = {};
  if (gethostname(buffer, sizeof buffer - 1) == 0) {
    if (auto name = normalize_host(buffer)) {
      const std::string label = name->substr(0, name->find('.'));
      names.insert(names.end(), {*name, label, label + ".local"});
    }
  }
  add_interface_addresses(&names);
  return names;
}

}  // namespace iw::server
