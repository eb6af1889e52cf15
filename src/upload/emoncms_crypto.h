// The cryptography of Emoncms' encrypted input transport (reference protocols.md 3.3), on
// OpenSSL 3 (EVP): AES-128-CBC with PKCS#7 padding, HMAC-SHA256, SHA-256, and the URL-safe
// base64 with '=' padding that the firmware and Emoncms use. Pure functions of their inputs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace iw::upload::emoncms {

using Block = std::array<uint8_t, 16>;  // an AES-128 key or IV

// The 16 key bytes of a 32 hex digit write API key, upper or lower case.
Result<Block> decode_write_key(std::string_view hex);

// AES-128-CBC of `plaintext` under `key` and `iv`, PKCS#7 padded (1..16 pad bytes, a whole
// extra block when the length is a multiple of 16). Returns the ciphertext only.
std::string aes128_cbc_encrypt(const Block& key, const Block& iv, std::string_view plaintext);

// Lower-case hex of HMAC-SHA256(key, message): the `Authorization: <userid>:<hmac>` part.
std::string hmac_sha256_hex(const Block& key, std::string_view message);

// What Emoncms answers to an accepted encrypted post: base64url(SHA-256(plaintext)), 44 chars.
std::string sha256_base64url(std::string_view plaintext);

// 16 bytes from OpenSSL's CSPRNG, for the IV.
Block random_iv();

}  // namespace iw::upload::emoncms
