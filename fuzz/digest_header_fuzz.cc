// libFuzzer target: arbitrary bytes as the value of an `Authorization` header.
// parse_digest_authorization must never crash, hang or trip a sanitizer; what it accepts must
// round-trip (written back as `Digest name="value", ...` it parses to the same parameters), and
// nothing longer than its caps is accepted. The same bytes then go through DigestAuth::check,
// which must answer a plain challenge (401), 400 or, never, a login: the fuzzer cannot know
// the HMAC key of the nonces.
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/auth/credentials.h"
#include "server/auth/digest_auth.h"
#include "server/auth/digest_header.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "digest_header_fuzz: %s\n%.*s\n", what, static_cast<int>(std::min<size_t>(detail.size(), 2000)),
               detail.data());
  std::abort();
}

std::string quoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

void check_parser(std::string_view header) {
  const auto params = iw::server::parse_digest_authorization(header);
  if (!params.ok()) return;
  if (params->empty()) fail("accepted without parameters", header);
  if (header.size() > iw::server::kMaxAuthorizationSize) fail("accepted beyond the cap", header);
  std::string again = "Digest ";
  for (const auto& [name, value] : params.value()) {
    if (name.empty()) fail("an empty parameter name", header);
    again += name + "=" + quoted(value) + ", ";
  }
  const auto reparsed = iw::server::parse_digest_authorization(again);
  // Quoting adds bytes, so only a header well within the caps must survive the trip.
  if (again.size() <= iw::server::kMaxDigestParamsSize && (!reparsed.ok() || reparsed.value() != params.value())) {
    fail("accepted parameters do not round-trip", header);
  }
}

iw::server::DigestAuth& auth() {
  static iw::server::DigestAuth* instance = [] {
    iw::server::DigestAuthOptions o;
    o.clock = [] { return std::chrono::steady_clock::time_point{} + std::chrono::hours(1); };
    o.is_lan_client = [](const std::string&) { return false; };
    o.backoff.free_failures = INT_MAX;  // every input is looked at
    o.nonce_key = "digest_header_fuzz";
    return new iw::server::DigestAuth(iw::server::make_credentials("IotaWatt", "admin-pass", "user-pass", false), o);
  }();
  return *instance;
}

void check_auth(std::string_view header) {
  const iw::server::AuthDecision d =
      auth().check({"GET", "/status?wifi=yes", std::string(header), "192.0.2.1"}, iw::server::Access::kUser);
  if (d.allowed) fail("logged in without the password", header);
  if (d.status != 401 && d.status != 400) fail("an answer other than 401 or 400", header);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  check_parser(header);
  check_auth(header);
  return 0;
}
