#include "server/digest_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server/digest_hash.h"

namespace iw::server {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr const char* kRealm = "IotaWatt";
constexpr const char* kAdminPw = "secret1";
constexpr const char* kUserPw = "viewer2";

struct Fixture {
  steady_clock::time_point now = steady_clock::time_point{} + std::chrono::hours(1);
  bool lan = false;
  std::unique_ptr<DigestAuth> auth;

  explicit Fixture(Credentials creds = make_credentials(kRealm, kAdminPw, kUserPw, false),
                   size_t max_sessions = 256, bool offer_sha256 = true) {
    DigestAuthOptions o;
    o.max_sessions = max_sessions;
    o.offer_sha256 = offer_sha256;
    o.clock = [this] { return now; };
    o.is_lan_client = [this](const std::string&) { return lan; };
    auth = std::make_unique<DigestAuth>(std::move(creds), std::move(o));
  }
  AuthDecision get(const std::string& target, const std::string& authorization, Access needed,
                   const std::string& method = "GET") {
    return auth->check({method, target, authorization, "192.0.2.7"}, needed);
  }
};

std::string NonceOf(const AuthDecision& d) {
  if (d.headers.empty()) return "";
  const std::string& h = d.headers[0].second;
  const size_t at = h.find("nonce=\"");
  return at == std::string::npos ? "" : h.substr(at + 7, 32);
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
         "\", response=\"" + response + "\", algorithm=" + algorithm + ", qop=auth, nc=" + nc +
         ", cnonce=\"" + cnonce + "\"";
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
  EXPECT_EQ(nonce.size(), 32u);
  EXPECT_EQ(nonce.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(d.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(d.headers[0].second, "Digest realm=\"IotaWatt\",qop=\"auth\",nonce=\"" + nonce + "\"");
  EXPECT_EQ(d.headers[1].second,
            "Digest realm=\"IotaWatt\",qop=\"auth\",nonce=\"" + nonce + "\",algorithm=SHA-256");
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
  const AuthDecision d = f.get(
      "/status?wifi=yes", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status?wifi=yes"), Access::kUser);
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
  const AuthDecision d =
      f.get("/auth", HttpxHeader("admin", kAdminPw, nonce, "GET", "/auth"), Access::kAdmin, "POST");
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

TEST(DigestAuth, Rfc2069WithoutQopIsAccepted) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  const std::string ha1 = hex_hash(DigestAlgorithm::kMd5, std::string("admin:IotaWatt:") + kAdminPw);
  const std::string ha2 = hex_hash(DigestAlgorithm::kMd5, "GET:/status");
  const std::string response = hex_hash(DigestAlgorithm::kMd5, ha1 + ":" + nonce + ":" + ha2);
  const std::string h = "Digest username=\"admin\", realm=\"IotaWatt\", nonce=\"" + nonce +
                        "\", uri=\"/status\", response=\"" + response + "\"";
  EXPECT_TRUE(f.get("/status", h, Access::kUser).allowed);
}

TEST(DigestAuth, WrongPasswordGetsAFreshChallenge) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  const AuthDecision d =
      f.get("/status", HttpxHeader("admin", "wrong", nonce, "GET", "/status"), Access::kUser);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status, 401);
  EXPECT_NE(NonceOf(d), nonce);
  EXPECT_EQ(d.headers[0].second.find("stale"), std::string::npos);
}

TEST(DigestAuth, UserAccountAllowedAtUserLevelOnly) {
  Fixture f;
  std::string nonce = NonceOf(f.get("/query", "", Access::kUser));
  const AuthDecision ok =
      f.get("/query", HttpxHeader("user", kUserPw, nonce, "GET", "/query"), Access::kUser);
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.role, "user");
  nonce = NonceOf(f.get("/command", "", Access::kAdmin));
  EXPECT_EQ(f.get("/command", HttpxHeader("user", kUserPw, nonce, "GET", "/command"), Access::kAdmin).status,
            401);
}

TEST(DigestAuth, UnknownUserRejected) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  EXPECT_FALSE(
      f.get("/status", HttpxHeader("root", kAdminPw, nonce, "GET", "/status"), Access::kUser).allowed);
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
    return f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", nc), Access::kUser)
        .allowed;
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
      f.get("/command?restart=yes", HttpxHeader("admin", kAdminPw, nonce, "GET", "/query?show=series"),
            Access::kUser);
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

TEST(DigestAuth, UnknownNonceWithRightPasswordIsStale) {
  Fixture f;
  const std::string made_up = "00112233445566778899aabbccddeeff";
  const AuthDecision d =
      f.get("/status", HttpxHeader("admin", kAdminPw, made_up, "GET", "/status"), Access::kUser);
  EXPECT_EQ(d.status, 401);
  EXPECT_NE(d.headers[0].second.find(",stale=true"), std::string::npos);
  EXPECT_NE(NonceOf(d), made_up);
}

TEST(DigestAuth, SessionTableIsBounded) {
  Fixture f;
  const std::string first = NonceOf(f.get("/status", "", Access::kUser));
  for (int i = 0; i < 10000; ++i) {
    f.now += std::chrono::milliseconds(1);
    f.get("/status", "", Access::kUser);
  }
  EXPECT_EQ(f.auth->session_count(), 256u);
  const AuthDecision d =
      f.get("/status", HttpxHeader("admin", kAdminPw, first, "GET", "/status"), Access::kUser);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.headers[0].second.find(",stale=true"), std::string::npos);
}

TEST(DigestAuth, IdleSessionsExpire) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  f.now += seconds(300);
  EXPECT_TRUE(
      f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000001"), Access::kUser)
          .allowed);
  f.now += seconds(599);  // use refreshed the session
  EXPECT_TRUE(
      f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000002"), Access::kUser)
          .allowed);
  f.now += seconds(601);
  const AuthDecision d =
      f.get("/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000003"), Access::kUser);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.headers[0].second.find(",stale=true"), std::string::npos);
  EXPECT_EQ(f.auth->session_count(), 1u);  // only the new challenge's session
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
  EXPECT_TRUE(
      f.get("/status", HttpxHeader("admin", kAdminPw, NonceOf(d), "GET", "/status"), Access::kUser).allowed);
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  EXPECT_FALSE(f.get("/status",
                     HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000001", "SHA-256"),
                     Access::kUser)
                   .allowed);
}

TEST(DigestAuth, RealmMustMatch) {
  Fixture f;
  const std::string nonce = NonceOf(f.get("/status", "", Access::kUser));
  EXPECT_FALSE(f.get("/status",
                     HttpxHeader("admin", kAdminPw, nonce, "GET", "/status", "00000001", "MD5", "Other"),
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
      replace("nonce=\"" + n, "nonce=\"" + n.substr(0, 31) + "g"),
      replace("nonce=\"" + n, "nonce=\"" + n + "00"),
      replace("response=\"", "response=\"0"),
      replace("username=\"admin\"", "username=\"Admin\""),
      replace(", cnonce=\"4731b0af3aa412e2\"", ", cnonce=\"\""),
      good + ", \"",
      good + " garbage",
  };
  ASSERT_GE(corpus.size(), 25u);
  for (const std::string& header : corpus) {
    const AuthDecision d = f.get("/status", header, Access::kUser);
    EXPECT_FALSE(d.allowed) << header;
    EXPECT_EQ(d.status, 401) << header;
    EXPECT_EQ(d.body, "IoTaWatt-Login") << header;
  }
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
  // The table holds every challenge made here, so no nonce can be evicted before its use.
  Fixture f(make_credentials(kRealm, kAdminPw, kUserPw, false), 1024);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const std::string nonce = NonceOf(f.auth->check({"GET", "/status", "", "192.0.2.1"}, Access::kUser));
        const AuthRequest req{"GET", "/status", HttpxHeader("admin", kAdminPw, nonce, "GET", "/status"),
                              "192.0.2.1"};
        if (f.auth->check(req, Access::kUser).allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 800);
  EXPECT_EQ(f.auth->session_count(), 800u);
}

TEST(PercentDecode, Basics) {
  EXPECT_EQ(percent_decode("%5Ba%5d+%2"), "[a]+%2");
  EXPECT_EQ(percent_decode("%zz%"), "%zz%");
}

}  // namespace
}  // namespace iw::server
