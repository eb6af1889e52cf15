// The hashes of HTTP Digest authentication (RFC 7616), as lowercase hex strings.
// Pure functions over OpenSSL's EVP API; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace iw::server {

enum class DigestAlgorithm { kMd5, kSha256 };

// Lowercase hex digest of `data`.
std::string hex_hash(DigestAlgorithm algorithm, std::string_view data);

// HA1 = H(user:realm:password): what the password store keeps instead of the password.
std::string digest_ha1(DigestAlgorithm algorithm, std::string_view user, std::string_view realm,
                       std::string_view password);

// The `response` a client must send. `qop` empty means RFC 2069 (no nc and cnonce):
// H(HA1:nonce:HA2); otherwise H(HA1:nonce:nc:cnonce:qop:HA2), with HA2 = H(method:uri).
struct DigestInputs {
  std::string_view ha1, nonce, nc, cnonce, qop, method, uri;
};
std::string digest_response(DigestAlgorithm algorithm, const DigestInputs& in);

// Lowercase hex of HMAC-SHA256(key, data) (32 bytes, 64 characters); empty if OpenSSL fails.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// `bytes` fresh random bytes from the OS generator, as lowercase hex (2 x bytes characters).
// Returns an empty string only if the generator fails.
std::string random_hex(size_t bytes);

// Compares in time independent of where the strings differ (lengths are not secret).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace iw::server
