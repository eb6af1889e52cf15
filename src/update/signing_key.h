// Ed25519 keys of the update channel (OpenSSL 3 EVP; no cryptography of our own).
//
// A release is published with a private signing key that never leaves the publisher's
// machine (`iotawatt release keygen` writes it as PKCS#8 PEM, mode 0600); devices hold only
// public keys, as 64 lowercase hex digits (the 32 raw bytes of RFC 8032).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace iw::update {

inline constexpr size_t kPublicKeyHexChars = 64;
inline constexpr size_t kSignatureHexChars = 128;

class SigningKey {
 public:
  static Result<SigningKey> Generate();
  // The PEM text written by `pem()`, or any PKCS#8 Ed25519 private key in PEM form.
  static Result<SigningKey> FromPem(std::string_view pem);

  std::string pem() const;                               // PKCS#8 PEM, unencrypted: keep it 0600 and offline
  std::string public_hex() const;                        // 64 lowercase hex digits
  std::string sign_hex(std::string_view message) const;  // 128 lowercase hex digits

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };
  explicit SigningKey(EVP_PKEY* key) : key_(key) {}
  std::unique_ptr<EVP_PKEY, Free> key_;
};

// True when `signature_hex` is a valid Ed25519 signature of `message` by `public_hex`. Malformed
// hex (wrong length, uppercase, other characters) is simply not a valid signature.
bool verify_signature(std::string_view public_hex, std::string_view message, std::string_view signature_hex);

// True when `text` has the shape of a public key (64 lowercase hex digits).
bool is_public_key_hex(std::string_view text);

}  // namespace iw::update
