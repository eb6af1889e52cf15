#include "server/auth/digest_nonce.h"

#include <cstdio>

#include "base/strings.h"
#include "server/auth/digest_hash.h"

namespace iw::server {
namespace {

constexpr size_t kIssuedSize = 8;  // hex of a uint32_t
constexpr size_t kSaltSize = 16;   // hex of 8 random bytes
constexpr size_t kMacSize = 32;    // hex of the first 16 bytes of HMAC-SHA256
static_assert(kIssuedSize + kSaltSize + kMacSize == kNonceSize);

}  // namespace

NonceIssuer::NonceIssuer(std::string key) : key_(key.empty() ? random_hex(32) : std::move(key)) {}

std::string NonceIssuer::mac(std::string_view issued_and_salt) const {
  return hmac_sha256_hex(key_, issued_and_salt).substr(0, kMacSize);
}

std::string NonceIssuer::issue(uint32_t issued) const {
  const std::string salt = random_hex(kSaltSize / 2);
  if (!ready() || salt.empty()) return {};
  char time_hex[kIssuedSize + 1];
  std::snprintf(time_hex, sizeof time_hex, "%08x", issued);
  const std::string body = time_hex + salt;
  const std::string tag = mac(body);
  if (tag.size() != kMacSize) return {};
  return body + tag;
}

std::optional<uint32_t> NonceIssuer::open(std::string_view nonce) const {
  if (!ready() || nonce.size() != kNonceSize || !is_lower_hex(nonce)) return std::nullopt;
  const std::string_view body = nonce.substr(0, kIssuedSize + kSaltSize);
  if (!constant_time_equal(mac(body), nonce.substr(kIssuedSize + kSaltSize))) return std::nullopt;
  uint32_t issued = 0;
  for (char c : nonce.substr(0, kIssuedSize)) {
    issued = issued * 16 + static_cast<uint32_t>(hex_value(c));
  }
  return issued;
}

}  // namespace iw::server
