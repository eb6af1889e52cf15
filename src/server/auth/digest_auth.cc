#include "server/auth/digest_auth.h"

#include <algorithm>
#include <optional>

#include "base/strings.h"
#include "server/auth/digest_hash.h"
#include "server/auth/digest_header.h"
#include "server/auth/lan_access.h"
#include "server/request_target.h"

namespace iw::server {
namespace {

std::string quote(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

AuthDecision allow(std::string role) {
  AuthDecision d;
  d.allowed = true;
  d.role = std::move(role);
  return d;
}

AuthDecision refuse(int status, std::string body) {
  AuthDecision d;
  d.status = status;
  d.body = std::move(body);
  d.content_type = "text/plain";
  return d;
}

// The `uri` parameter must name the resource requested: equal to the request-target as sent,
// or equal after percent-decoding both (httpx versions differ in how they encode brackets).
bool uri_matches(const std::string& uri, const std::string& target) {
  return uri == target || percent_decode(uri) == percent_decode(target);
}

const std::string* find(const DigestParams& p, const char* name) {
  const auto it = p.find(name);
  return it == p.end() ? nullptr : &it->second;
}

// What an Authorization header claims; pointers into its parsed parameters.
struct Claim {
  const std::string *user = nullptr, *nonce = nullptr, *uri = nullptr, *response = nullptr;
  const std::string *nc_text = nullptr, *cnonce = nullptr;
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  uint32_t nc = 0;
};

// absent or MD5: MD5; SHA-256: SHA-256; anything else (the -sess variants included, which
// are never offered) is refused.
bool read_algorithm(const DigestParams& p, DigestAlgorithm* algorithm) {
  const std::string* a = find(p, "algorithm");
  if (!a) return true;
  const std::string name = lower(*a);
  if (name == "sha-256") *algorithm = DigestAlgorithm::kSha256;
  return name == "md5" || name == "sha-256";
}

// qop=auth, nc (1-8 hex digits, not 0) and a non-empty cnonce are required: without them
// (RFC 2069) an answer could be replayed for the life of its nonce.
bool read_qop(const DigestParams& p, Claim* claim) {
  const std::string* qop = find(p, "qop");
  claim->nc_text = find(p, "nc");
  claim->cnonce = find(p, "cnonce");
  if (!qop || *qop != "auth" || !claim->nc_text || !claim->cnonce || claim->cnonce->empty()) return false;
  if (claim->nc_text->size() > 8 || !is_hex(*claim->nc_text)) return false;
  claim->nc = static_cast<uint32_t>(std::stoul(*claim->nc_text, nullptr, 16));
  return claim->nc != 0;
}

// True when every required parameter is there, the realm is ours and algorithm and qop are
// supported. Nothing about the password yet.
bool read_claim(const DigestParams& p, const Credentials& creds, Claim* claim) {
  claim->user = find(p, "username");
  claim->nonce = find(p, "nonce");
  claim->uri = find(p, "uri");
  claim->response = find(p, "response");
  const std::string* realm = find(p, "realm");
  if (!claim->user || !realm || !claim->nonce || !claim->uri || !claim->response) return false;
  return *realm == creds.realm && read_algorithm(p, &claim->algorithm) && read_qop(p, claim);
}

// The stored HA1 of `user`'s account for `algorithm`, whatever the level needed; nullptr
// when the account has none.
const std::string* stored_ha1(const Credentials& c, const std::string& user, DigestAlgorithm algorithm) {
  const bool md5 = algorithm == DigestAlgorithm::kMd5;
  const std::string* ha1 = nullptr;
  if (user == "admin") ha1 = md5 ? &c.admin_md5 : &c.admin_sha256;
  if (user == "user") ha1 = md5 ? &c.user_md5 : &c.user_sha256;
  return ha1 != nullptr && !ha1->empty() ? ha1 : nullptr;
}

// Was the response computed with `ha1`, the request's method and the header's `uri`?
bool right_response(const Claim& c, const std::string& ha1, const AuthRequest& req) {
  const std::string given = lower(*c.response);
  auto answers = [&](const std::string& ha2_uri) {
    return constant_time_equal(
        given, digest_response(c.algorithm, {ha1, *c.nonce, *c.nc_text, *c.cnonce, "auth", req.method, ha2_uri}));
  };
  // cpp-httplib before 0.44 percent-decodes request header values, so a client that hashed
  // "%5B" arrives here with "[" in `uri`. The request-target still has the bytes it hashed.
  return answers(*c.uri) || (*c.uri != req.target && uri_matches(*c.uri, req.target) && answers(req.target));
}

bool default_is_lan_client(const std::string& remote_addr) { return in_same_subnet(remote_addr, host_subnets()); }

DigestAuthOptions with_defaults(DigestAuthOptions o) {
  if (!o.clock) o.clock = [] { return std::chrono::steady_clock::now(); };
  if (!o.is_lan_client) o.is_lan_client = default_is_lan_client;
  return o;
}

AuthDecision too_many_failures(std::chrono::seconds wait) {
  AuthDecision d =
      refuse(429, "Too many failed logins from this address: try again in " + std::to_string(wait.count()) + " s.");
  d.headers.emplace_back("Retry-After", std::to_string(wait.count()));
  return d;
}

}  // namespace

DigestAuth::DigestAuth(Credentials credentials, DigestAuthOptions options)
    : options_(with_defaults(std::move(options))),
      start_(options_.clock()),
      nonces_(options_.nonce_key),
      credentials_(std::move(credentials)),
      logged_in_(options_.max_logged_in_nonces),
      backoff_(options_.backoff) {}

void DigestAuth::set_credentials(Credentials credentials) {
  std::lock_guard<std::mutex> lock(mu_);
  credentials_ = std::move(credentials);
}

Credentials DigestAuth::credentials() const {
  std::lock_guard<std::mutex> lock(mu_);
  return credentials_;
}

size_t DigestAuth::logged_in_nonces() const {
  std::lock_guard<std::mutex> lock(mu_);
  return logged_in_.size();
}

size_t DigestAuth::clients_with_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return backoff_.tracked_clients();
}

uint32_t DigestAuth::seconds_since_start(std::chrono::steady_clock::time_point now) const {
  if (now <= start_) return 0;
  return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(now - start_).count());
}

AuthDecision DigestAuth::check(const AuthRequest& request, Access needed) {
  if (needed == Access::kNone) return allow("");
  const Credentials creds = credentials();
  if (!creds.has_admin()) return allow("admin");
  if (creds.local_access && options_.is_lan_client(request.remote_addr)) return allow("admin");
  const std::string client = client_identity(request.remote_addr);
  const auto now = options_.clock();
  if (const std::chrono::seconds wait = backoff_wait(client, now); wait.count() > 0) return too_many_failures(wait);
  const uint32_t now_s = seconds_since_start(now);
  if (request.authorization.empty()) return challenge(creds, false, now_s);

  const Login login = log_in(request, creds, needed, now_s);
  update_backoff(client, login.outcome, now);
  switch (login.outcome) {
    case Outcome::kLoggedIn:
      return allow(login.role);
    case Outcome::kOtherResource:
      return refuse(400, "Digest uri does not match the request.");
    case Outcome::kStale:
      return challenge(creds, true, now_s);
    case Outcome::kBelowLevel:
      // Logged in, but as "user": a new challenge would only make a browser ask for a login
      // again and again. 403 says the login is known and not enough.
      return refuse(403, "Forbidden: this needs the admin login; the user login may only look.");
    case Outcome::kFailed:
      break;
  }
  return challenge(creds, false, now_s);
}

// The checks in an order that leaks nothing: the nonce must be ours and the response right
// before anything else (level, resource, expiry, replay) is told apart.
DigestAuth::Login DigestAuth::log_in(const AuthRequest& req, const Credentials& creds, Access needed, uint32_t now) {
  const Result<DigestParams> params = parse_digest_authorization(req.authorization);
  Claim claim;
  if (!params.ok() || !read_claim(params.value(), creds, &claim)) return {Outcome::kFailed, ""};
  const std::optional<uint32_t> issued = nonces_.open(*claim.nonce);
  if (!issued) return {Outcome::kFailed, ""};
  const std::string* ha1 = stored_ha1(creds, *claim.user, claim.algorithm);
  if (!ha1 || !right_response(claim, *ha1, req)) return {Outcome::kFailed, ""};
  // Checked after the response, so that a wrong password never learns about the uri rule.
  if (!uri_matches(*claim.uri, req.target)) return {Outcome::kOtherResource, ""};
  if (needed == Access::kAdmin && *claim.user != "admin") return {Outcome::kBelowLevel, ""};
  const uint32_t age = now >= *issued ? now - *issued : 0;
  if (age > static_cast<uint32_t>(options_.nonce_lifetime.count())) return {Outcome::kStale, ""};
  if (!nc_accepted(*claim.nonce, *issued, claim.nc, now)) return {Outcome::kStale, ""};
  return {Outcome::kLoggedIn, *claim.user};
}

bool DigestAuth::nc_accepted(const std::string& nonce, uint32_t issued, uint32_t nc, uint32_t now) {
  const auto lifetime = static_cast<uint32_t>(options_.nonce_lifetime.count());
  const uint32_t oldest_valid = now > lifetime ? now - lifetime : 0;
  std::lock_guard<std::mutex> lock(mu_);
  return logged_in_.use(nonce, issued, nc, oldest_valid) == LoggedInNonces::Use::kAccepted;
}

void DigestAuth::update_backoff(const std::string& client, Outcome outcome, std::chrono::steady_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome == Outcome::kFailed) backoff_.failed(client, now);
  if (outcome == Outcome::kLoggedIn) backoff_.succeeded(client);
}

std::chrono::seconds DigestAuth::backoff_wait(const std::string& client,
                                              std::chrono::steady_clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  return backoff_.wait(client, now);
}

AuthDecision DigestAuth::challenge(const Credentials& creds, bool stale, uint32_t now) const {
  const std::string nonce = nonces_.issue(now);
  if (nonce.empty()) return refuse(500, "No random numbers for a login nonce.");
  AuthDecision d;
  d.status = 401;
  d.body = "IoTaWatt-Login";
  d.content_type = "text/html";
  const std::string common = "Digest realm=" + quote(creds.realm) + ",qop=\"auth\",nonce=\"" + nonce + "\"";
  const std::string tail = stale ? ",stale=true" : "";
  d.headers.emplace_back("WWW-Authenticate", common + tail);
  if (options_.offer_sha256 && !creds.admin_sha256.empty()) {
    d.headers.emplace_back("WWW-Authenticate", common + ",algorithm=SHA-256" + tail);
  }
  return d;
}

}  // namespace iw::server
