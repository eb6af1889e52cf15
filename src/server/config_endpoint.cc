#include "server/config_endpoint.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "base/base64.h"

namespace iw::server {
namespace {

constexpr const char* kHashHeader = "X-configSHA256";
constexpr const char* kConfirmHeader = "X-Config-Confirm";

// The `confirm` arguments ("inputs,source", or repeated); an error names a word it does not know.
Result<ConfigConfirmations> confirmations(const HttpRequest& request) {
  ConfigConfirmations c;
  for (const auto& [name, value] : request.params) {
    if (name != "confirm") continue;
    size_t start = 0;
    while (start <= value.size()) {
      const size_t comma = std::min(value.find(',', start), value.size());
      const std::string word = value.substr(start, comma - start);
      if (word == "inputs") {
        c.inputs = true;
      } else if (word == "source") {
        c.source = true;
      } else if (!word.empty()) {
        return Status::InvalidArgument("confirm: \"" + word.substr(0, 40) + "\" is not inputs or source");
      }
      start = comma + 1;
    }
  }
  return c;
}

}  // namespace

std::string config_sha256(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
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
  const Result<ConfigConfirmations> confirmed = confirmations(request);
  if (!confirmed) return HttpResponse::text(400, confirmed.error());
  const ConfigWriteResult written = access_.replace(request.body, confirmed.value());
  if (!written.confirm.empty()) {
    HttpResponse r =
        HttpResponse::text(409, "config not applied; the running config is unchanged:\n" + written.status.message());
    r.headers.emplace_back(kConfirmHeader, written.confirm);
    return r;
  }
  if (!written.status) {
    return HttpResponse::text(400, "config not applied; the running config is unchanged:\n" + written.status.message());
  }
  HttpResponse r = HttpResponse::text(200, "");
  r.headers.emplace_back(kHashHeader, config_sha256(access_.text()));
  return r;
}

}  // namespace iw::server
