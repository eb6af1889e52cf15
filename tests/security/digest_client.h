// A Digest client for the security tests, over RawConnection so that it can speak from any
// loopback address (127.0.0.2 is another machine on the LAN) and send what real clients do
// not (no qop, replays). The response is computed from RFC 7616's definitions with OpenSSL,
// independently of src/server.
#pragma once

#include <openssl/evp.h>

#include <cstdio>
#include <string>

#include "security/security_testing.h"

namespace iw::testing {

inline std::string md5_hex(const std::string& text) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), out, &size, EVP_md5(), nullptr);
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(two, sizeof two, "%02x", out[i]);
    hex += two;
  }
  return hex;
}

// One HTTP answer, split.
struct Answer {
  int status = 0;
  std::string head, body;
  // The value of the first header `name` (exact case), or "".
  std::string header(const std::string& name) const {
    const size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const size_t start = at + name.size() + 4;
    return head.substr(start, head.find("\r\n", start) - start);
  }
  // The nonce of the first WWW-Authenticate challenge, or "".
  std::string nonce() const {
    const std::string challenge = header("WWW-Authenticate");
    const size_t at = challenge.find("nonce=\"");
    if (at == std::string::npos) return "";
    return challenge.substr(at + 7, challenge.find('"', at + 7) - at - 7);
  }
  bool stale() const { return header("WWW-Authenticate").find("stale=true") != std::string::npos; }
};

// Sends one request on a fresh connection from `from` ("" = 127.0.0.1) and reads the answer.
inline Answer exchange(int port, const std::string& from, const std::string& method, const std::string& target,
                       const std::string& authorization = "", const std::string& body = "") {
  RawConnection c(port, from);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!authorization.empty()) request += "Authorization: " + authorization + "\r\n";
  // A write without a JSON body says it is no cross-site form (README, HTTP API).
  if (method != "GET" && method != "HEAD") request += "X-Requested-With: test\r\n";
  if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  Answer a;
  if (!c.connected() || !c.send(request)) return a;
  const std::string raw = c.receive();
  a.status = status_of(raw);
  const size_t end = raw.find("\r\n\r\n");
  a.head = raw.substr(0, end);
  a.body = end == std::string::npos ? "" : raw.substr(end + 4);
  return a;
}

struct DigestCredentials {
  std::string user, password, realm = "IotaWatt";
};

// The Authorization header for `method` `uri` with `nonce`. `qop` false: RFC 2069 (no qop,
// nc, cnonce), which the server must refuse.
inline std::string digest_authorization(const DigestCredentials& who, const std::string& nonce,
                                        const std::string& method, const std::string& uri, int nc = 1,
                                        bool qop = true) {
  char nc_text[9];
  std::snprintf(nc_text, sizeof nc_text, "%08x", nc);
  const std::string cnonce = "0a4f113b";
  const std::string ha1 = md5_hex(who.user + ":" + who.realm + ":" + who.password);
  const std::string ha2 = md5_hex(method + ":" + uri);
  const std::string response = qop ? md5_hex(ha1 + ":" + nonce + ":" + nc_text + ":" + cnonce + ":auth:" + ha2)
                                   : md5_hex(ha1 + ":" + nonce + ":" + ha2);
  std::string h = "Digest username=\"" + who.user + "\", realm=\"" + who.realm + "\", nonce=\"" + nonce + "\", uri=\"" +
                  uri + "\", response=\"" + response + "\"";
  if (qop) h += std::string(", qop=auth, nc=") + nc_text + ", cnonce=\"" + cnonce + "\"";
  return h;
}

// The two steps of a login: a challenge, then the answer to it.
inline Answer digest_get(int port, const std::string& from, const DigestCredentials& who, const std::string& target) {
  const Answer challenge = exchange(port, from, "GET", target);
  if (challenge.status != 401) return challenge;
  return exchange(port, from, "GET", target, digest_authorization(who, challenge.nonce(), "GET", target));
}

// The body of POST /auth as the web app sends it: the base64 of the JSON.
inline std::string auth_body(const std::string& json) { return base64(json); }

// POST /auth with no password set yet (everything open).
inline Answer set_passwords(int port, const std::string& json) {
  return exchange(port, "", "POST", "/auth", "", auth_body(json));
}

// /status?stats voltage cycles, read with a login; -1 when it does not answer.
inline long long cycles_with_login(int port, const std::string& from, const DigestCredentials& who) {
  const Answer a = digest_get(port, from, who, "/status?stats");
  if (a.status != 200) return -1;
  const auto j = nlohmann::json::parse(a.body, nullptr, false);
  if (j.is_discarded() || !j.contains("stats")) return -1;
  return j["stats"]["sampling"].value("cycles", -1LL);
}

}  // namespace iw::testing
