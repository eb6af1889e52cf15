// The webhook's request (WEBHOOK.md): a batch of step events as one JSON POST, signed with
// HMAC-SHA256 when the user set a secret. Pure: builds bytes, never touches a socket, so the
// body and its signature are tested on their own.
//
//   POST <url>
//   Content-Type: application/json
//   X-IoTaWatt-Signature: sha256=<64 lowercase hex digits>     (only with a secret)
//
//   {"device":"<device name>","events":[<query/event_json.h>...]}
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "measure/step_event.h"
#include "upload/protocol.h"

namespace iw::upload {

inline constexpr std::string_view kWebhookSignatureHeader = "X-IoTaWatt-Signature";

// The body for `events` (append order). `names[channel]` is the input's name; a channel
// beyond `names` reads "". With `test`, the body carries "test": true, so a receiver can tell
// a made-up event from a real one.
std::string webhook_body(std::string_view device, std::span<const measure::StepEvent> events,
                         const std::vector<std::string>& names, bool test = false);

// "sha256=" and the lowercase hex HMAC-SHA256 of `body` keyed with `secret`: what
//   printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret"
// prints after "= ".
std::string webhook_signature(std::string_view body, std::string_view secret);

// The POST of `body` to `url`, signed when `secret` is not empty.
HttpRequest webhook_request(const std::string& url, std::string body, std::string_view secret);

}  // namespace iw::upload
