#include "server/config_endpoint.h"

#include <openssl/evp.h>

#include <array>

namespace iw::server {
namespace {

constexpr const char* kHashHeader = "X-configSHA256";

std::string base64url(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  for (size_t i = 0; i < size; i += 3) {
    const uint32_t n = (uint32_t{data[i]} << 16) | (i + 1 < size ? uint32_t{data[i + 1]} << 8 : 0) |
                       (i + 2 < size ? uint32_t{data[i + 2]} : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[n & 63] : '=';
  }
  return out;
}

}  // namespace

std::string config_sha256(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return base64url(digest.data(), size);
}

HttpResponse ConfigEndpoint::get(const HttpRequest&) const {
  std::string text = access_.text();
  HttpResponse r = HttpResponse::json(text);
  r.headers.emplace_back(kHashHeader, config_sha256(text));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse ConfigEndpoint::post(const HttpRequest& request) {
  std::lock_guard lock(write_mu_);
  const std::string expected = request.header(kHashHeader);
  if (!expected.empty() && expected != config_sha256(access_.text())) {
    return HttpResponse::text(409, "Config not current");
  }
  if (request.body.empty()) {
    return HttpResponse::text(400, "the request body must be the whole new config (JSON)");
  }
  if (Status st = access_.replace(request.body); !st) {
    return HttpResponse::text(400, "config not applied; the running config is unchanged:\n" + st.message());
  }
  HttpResponse r = HttpResponse::text(200, "");
  r.headers.emplace_back(kHashHeader, config_sha256(access_.text()));
  return r;
}

}  // namespace iw::server
