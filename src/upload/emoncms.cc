#include "upload/emoncms.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "base/base64.h"
#include "base/json_read.h"
#include "query/units.h"
#include "upload/url.h"

namespace iw::upload {
namespace {

using nlohmann::json;

// The first 80 characters of an answer, control characters shown as '?', for messages.
std::string excerpt(std::string_view body) {
  std::string out(body.substr(0, 80));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return body.size() > 80 ? out + "..." : out;
}

// `{"success": false, "message": "..."}`: the message, else nullopt.
std::optional<std::string> api_failure(std::string_view body) {
  const json doc = read_json(body).value;
  if (!doc.is_object() || !doc.contains("success") || doc["success"] != false) return std::nullopt;
  const auto it = doc.find("message");
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string("no message");
}

// Verdict of an answer that is not a 200: 401 is a refused key, other 4xx refuse the request
// itself; 408, 413 (the engine sends less), 429, 5xx and anything else (no answer: status 0)
// are worth another try.
PostVerdict non_200_verdict(const HttpResponse& r) {
  const std::string what = fmt::format("Emoncms answered HTTP {}: {}", r.status, excerpt(r.body));
  if (r.status == 401) return {PostOutcome::kRejected, what + " (the API key is not the account's write key)"};
  const bool transient = r.status == 408 || r.status == 413 || r.status == 429;
  if (r.status >= 400 && r.status < 500 && !transient) return {PostOutcome::kRejected, what};
  return {PostOutcome::kRetry, what};
}

// Emoncms' plain-text refusals of an encrypted post (HTTP 200), with what each means here.
std::optional<std::string> encryption_refusal(std::string_view body) {
  static constexpr std::pair<std::string_view, std::string_view> kRefusals[] = {
      {"missing authorization header", "the Authorization header did not arrive"},
      {"authorization header format should be userid:hmac", "the Authorization header was not userid:hmac"},
      {"User not found", "no Emoncms user has this userid"},
      {"no content in post body", "the body did not arrive"},
      {"invalid data", "the HMAC does not match: the apikey is not this user's write key"},
  };
  for (const auto& [text, meaning] : kRefusals) {
    if (body.starts_with(text)) return fmt::format("Emoncms refused the encrypted post: \"{}\" ({})", text, meaning);
  }
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<EmoncmsProtocol>> EmoncmsProtocol::create(const config::EmoncmsSettings& settings,
                                                                 IvSource iv_source) {
  auto key = emoncms::decode_write_key(settings.apikey);
  if (!key.ok()) return Status::InvalidArgument("emoncms.apikey: " + key.error());
  std::vector<int> decimals;
  for (size_t i = 0; i < settings.outputs.size(); ++i) {
    const auto unit = query::parse_unit_name(settings.outputs[i].output.units);
    if (!unit) {
      return Status::InvalidArgument(
          fmt::format("emoncms.outputs[{}].units: \"{}\" is not a unit (Watts, Volts, Amps, VA, VAh, "
                      "Hz, Wh, kWh, PF, VAR, VARh)",
                      i, settings.outputs[i].output.units));
    }
    decimals.push_back(query::script_precision(*unit));
  }
  if (!iv_source) iv_source = emoncms::random_iv;
  return std::unique_ptr<EmoncmsProtocol>(
      new EmoncmsProtocol(settings, std::move(decimals), key.value(), std::move(iv_source)));
}

EmoncmsProtocol::EmoncmsProtocol(config::EmoncmsSettings settings, std::vector<int> decimals, emoncms::Block key,
                                 IvSource iv)
    : settings_(std::move(settings)), decimals_(std::move(decimals)), key_(key), iv_source_(std::move(iv)) {}

std::optional<HttpRequest> EmoncmsProtocol::last_point_request() const {
  HttpRequest r;
  r.method = "GET";
  r.url = fmt::format("{}/input/get?node={}", settings_.url, url_encode(settings_.node));
  // Always Bearer, in encrypted mode too: Emoncms decrypts only input/post and input/bulk.
  r.headers = {{"Authorization", "Bearer " + settings_.apikey}};
  return r;
}

Result<std::optional<int64_t>> EmoncmsProtocol::parse_last_point(const HttpResponse& response) const {
  if (response.status == 401) {
    return Status::Unavailable(
        fmt::format("Emoncms refused the API key for input/get (HTTP 401: {})", excerpt(response.body)));
  }
  if (response.status != 200) {
    return Status::Unavailable(
        fmt::format("Emoncms answered HTTP {} to input/get: {}", response.status, excerpt(response.body)));
  }
  const json doc = read_json(response.body).value;
  if (doc.is_string() && doc.get<std::string>() == "Node does not exist") return std::optional<int64_t>();
  if (auto failure = api_failure(response.body)) return Status::Unavailable("Emoncms refused input/get: " + *failure);
  if (!doc.is_object()) {
    return Status::Unavailable(
        fmt::format("the answer to input/get is not a JSON object of inputs: {}", excerpt(response.body)));
  }
  std::optional<int64_t> newest;
  for (const auto& [name, input] : doc.items()) {
    if (!input.is_object()) {
      return Status::Unavailable(
          fmt::format("input/get: input \"{}\" is not an object: {}", name, excerpt(response.body)));
    }
    const auto t = input.find("time");
    if (t == input.end() || t->is_null()) continue;  // never updated
    const double v = t->is_number() ? t->get<double>() : -1;
    if (!(v >= 0 && v < 1e11) || v != std::floor(v)) {
      return Status::Unavailable(fmt::format("input/get: input \"{}\" has time {}, not UNIX seconds", name, t->dump()));
    }
    newest = std::max(newest.value_or(0), static_cast<int64_t>(v));
  }
  return newest;
}

std::string EmoncmsProtocol::plaintext(std::span<const IntervalValues> intervals) const {
  // time= is the start of the interval before the first one, as the original's lastSent, so
  // the offsets are interval, 2*interval...; Emoncms stores each row at time + offset = begin.
  const int64_t time =
      intervals.empty() ? 0 : intervals.front().begin - (intervals.front().end - intervals.front().begin);
  const int max_key = settings_.outputs.empty() ? 0 : settings_.outputs.back().input_key;
  std::string out = fmt::format("time={}&data=[", time);
  for (size_t i = 0; i < intervals.size(); ++i) {
    const IntervalValues& iv = intervals[i];
    out += fmt::format("{}[{},\"{}\"", i == 0 ? "" : ",", iv.begin - time, settings_.node);
    std::vector<std::string> slots(static_cast<size_t>(max_key), "null");  // key k at position k
    for (size_t k = 0; k < settings_.outputs.size() && k < iv.values.size(); ++k) {
      const std::optional<double>& v = iv.values[k];
      if (v && std::isfinite(*v))
        slots[static_cast<size_t>(settings_.outputs[k].input_key - 1)] = query::format_value(*v, decimals_[k]);
    }
    for (const std::string& s : slots) out += "," + s;
    out += ']';
  }
  return out + "]";
}

HttpRequest EmoncmsProtocol::post_request(std::span<const IntervalValues> intervals) const {
  HttpRequest r;
  r.url = settings_.url + "/input/bulk";
  const std::string text = plaintext(intervals);
  if (!settings_.encrypted()) {
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Authorization", "Bearer " + settings_.apikey}};
    r.body = text;  // not URL-encoded, as the original sends it
    return r;
  }
  const emoncms::Block iv = iv_source_();
  const std::string iv_bytes(reinterpret_cast<const char*>(iv.data()), iv.size());
  r.headers = {{"Content-Type", "aes128cbc"},
               {"Authorization", settings_.userid + ":" + emoncms::hmac_sha256_hex(key_, text)}};
  r.body = base64url_encode(iv_bytes + emoncms::aes128_cbc_encrypt(key_, iv, text));
  std::lock_guard lock(mutex_);
  expected_answer_ = expected_answer(text);
  return r;
}

PostVerdict EmoncmsProtocol::parse_post_response(const HttpResponse& response) const {
  if (response.status != 200) return non_200_verdict(response);
  return settings_.encrypted() ? parse_encrypted_answer(response) : parse_plain_answer(response);
}

PostVerdict EmoncmsProtocol::parse_plain_answer(const HttpResponse& response) const {
  if (response.body.starts_with("ok")) return {PostOutcome::kAccepted, ""};
  if (auto failure = api_failure(response.body)) {
    return {PostOutcome::kRejected, "Emoncms refused the data: " + *failure};
  }
  if (response.body.empty()) {
    return {PostOutcome::kRetry, "Emoncms answered an empty body (it does so when no API key arrived)"};
  }
  return {PostOutcome::kRetry, "Invalid response: " + excerpt(response.body)};
}

PostVerdict EmoncmsProtocol::parse_encrypted_answer(const HttpResponse& response) const {
  std::string expected;
  {
    std::lock_guard lock(mutex_);
    expected = expected_answer_;
  }
  if (!expected.empty() && response.body.starts_with(expected)) return {PostOutcome::kAccepted, ""};
  if (auto refusal = encryption_refusal(response.body)) return {PostOutcome::kRejected, *refusal};
  if (auto failure = api_failure(response.body))
    return {PostOutcome::kRejected, "Emoncms refused the data: " + *failure};
  return {PostOutcome::kRetry, fmt::format("Invalid response (not the hash of the post, {}): {}",
                                           expected.empty() ? "none sent" : expected, excerpt(response.body))};
}

}  // namespace iw::upload
