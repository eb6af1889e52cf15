#include "server/auth/digest_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

#include "base/strings.h"

namespace iw::server {
namespace {

std::string to_hex(const unsigned char* data, size_t size) {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(data), size));
}

}  // namespace

std::string hex_hash(DigestAlgorithm algorithm, std::string_view data) {
  const EVP_MD* md = algorithm == DigestAlgorithm::kMd5 ? EVP_md5() : EVP_sha256();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, md, nullptr) != 1) return {};
  return to_hex(out, size);
}

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view user, std::string_view realm,
                       std::string_view password) {
  std::string a1;
  a1.append(user).append(":").append(realm).append(":").append(password);
  return hex_hash(algorithm, a1);
}

std::string digest_response(DigestAlgorithm algorithm, const DigestInputs& in) {
  std::string a2;
  a2.append(in.method).append(":").append(in.uri);
  const std::string ha2 = hex_hash(algorithm, a2);
  std::string kd;
  kd.append(in.ha1).append(":").append(in.nonce).append(":");
  if (!in.qop.empty()) {
    kd.append(in.nc).append(":").append(in.cnonce).append(":").append(in.qop).append(":");
  }
  kd.append(ha2);
  return hex_hash(algorithm, kd);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out, &size) == nullptr) {
    return {};
  }
  return to_hex(out, size);
}

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) return {};
  return to_hex(buffer.data(), bytes);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace iw::server
