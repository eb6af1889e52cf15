// Emoncms input API as the original IoTaWatt uses it (firmware reference 7.2, protocols.md 3):
// last point from `GET <url>/input/get?node=<node>`, data to `POST <url>/input/bulk`, plain
// (`Authorization: Bearer <apikey>`) or encrypted (AES-128-CBC + HMAC-SHA256, content type
// `aes128cbc`, `Authorization: <userid>:<hmac>`, answer = base64url(SHA-256(plaintext))).
// The exact bytes are in EMONCMS.md.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/emoncms_config.h"
#include "upload/emoncms_crypto.h"
#include "upload/protocol.h"

namespace iw::upload {

class EmoncmsProtocol final : public Protocol {
 public:
  using IvSource = std::function<emoncms::Block()>;

  // Fails naming the output whose `units` is not a unit name, or a bad API key.
  // `iv_source` gives the IV of each encrypted post (tests pass a fixed one).
  static Result<std::unique_ptr<EmoncmsProtocol>> create(const config::EmoncmsSettings& settings,
                                                         IvSource iv_source = emoncms::random_iv);

  std::optional<HttpRequest> last_point_request() const override;
  Result<std::optional<int64_t>> parse_last_point(const HttpResponse& response) const override;

  // `intervals[i].values` hold one value per configured output, in config order. Encrypted:
  // remembers the answer the server must give (the hash of this plaintext), see below.
  HttpRequest post_request(std::span<const IntervalValues> intervals) const override;
  // Encrypted: REQUIRES `response` answers the most recent post_request() (the engine sends
  // one request at a time per uploader); otherwise the expected hash is that of another post
  // and the answer is not accepted (a retry, never a false success).
  PostVerdict parse_post_response(const HttpResponse& response) const override;

  // The plaintext `time=..&data=[..]` of a post: the body of a plain post, the encrypted
  // message of an encrypted one.
  std::string plaintext(std::span<const IntervalValues> intervals) const;
  // The answer an accepted encrypted post with `plaintext` gets.
  static std::string expected_answer(std::string_view plaintext) { return emoncms::sha256_base64url(plaintext); }

 private:
  EmoncmsProtocol(config::EmoncmsSettings settings, std::vector<int> decimals, emoncms::Block key, IvSource iv);
  PostVerdict parse_plain_answer(const HttpResponse& response) const;
  PostVerdict parse_encrypted_answer(const HttpResponse& response) const;

  config::EmoncmsSettings settings_;
  std::vector<int> decimals_;  // per output: the script precision of its unit
  emoncms::Block key_;
  IvSource iv_source_;
  mutable std::mutex mutex_;
  mutable std::string expected_answer_;  // GUARDED_BY(mutex_): of the last encrypted post
};

}  // namespace iw::upload
