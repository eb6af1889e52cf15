#include "server/digest_auth.h"

#include <algorithm>
#include <cctype>

#include "server/digest_hash.h"
#include "server/digest_header.h"
#include "server/lan_access.h"

namespace iw::server {
namespace {

constexpr size_t kNcWindow = 4;  // the original keeps the last 4 nc values per session

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The `uri` parameter must name the resource requested: equal to the request-target as sent,
// or equal after percent-decoding both (httpx versions differ in how they encode brackets).
bool uri_matches(const std::string& uri, const std::string& target) {
  return uri == target || percent_decode(uri) == percent_decode(target);
}

// What a verified Authorization header claims, before its nonce is looked up.
struct Claim {
  std::string nonce;
  bool has_nc = false;
  uint32_t nc = 0;
};

enum class Verdict { kValid, kChallenge, kBadUri };

const std::string* find(const DigestParams& p, const char* name) {
  const auto it = p.find(name);
  return it == p.end() ? nullptr : &it->second;
}

// absent or MD5: MD5; SHA-256: SHA-256; anything else (the -sess variants included, which
// are never offered) is refused.
bool read_algorithm(const DigestParams& p, DigestAlgorithm* algorithm) {
  const std::string* a = find(p, "algorithm");
  if (!a) return true;
  const std::string name = lower(*a);
  if (name == "sha-256") *algorithm = DigestAlgorithm::kSha256;
  return name == "md5" || name == "sha-256";
}

// qop absent: RFC 2069, nc and cnonce ignored. qop=auth: nc (1-8 hex digits, not 0) and a
// non-empty cnonce are required.
bool read_qop(const DigestParams& p, Claim* claim) {
  const std::string* qop = find(p, "qop");
  if (!qop) return true;
  const std::string* nc = find(p, "nc");
  const std::string* cnonce = find(p, "cnonce");
  if (*qop != "auth" || !nc || !cnonce || cnonce->empty()) return false;
  if (nc->size() > 8 || !is_hex(*nc)) return false;
  claim->has_nc = true;
  claim->nc = static_cast<uint32_t>(std::stoul(*nc, nullptr, 16));
  return claim->nc != 0;
}

// Which stored HA1 answers for `user` at `needed` with `algorithm`; nullptr when none may.
const std::string* stored_ha1(const Credentials& c, const std::string& user, Access needed,
                              DigestAlgorithm algorithm) {
  const bool md5 = algorithm == DigestAlgorithm::kMd5;
  const std::string* ha1 = nullptr;
  if (user == "admin") ha1 = md5 ? &c.admin_md5 : &c.admin_sha256;
  if (user == "user" && needed == Access::kUser) ha1 = md5 ? &c.user_md5 : &c.user_sha256;
  return ha1 != nullptr && !ha1->empty() ? ha1 : nullptr;
}

// Checks everything but the session. `role` is set when the verdict is kValid.
Verdict verify(const DigestParams& p, const AuthRequest& req, const Credentials& creds, Access needed,
               Claim* claim, std::string* role) {
  const std::string* user = find(p, "username");
  const std::string* realm = find(p, "realm");
  const std::string* nonce = find(p, "nonce");
  const std::string* uri = find(p, "uri");
  const std::string* response = find(p, "response");
  if (!user || !realm || !nonce || !uri || !response) return Verdict::kChallenge;
  if (*realm != creds.realm || nonce->size() != 32 || !is_hex(*nonce)) return Verdict::kChallenge;

  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  if (!read_algorithm(p, &algorithm) || !read_qop(p, claim)) return Verdict::kChallenge;
  const std::string* qop = find(p, "qop");
  const std::string* nc = find(p, "nc");
  const std::string* cnonce = find(p, "cnonce");
  const std::string* ha1 = stored_ha1(creds, *user, needed, algorithm);
  if (!ha1) return Verdict::kChallenge;

  const std::string given = lower(*response);
  auto answers = [&](const std::string& ha2_uri) {
    return constant_time_equal(
        given, digest_response(algorithm, {*ha1, *nonce, qop ? *nc : "", qop ? *cnonce : "", qop ? *qop : "",
                                           req.method, ha2_uri}));
  };
  const bool same_resource = uri_matches(*uri, req.target);
  // cpp-httplib before 0.44 percent-decodes request header values, so a client that hashed
  // "%5B" arrives here with "[" in `uri`. The request-target still has the bytes it hashed.
  const bool valid = answers(*uri) || (same_resource && *uri != req.target && answers(req.target));
  if (!valid) return Verdict::kChallenge;
  // Checked after the response so that a wrong password never learns about the uri rule.
  if (!same_resource) return Verdict::kBadUri;
  claim->nonce = lower(*nonce);
  *role = *user;
  return Verdict::kValid;
}

bool default_is_lan_client(const std::string& remote_addr) {
  return in_same_subnet(remote_addr, host_subnets());
}

DigestAuthOptions with_defaults(DigestAuthOptions o) {
  if (!o.clock) o.clock = [] { return std::chrono::steady_clock::now(); };
  if (!o.is_lan_client) o.is_lan_client = default_is_lan_client;
  if (o.max_sessions == 0) o.max_sessions = 1;
  return o;
}

}  // namespace

std::string percent_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

DigestAuth::DigestAuth(Credentials credentials, DigestAuthOptions options)
    : options_(with_defaults(std::move(options))), credentials_(std::move(credentials)) {}

void DigestAuth::set_credentials(Credentials credentials) {
  std::lock_guard<std::mutex> lock(mu_);
  credentials_ = std::move(credentials);
}

Credentials DigestAuth::credentials() const {
  std::lock_guard<std::mutex> lock(mu_);
  return credentials_;
}

size_t DigestAuth::session_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

AuthDecision DigestAuth::check(const AuthRequest& request, Access needed) {
  if (needed == Access::kNone) return allow("");
  const Credentials creds = credentials();
  if (!creds.has_admin()) return allow("admin");
  if (creds.local_access && options_.is_lan_client(request.remote_addr)) return allow("admin");
  if (request.authorization.empty()) return challenge(creds, false);

  const Result<DigestParams> params = parse_digest_authorization(request.authorization);
  if (!params.ok()) return challenge(creds, false);
  Claim claim;
  std::string role;
  switch (verify(params.value(), request, creds, needed, &claim, &role)) {
    case Verdict::kChallenge:
      return challenge(creds, false);
    case Verdict::kBadUri:
      return refuse(400, "Digest uri does not match the request.");
    case Verdict::kValid:
      break;
  }
  // The password is right; an unknown (expired, evicted) nonce or a replayed nc only needs a
  // fresh nonce, which stale=true tells the client to fetch without asking the user again.
  if (use_nonce(claim.nonce, claim.has_nc, claim.nc) != NonceCheck::kAccepted) {
    return challenge(creds, true);
  }
  return allow(role);
}

DigestAuth::NonceCheck DigestAuth::use_nonce(const std::string& nonce, bool has_nc, uint32_t nc) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = options_.clock();
  purge_idle_locked(now);
  const auto it = sessions_.find(nonce);
  if (it == sessions_.end()) return NonceCheck::kUnknown;
  Session& s = it->second;
  // RFC 2069 clients send no nc: nothing to compare, the session's idle timeout bounds reuse.
  if (has_nc) {
    std::vector<uint32_t>& recent = s.recent_nc;
    if (std::find(recent.begin(), recent.end(), nc) != recent.end()) return NonceCheck::kReplay;
    // Out-of-order window: newer than the oldest of the last 4 accepted values.
    if (recent.size() == kNcWindow && nc <= *std::min_element(recent.begin(), recent.end())) {
      return NonceCheck::kReplay;
    }
    recent.push_back(nc);
    if (recent.size() > kNcWindow) {
      recent.erase(std::min_element(recent.begin(), recent.end()));
    }
  }
  s.last_used = now;
  s.touch = ++touches_;
  return NonceCheck::kAccepted;
}

void DigestAuth::purge_idle_locked(std::chrono::steady_clock::time_point now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = now - it->second.last_used > options_.idle_timeout ? sessions_.erase(it) : std::next(it);
  }
}

AuthDecision DigestAuth::challenge(const Credentials& creds, bool stale) {
  const std::string nonce = random_hex(16);
  if (nonce.empty()) return refuse(500, "No random numbers for a login nonce.");
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = options_.clock();
    purge_idle_locked(now);
    if (sessions_.size() >= options_.max_sessions) {
      const auto least_recent =
          std::min_element(sessions_.begin(), sessions_.end(),
                           [](const auto& a, const auto& b) { return a.second.touch < b.second.touch; });
      sessions_.erase(least_recent);
    }
    sessions_[nonce] = Session{now, ++touches_, {}};
  }
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
