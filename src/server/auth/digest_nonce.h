// Stateless Digest nonces: a challenge stores nothing, so anonymous requests cannot fill a
// table or push anyone's login out of it. A nonce is 56 lowercase hex characters:
//
//   nonce = issued (8 hex) | salt (16 hex) | mac (32 hex)
//   mac   = the first 16 bytes of HMAC-SHA256(key, issued | salt), over the 24 hex characters
//
// `issued` is the issue time in seconds on the issuer's own clock (DigestAuth counts from its
// start), big-endian hex; `salt` is 8 random bytes, so two challenges in the same second get
// different nonces. The key is 32 random bytes made per process: nonces die with the
// process, and only this process can make one that opens. OpenSSL does the HMAC.
// The original sends 32 hex characters; clients (httpx, curl, browsers) take any length.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iw::server {

inline constexpr size_t kNonceSize = 56;

class NonceIssuer {
 public:
  // `key`: the HMAC key; empty means 32 fresh random bytes (tests pass a fixed one).
  explicit NonceIssuer(std::string key = {});

  // A new nonce issued at `issued`; empty when the random generator fails.
  std::string issue(uint32_t issued) const;

  // The issue time of a nonce this issuer made; nullopt for anything else (wrong length,
  // not lowercase hex, a MAC that does not match). Compares the MAC in constant time.
  std::optional<uint32_t> open(std::string_view nonce) const;

  // False when no key could be made (no random numbers): every issue() then fails.
  bool ready() const { return !key_.empty(); }

 private:
  std::string mac(std::string_view issued_and_salt) const;
  std::string key_;
};

}  // namespace iw::server
