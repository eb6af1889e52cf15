#include "upload/emoncms_crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "base/base64.h"
#include "base/strings.h"

namespace iw::upload::emoncms {
namespace {

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Result<Block> decode_write_key(std::string_view hex) {
  if (hex.size() != 32) return Status::InvalidArgument("the Emoncms API key is not 32 hex digits");
  Block key{};
  for (size_t i = 0; i < key.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return Status::InvalidArgument("the Emoncms API key holds a character that is not a hex digit");
    key[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return key;
}

std::string aes128_cbc_encrypt(const Block& key, const Block& iv, std::string_view plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + 16, '\0');
  int n1 = 0;
  int n2 = 0;
  // EVP pads with PKCS#7 by default. These calls fail only on allocation failure.
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n1, bytes_of(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n1, &n2) != 1) {
    throw std::runtime_error("OpenSSL AES-128-CBC encryption failed");
  }
  out.resize(static_cast<size_t>(n1 + n2));
  return out;
}

std::string hmac_sha256_hex(const Block& key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes_of(message), message.size(), mac, &len) ==
      nullptr) {
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  }
  return hex_encode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string sha256_base64url(std::string_view plaintext) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(bytes_of(plaintext), plaintext.size(), digest);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Block random_iv() {
  Block iv{};
  if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
  return iv;
}

}  // namespace iw::upload::emoncms
