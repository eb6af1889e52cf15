#include "upload/webhook_request.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "query/event_json.h"

namespace iw::upload {

std::string webhook_body(std::string_view device, std::span<const measure::StepEvent> events,
                         const std::vector<std::string>& names, bool test) {
  static const std::string kNoName;
  nlohmann::json list = nlohmann::json::array();
  for (const measure::StepEvent& e : events)
    list.push_back(query::event_json(e, e.channel < names.size() ? names[e.channel] : kNoName));
  nlohmann::json body = {{"device", device}, {"events", std::move(list)}};
  if (test) body["test"] = true;
  // Names come from the user's config; bytes that are not UTF-8 are replaced, never thrown on.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string webhook_signature(std::string_view body, std::string_view secret) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // Fails only when OpenSSL cannot allocate: the daemon cannot go on sensibly either.
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len) == nullptr) {
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  }
  return "sha256=" + hex_encode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

HttpRequest webhook_request(const std::string& url, std::string body, std::string_view secret) {
  HttpRequest r;
  r.method = "POST";
  r.url = url;
  r.headers.emplace_back("Content-Type", "application/json");
  if (!secret.empty()) r.headers.emplace_back(std::string(kWebhookSignatureHeader), webhook_signature(body, secret));
  r.body = std::move(body);
  return r;
}

}  // namespace iw::upload
