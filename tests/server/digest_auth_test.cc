#include "server/auth/digest_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/strings.h"
#include "server/auth/digest_hash.h"

namespace iw::server {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr const char* kRealm = "IotaWatt";
constexpr const char* kAdminPw = "secret12";
constexpr const char* kUserPw = "viewer12";

struct Fixture {
  steady_clock::time_point now = steady_clock::time_point{} + std::chrono::hours(1);
  bool lan = false;
  std::string from = "192.0.2.7";  // the client's address
  std::unique_ptr<DigestAuth> auth;

  explicit Fixture(Credentials creds = make_credentials(kRealm, kAdminPw, kUserPw, false), size_t max_logged_in = 1024,
                   bool offer_sha256 = true) {
    DigestAuthOptions o;
    o.max_logged_in_nonces = max_logged_in;
    o.offer_sha256 = offer_sha256;
    o.clock = [this] { return now; };
    o.is_lan_client = [this](const std::string&) { return lan; };
    auth = std::make_unique<DigestAuth>(std::move(creds), std::move(o));
  }
  AuthDecision get(const std::string& target, const std::string& authorization, Access needed,
                   const std::string& method = "GET") {
    return auth->check({method, target, authorization, from}, needed);
  }
};

std::string NonceOf(const AuthDecision& d) {
  if (d.headers.empty()) return "";
  const std::string& h = d.headers[0].second;
  const size_t at = h.find("nonce=\"");
  if (at == std::string::npos) return "";
  return h.substr(at + 7, h.find('"', at + 7) - (at + 7));
}

bool IsStale(const AuthDecision& d) {
  return d.status == 401 && !d.headers.empty() && d.headers[0].second.find(",stale=true") != std::string::npos;
}

bool IsPlainChallenge(const AuthDecision& d) {
  return d.status == 401 && d.body == "IoTaWatt-Login" && !d.headers.empty() &&
         d.headers[0].second.find("stale") == std::string::npos;
}

// Builds the Authorization header the way httpx 0.23 DigestAuth does (field order, quoting),
// computing the hashes from their definitions rather than through digest_response().
std::string HttpxHeader(const std::string& user, const std::string& password, const std::string& nonce,
                        const std::string& method, const std::string& uri, const std::string& nc = "00000001",
                        const std::string& algorithm = "MD5", const std::string& realm = kRealm) {
  const DigestAlgorithm alg = algorithm == "SHA-256" ? DigestAlgorithm::kSha256 : DigestAlgorithm::kMd5;
  const std::string cnonce = "4731b0af3aa412e2";
  const std::string ha1 = hex_hash(alg, user + ":" + realm + ":" + password);
  const std::string ha2 = hex_hash(alg, method + ":" + uri);
  const std::string response = hex_hash(alg, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
  return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri +
         "\", response=\"" + response + "\", algorithm=" + algorithm + ", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce +
         "\"";
}

TEST(DigestAuth, ChallengeIsTheOriginalHeaderFirst) {
  Fixture f;
  const AuthDecision d = f.get("/status?wifi=yes", "", Access::kUser);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.body, "IoTaWatt-Login");
  EXPECT_EQ(d.content_type, "text/html");
  ASSERT_EQ(d.headers.size(), 2u);
  const std::string nonce = NonceOf(d);
  EXPECT_EQ(nonce.size(), kNonceSize);
  EXPECT_EQ(nonce.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(d.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(d.headers[0].second, "Digest realm=\"IotaWatt\",qop=\"auth\",nonce=\"" + nonce + "\"");
  EXPECT_EQ(d.headers[1].second, "Digest realm=\"IotaWatt\",qop=\"auth\",nonce=\"" + nonce + "\",algorithm=SHA-256");
}

TEST(DigestAuth, Sha256ChallengeCanBeTurnedOff) {
  Fixture f(make_credentials(kRealm, kAdminPw, "", false), 256, /*offer_sha256=*/false);
  EXPECT_EQ(f.get("/status", "", Access::kUser).headers.size(), 1u);
}

TEST(DigestAuth, NoAdminPasswordMeansOpen) {
  Fixture f(make_credentials(kRealm, "", "", false));
  const AuthDecision d = f.get("/auth", "", Access::kAdmin, "POST");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.role, "admin");
}

TEST(DigestAuth, AccessNoneNeedsNothing) {
  Fixture f;
  EXPECT_TRUE(f.get("/x", "", Access::kNone).allowed);
}

TEST(DigestAuth, HttpxRoundTripMd5) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status?wifi=yes", "", Access::kUser));
  const AuthDecision d =
      f.get("/status?wifi=yes", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status?wifi=yes"), Access::kUser);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.role, "admin");
  EXPECT_EQ(d.status, 200);
}

TEST(DigestAuth, Sha256RoundTrip) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/auth", "", Access::kAdmin, "POST"));
  EXPECT_TRUE(f.get("/auth", HttpxHeader("admin", kAdminPw, nonce, "POST", "/auth", "00000001", "SHA-256"),
                    Access::kAdmin, "POST")
                  .allowed);
}

TEST(DigestAuth, MethodInHa2IsTheRealMethod) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/auth", "", Access::kAdmin, "POST"));
  // Computed for GET but sent as POST.
  const AuthDecision d = f.get("/auth", HttpxHeader("admin", kAdminPw, nonce, "GET", "/auth"), Access::kAdmin, "POST");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status, 401);
}

TEST(DigestAuth, SessVariantsAreRejected) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  std::string h = HttpxHeader("admin", kAdminPw, nonce, "GET", "/status");
  h.replace(h.find("algorithm=MD5"), 13, "algorithm=MD5-sess");
  EXPECT_EQ(f.get("/status", h, Access::kUser).status, 401);
}

// Finding 9: an RFC 2069 answer has no nc, so it could be replayed while its nonce lives.
TEST(DigestAuth, Rfc2069WithoutQopIsRefusedEvenWithTheRightPassword) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  const std::string ha1 = hex_hash(DigestAlgorithm::kMd5, std::string("admin:IotaWatt:") + kAdminPw);
  const std::string ha2 = hex_hash(DigestAlgorithm::kMd5, "GET:/status");
  const std::string response = hex_hash(DigestAlgorithm::kMd5, ha1 + ":" + nonce + ":" + ha2);
  const std::string h = "Digest username=\"admin\", realm=\"IotaWatt\", nonce=\"" + nonce +
                        "\", uri=\"/status\", response=\"" + response + "\"";
  const AuthDecision first = f.get("/status", h, Access::kUser);
  EXPECT_FALSE(first.allowed);
  EXPECT_TRUE(IsPlainChallenge(first));
  EXPECT_TRUE(IsPlainChallenge(f.get("/status", h, Access::kUser)));  // and its replay
  EXPECT_EQ(f.auth->clients_with_failures(), 1u);                     // counted as a failure
  EXPECT_EQ(f.auth->logged_in_nonces(), 0u);
}

TEST(DigestAuth, WrongPasswordGetsAFreshChallenge) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  const AuthDecision d = f.get("/status", HttpxHeader("admin", "wrong", nonce, "GET", "/status"), Access::kUser);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status, 401);
  EXPECT_NE(NonceOf(d), nonce);
  EXPECT_EQ(d.headers[0].second.find("stale"), std::string::npos);
}

TEST(DigestAuth, UserAccountAllowedAtUserLevelOnly) {
  Fixture f;
  std::string nonce = NonceOf(f.get("/query", "", Access::kUser));
  const AuthDecision ok = f.get("/query", HttpxHeader("user", kUserPw, nonce, "GET", "/query"), Access::kUser);
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.role, "user");
  nonce = NonceOf(f.get("/command", "", Access::kAdmin));
  const AuthDecision below = f.get("/command", HttpxHeader("user", kUserPw, nonce, "GET", "/command"), Access::kAdmin);
  EXPECT_EQ(below.status, 403);  // not a new challenge: a browser would ask for a login again and again
  EXPECT_TRUE(below.headers.empty());
  // A wrong user password at the admin page is a plain challenge, as everywhere.
  nonce = NonceOf(f.get("/command", "", Access::kAdmin));
  EXPECT_TRUE(IsPlainChallenge(
      f.get("/command", HttpxHeader("user", "wrong-password", nonce, "GET", "/command"), Access::kAdmin)));
}

TEST(DigestAuth, UnknownUserRejected) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  EXPECT_FALSE(f.get("/status", HttpxHeader("root", kAdminPw, nonce, "GET", "/status"), Access::kUser).allowed);
}

TEST(DigestAuth, ReplayedNcIsRejected) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  const std::string h = HttpxHeader("admin", kAdminPw, nonce, "GET", "/status");
  EXPECT_TRUE(f.get("/status", h, Access::kUser).allowed);
  const AuthDecision again = f.get("/status", h, Access::kUser);
  EXPECT_FALSE(again.allowed);
  EXPECT_EQ(again.status, 401);
  EXPECT_NE(again.headers[0].second.find(",stale=true"), std::string::npos);
}

TEST(DigestAuth, OutOfOrderNcWithinTheWindow) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  auto send = [&](const char* nc) {
    return f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", nc), Access::kUser).allowed;
  };
  EXPECT_TRUE(send("00000001"));
  EXPECT_TRUE(send("00000002"));
  EXPECT_TRUE(send("00000003"));
  EXPECT_TRUE(send("00000005"));
  EXPECT_TRUE(send("00000004"));   // late, but newer than the oldest of the last 4
  EXPECT_FALSE(send("00000004"));  // replay
  EXPECT_FALSE(send("00000001"));  // fell out of the window
  EXPECT_TRUE(send("0000000a"));
}

TEST(DigestAuth, UriMustMatchTheRequestTarget) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/query?show=series", "", Access::kUser));
  const AuthDecision d =
      f.get("/command?restart=yes", HttpxHeader("admin", kAdminPw, nonce, "GET", "/query?show=series"), Access::kUser);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status, 400);
}

TEST(DigestAuth, EncodedAndRawBracketsAreTheSameUri) {
  Fixture f;
  const std::string raw = "/query?select=[Main.watts,Total.watts]&begin=s-30s&end=s&group=30s";
  const std::string encoded = "/query?select=%5BMain.watts,Total.watts%5D&begin=s-30s&end=s&group=30s";
  std::string nonce = NonceOf(f.get(raw, "", Access::kUser));
  EXPECT_TRUE(f.get(raw, HttpxHeader("admin", kAdminPw, nonce, "GET", encoded), Access::kUser).allowed);
  nonce = NonceOf(f.get(encoded, "", Access::kUser));
  EXPECT_TRUE(f.get(encoded, HttpxHeader("admin", kAdminPw, nonce, "GET", raw), Access::kUser).allowed);
  nonce = NonceOf(f.get(encoded, "", Access::kUser));
  EXPECT_TRUE(f.get(encoded, HttpxHeader("admin", kAdminPw, nonce, "GET", encoded), Access::kUser).allowed);
}

TEST(DigestAuth, HeaderDecodedByTheServerLibraryStillVerifies) {
  // The client hashed the encoded target; cpp-httplib 0.11.4 hands us `uri` percent-decoded.
  Fixture f;
  const std::string encoded = "/query?select=%5BTotal.wh%5D&begin=d&end=s&group=all";
  const std::string nonce = NonceOf(f.get(encoded, "", Access::kUser));
  std::string h = HttpxHeader("admin", kAdminPw, nonce, "GET", encoded);
  h.replace(h.find(encoded), encoded.size(), percent_decode(encoded));
  EXPECT_TRUE(f.get(encoded, h, Access::kUser).allowed);
  // The same header does not log in to another resource.
  const std::string nonce2 = NonceOf(f.get(encoded, "", Access::kUser));
  h = HttpxHeader("admin", kAdminPw, nonce2, "GET", encoded);
  h.replace(h.find(encoded), encoded.size(), percent_decode(encoded));
  EXPECT_EQ(f.get("/query?select=%5BOther.wh%5D&begin=d&end=s&group=all", h, Access::kUser).status, 401);
}

// Finding 7's oracle: a right password with a nonce this server never issued used to answer
// stale=true, a wrong one a plain 401. Now both are the same plain 401.
TEST(DigestAuth, NeverIssuedNonceIsAPlainChallengeWhateverThePassword) {
  Fixture f;
  const std::string issued = NonceOf(f.get("/status", "", Access::kUser));
  std::string forged_mac = issued;
  forged_mac.back() = forged_mac.back() == '0' ? '1' : '0';
  std::string forged_time = issued;
  forged_time[0] = forged_time[0] == '0' ? '1' : '0';
  DigestAuthOptions other_key;
  other_key.clock = [&f] { return f.now; };
  DigestAuth other(make_credentials(kRealm, kAdminPw, "", false), other_key);  // another process
  const std::string foreign = NonceOf(other.check({"GET", "/status", "", "192.0.2.1"}, Access::kUser));
  int client = 0;
  for (const std::string& nonce : {std::string("00112233445566778899aabbccddeeff"), forged_mac, forged_time, foreign}) {
    for (const char* password : {kAdminPw, "wrong-password"}) {
      f.from = "198.51.100." + std::to_string(++client);
      const AuthDecision d = f.get("/status", HttpxHeader("admin", password, nonce, "GET", "/status"), Access::kUser);
      EXPECT_FALSE(d.allowed) << nonce;
      EXPECT_TRUE(IsPlainChallenge(d)) << nonce << " " << password << ": " << d.headers[0].second;
      EXPECT_NE(NonceOf(d), nonce);
    }
  }
}

TEST(DigestAuth, ExpiredIssuedNonceIsStaleOnlyWithTheRightPassword) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  f.now += seconds(601);  // nonce_lifetime is 600 s from the issue
  EXPECT_TRUE(IsPlainChallenge(
      f.get("/status", HttpxHeader("admin", "wrong-password", nonce, "GET", "/status"), Access::kUser)));
  const AuthDecision d = f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status"), Access::kUser);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(IsStale(d));
  // The client follows stale=true with the new nonce, without asking its user again.
  EXPECT_TRUE(f.get("/status", HttpxHeader("admin", kAdminPw, NonceOf(d), "GET", "/status"), Access::kUser).allowed);
}

TEST(DigestAuth, NonceLivesItsLifetimeFromTheIssue) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  auto send = [&](const char* nc) {
    return f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", nc), Access::kUser);
  };
  f.now += seconds(300);
  EXPECT_TRUE(send("00000001").allowed);
  f.now += seconds(300);
  EXPECT_TRUE(send("00000002").allowed);  // 600 s old: the last second it is valid
  f.now += seconds(1);
  EXPECT_TRUE(IsStale(send("00000003")));
}

// Finding 10: challenges used to fill a 256-entry table and evict logged-in sessions.
TEST(DigestAuth, AnonymousChallengesDoNotEvictALogin) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  ASSERT_TRUE(
      f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000001"), Access::kUser).allowed);
  for (int i = 0; i < 10000; ++i) {
    f.now += std::chrono::milliseconds(1);
    f.from = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    ASSERT_EQ(f.get("/status", "", Access::kUser).status, 401);
  }
  EXPECT_EQ(f.auth->logged_in_nonces(), 1u);  // challenges allocate nothing
  EXPECT_EQ(f.auth->clients_with_failures(), 0u);
  f.from = "192.0.2.7";
  EXPECT_TRUE(
      f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000002"), Access::kUser).allowed);
}

TEST(DigestAuth, ReplayStateIsBoundedAndNeverForgetsIntoAReplay) {
  Fixture f(make_credentials(kRealm, kAdminPw, kUserPw, false), /*max_logged_in=*/4);
  std::vector<std::string> headers;
  for (int i = 0; i < 6; ++i) {
    f.now += seconds(1);
    const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
    headers.push_back(HttpxHeader("admin", kAdminPw, nonce, "GET", "/status"));
    ASSERT_TRUE(f.get("/status", headers.back(), Access::kUser).allowed);
  }
  EXPECT_EQ(f.auth->logged_in_nonces(), 4u);
  // The two oldest were dropped; replaying them is refused (stale), not accepted again.
  EXPECT_TRUE(IsStale(f.get("/status", headers[0], Access::kUser)));
  EXPECT_TRUE(IsStale(f.get("/status", headers[1], Access::kUser)));
  EXPECT_TRUE(IsStale(f.get("/status", headers[5], Access::kUser)));
}

TEST(DigestAuth, UriAsLongAsTheServerHeadLogsIn) {
  Fixture f;
  const std::string target = "/status?wifi=yes&pad=" + std::string(8192, 'x');
  const std::string nonce = NonceOf(f.get(target, "", Access::kUser));
  EXPECT_TRUE(f.get(target, HttpxHeader("admin", kAdminPw, nonce, "GET", target), Access::kUser).allowed);
}

TEST(DigestAuth, LanBypassOnlyWithLocalAccess) {
  Fixture f;
  f.lan = true;
  EXPECT_EQ(f.get("/status", "", Access::kAdmin).status, 401);
  f.auth->set_credentials(make_credentials(kRealm, kAdminPw, "", true));
  EXPECT_TRUE(f.get("/status", "", Access::kAdmin).allowed);
  f.lan = false;
  EXPECT_EQ(f.get("/status", "", Access::kAdmin).status, 401);
}

TEST(DigestAuth, LegacyMd5OnlyCredentialsOfferOnlyMd5) {
  Credentials legacy = make_credentials(kRealm, kAdminPw, "", false);
  legacy.admin_sha256.clear();
  Fixture f(legacy);
  const AuthDecision d = f.get("/status", "", Access::kUser);
  ASSERT_EQ(d.headers.size(), 1u);
  EXPECT_TRUE(f.get("/status", HttpxHeader("admin", kAdminPw, NonceOf(d), "GET", "/status"), Access::kUser).allowed);
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  EXPECT_FALSE(
      f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000001", "SHA-256"), Access::kUser)
          .allowed);
}

TEST(DigestAuth, RealmMustMatch) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  EXPECT_FALSE(f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000001", "MD5", "Other"),
                     Access::kUser)
                   .allowed);
}

TEST(DigestAuth, MalformedAuthorizationCorpusAlwaysChallenges) {
  Fixture f;
  const std::string n = NonceOf(f.get("/status", "", Access::kUser));
  const std::string good = HttpxHeader("admin", kAdminPw, n, "GET", "/status");
  auto without = [&](const std::string& field) {
    std::string h = good;
    const size_t at = h.find(field + "=");
    const size_t end = h.find(", ", at);
    h.erase(at, end == std::string::npos ? std::string::npos : end + 2 - at);
    return h;
  };
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string h = good;
    h.replace(h.find(from), from.size(), to);
    return h;
  };
  const std::vector<std::string> corpus = {
      "Digest",
      "Digest ",
      "Digest ,,,",
      "Basic YWRtaW46c2VjcmV0MQ==",
      "Bearer abc",
      "digestusername=\"admin\"",
      "Digest username",
      "Digest username=",
      "Digest username=\"admin",
      "Digest username=\"admin\\",
      "Digest =\"admin\"",
      "Digest username=\"admin\" realm=\"IotaWatt\"",
      "Digest username=\"admin\", username=\"admin\"",
      "Digest " + std::string(10000, 'x'),
      "Digest username=\"admin\", nonce=\"" + n + "\"",
      std::string("Digest username=\"admin\0\", realm=\"IotaWatt\"", 42),
      "\xff\xfe\x00\x01",
      without("username"),
      without("realm"),
      without("nonce"),
      without("uri"),
      without("response"),
      without("nc"),
      without("cnonce"),
      replace("qop=auth", "qop=auth-int"),
      replace("nc=00000001", "nc=zz"),
      replace("nc=00000001", "nc=123456789"),
      replace("nc=00000001", "nc=00000000"),
      replace("algorithm=MD5", "algorithm=SHA-512"),
      replace("nonce=\"" + n, "nonce=\"" + n.substr(0, kNonceSize - 1) + "g"),
      replace("nonce=\"" + n, "nonce=\"" + n.substr(0, 32)),
      replace("nonce=\"" + n, "nonce=\"" + n + "00"),
      replace("response=\"", "response=\"0"),
      replace("username=\"admin\"", "username=\"Admin\""),
      replace(", cnonce=\"4731b0af3aa412e2\"", ", cnonce=\"\""),
      good + ", \"",
      good + " garbage",
  };
  ASSERT_GE(corpus.size(), 25u);
  int client = 0;
  for (const std::string& header : corpus) {
    f.from = "198.51.100." + std::to_string(++client);  // one try each: no backoff here
    const AuthDecision d = f.get("/status", header, Access::kUser);
    EXPECT_FALSE(d.allowed) << header;
    EXPECT_EQ(d.status, 401) << header;
    EXPECT_EQ(d.body, "IoTaWatt-Login") << header;
  }
  f.from = "192.0.2.7";
  EXPECT_TRUE(f.get("/status", good, Access::kUser).allowed);  // the corpus did not consume it
}

TEST(DigestAuth, MutatedHeadersNeverCrashAndNeverPassWithoutTheResponse) {
  Fixture f;
  const std::string n = NonceOf(f.get("/status", "", Access::kUser));
  const std::string good = HttpxHeader("admin", kAdminPw, n, "GET", "/status");
  const std::string response_field = good.substr(good.find("response=\""), 45);
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  int allowed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string h = good;
    for (int k = 0; k < 1 + static_cast<int>(next() % 4); ++k) {
      const size_t at = next() % h.size();
      switch (next() % 3) {
        case 0:
          h[at] = static_cast<char>(next() >> 24);
          break;
        case 1:
          h.erase(at, 1 + next() % 8);
          break;
        default:
          h.insert(at, 1, "\",= \\%"[next() % 6]);
          break;
      }
      if (h.empty()) h = "x";
    }
    f.from = "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250);  // no backoff here
    const AuthDecision d = f.get("/status", h, Access::kUser);
    if (d.allowed) {
      ++allowed;
      // A mutation can only pass if it left every hashed field, the response included, intact.
      EXPECT_NE(h.find(response_field), std::string::npos) << h;
    } else {
      EXPECT_TRUE(d.status == 401 || d.status == 400) << h;
    }
  }
  EXPECT_LE(allowed, 1);  // nc=00000001 on this nonce can be used once at most
}

TEST(DigestAuth, ConcurrentChecksAreSafe) {
  // The replay table holds every login made here, so none is forgotten before its use.
  Fixture f(make_credentials(kRealm, kAdminPw, kUserPw, false), 1024);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const std::string nonce = NonceOf(f.auth->check({"GET", "/status", "", "192.0.2.1"}, Access::kUser));
        const AuthRequest req{"GET", "/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status"), "192.0.2.1"};
        if (f.auth->check(req, Access::kUser).allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 800);
  EXPECT_EQ(f.auth->logged_in_nonces(), 800u);
}

// Finding 7: guesses back off per client. Free for 5 failures, then 1 s doubling to 60 s;
// while waiting, 429 + Retry-After at once and nothing is checked.
TEST(DigestAuth, FailedLoginsBackOffPerClient) {
  Fixture f;
  auto guess = [&](const char* password) {
    const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
    return f.get("/status", HttpxHeader("admin", password, nonce, "GET", "/status"), Access::kUser);
  };
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(IsPlainChallenge(guess("wrong-password"))) << i;
  std::vector<int> waits;
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(IsPlainChallenge(guess("wrong-password"))) << i;  // looked at, counted
    const AuthDecision refused = f.get("/status", "", Access::kUser);
    ASSERT_EQ(refused.status, 429);
    ASSERT_EQ(refused.headers.size(), 1u);
    EXPECT_EQ(refused.headers[0].first, "Retry-After");
    waits.push_back(std::stoi(refused.headers[0].second));
    EXPECT_NE(refused.body.find("try again in " + refused.headers[0].second + " s"), std::string::npos);
    f.now += seconds(waits.back()) - std::chrono::milliseconds(1);
    ASSERT_EQ(f.get("/status", "", Access::kUser).status, 429) << "still waiting";
    f.now += std::chrono::milliseconds(1);
  }
  EXPECT_EQ(waits, (std::vector<int>{1, 2, 4, 8, 16, 32, 60, 60, 60}));
  // While waiting, even the right password is not looked at.
  ASSERT_TRUE(IsPlainChallenge(guess("wrong-password")));
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));  // 429: no nonce
  EXPECT_EQ(nonce, "");
  f.from = "192.0.2.8";  // another client is not affected
  EXPECT_EQ(guess(kAdminPw).status, 200);
  f.from = "192.0.2.7";
  EXPECT_EQ(guess(kAdminPw).status, 429);
  f.now += seconds(60);
  EXPECT_TRUE(guess(kAdminPw).allowed);  // after the wait: success clears the failures
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(IsPlainChallenge(guess("wrong-password"))) << i;
  EXPECT_EQ(f.get("/status", "", Access::kUser).status, 401);
}

TEST(DigestAuth, ClientsAreForgottenAfterAQuietQuarterHour) {
  Fixture f;
  auto guess = [&] {
    const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
    return f.get("/status", HttpxHeader("admin", "wrong-password", nonce, "GET", "/status"), Access::kUser);
  };
  for (int i = 0; i < 6; ++i) guess();
  EXPECT_EQ(f.get("/status", "", Access::kUser).status, 429);
  f.now += seconds(900);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(IsPlainChallenge(guess())) << i;  // five free again
}

TEST(DigestAuth, WhatIsNotAFailedLogin) {
  Fixture f;
  for (int i = 0; i < 20; ++i) {
    // No Authorization: the first step of every Digest exchange.
    const std::string nonce = NonceOf(f.get("/command", "", Access::kAdmin));
    // The user account's right password at an admin page (a user-role browser in Setup).
    EXPECT_EQ(f.get("/command", HttpxHeader("user", kUserPw, nonce, "GET", "/command"), Access::kAdmin).status, 403);
    // A stale nonce with the right password.
    f.now += seconds(601);
    EXPECT_TRUE(IsStale(
        f.get("/command", HttpxHeader("admin", kAdminPw, nonce, "GET", "/command", "00000002"), Access::kAdmin)));
  }
  EXPECT_EQ(f.auth->clients_with_failures(), 0u);
  EXPECT_EQ(f.get("/status", "", Access::kUser).status, 401);
}

TEST(DigestAuth, AnIpv6ClientIsItsSlash64) {
  Fixture f;
  for (int i = 1; i <= 6; ++i) {
    f.from = "2001:db8:1:2::" + std::to_string(i);
    const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
    f.get("/status", HttpxHeader("admin", "wrong-password", nonce, "GET", "/status"), Access::kUser);
  }
  f.from = "2001:db8:1:2:ffff::99";
  EXPECT_EQ(f.get("/status", "", Access::kUser).status, 429);
  f.from = "2001:db8:1:3::1";
  EXPECT_EQ(f.get("/status", "", Access::kUser).status, 401);
}

TEST(DigestAuth, BackoffMemoryIsBounded) {
  Fixture f;
  for (int i = 0; i < 5000; ++i) {
    f.from = "10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    f.now += std::chrono::milliseconds(1);
    const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
    f.get("/status", HttpxHeader("admin", "wrong-password", nonce, "GET", "/status"), Access::kUser);
  }
  EXPECT_EQ(f.auth->clients_with_failures(), LoginBackoffOptions{}.max_clients);
}

TEST(PercentDecode, Basics) {
  EXPECT_EQ(percent_decode("%5Ba%5d+%2"), "[a]+%2");
  EXPECT_EQ(percent_decode("%zz%"), "%zz%");
}

}  // namespace
}  // namespace iw::server
