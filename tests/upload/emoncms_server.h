// An Emoncms input API for tests, implementing the server side as protocols.md 3.2 and 3.3
// document it (Emoncms' input controller, param.php and index.php):
//   POST /input/bulk   plain: API key from `apikey=` or `Authorization: Bearer`; no key -> 200
//                      with an empty body; wrong key -> 401 "Invalid API key"; "ok".
//                      Content-Type exactly `aes128cbc`: Authorization userid:hmac, body
//                      base64 (either alphabet) of IV || AES-128-CBC(PKCS#7) under
//                      hex2bin(write key); HMAC-SHA256 of the plaintext checked; answer
//                      base64url(SHA-256(plaintext)); refusals as the real server's texts.
//   GET /input/get?node=N   {"<key>":{"time":T,"value":V,"processList":""},...} or
//                      "Node does not exist".
// Rows are stored at time= + offset; null values are stored as 0, as Emoncms does. Failure
// modes on demand (fail_next) answer before any of that.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "upload/emoncms_pvoutput_client.h"

namespace iw::upload::testing {

enum class EmoncmsFailure {
  kServerError,   // HTTP 500 "Internal Server Error"
  kGarbage,       // HTTP 200 with an HTML page
  kSlow,          // answers after 1.5 s (and processes the request)
  kWrongHash,     // stores the data but answers another hash (encrypted) or "error" (plain)
  kUnauthorized,  // HTTP 401 "Invalid API key"
  kForbidden,     // HTTP 403 "Forbidden"
};

struct EmoncmsPoint {
  std::string node;
  std::string input;  // "1", "2", ...
  int64_t time = 0;
  double value = 0;
  bool operator==(const EmoncmsPoint&) const = default;
};

class EmoncmsTestServer {
 public:
  // One user: `userid` with write key `write_key` and read key `read_key` (lower-case hex).
  EmoncmsTestServer(std::string userid, std::string write_key, std::string read_key);

  std::string url() const { return http_.origin(); }
  // The next `count` requests fail with `failure`.
  void fail_next(EmoncmsFailure failure, int count = 1);
  // Every stored row value, in the order stored (a repeated post stores its rows again).
  std::vector<EmoncmsPoint> points() const;
  // The latest value per (node, input), as Emoncms' input table holds it.
  std::map<std::pair<std::string, std::string>, EmoncmsPoint> inputs() const;
  int requests() const;
  // An outage: connections are refused until come_back().
  void go_down() { http_.stop(); }
  void come_back() { http_.restart(); }

 private:
  struct Answer {
    int status = 200;
    std::string body;
  };
  void handle_bulk(const httplib::Request& req, httplib::Response& res);
  void handle_get(const httplib::Request& req, httplib::Response& res);
  bool take_failure(EmoncmsFailure& failure);
  Answer encrypted_bulk(const httplib::Request& req, bool wrong_hash);
  Answer plain_bulk(const httplib::Request& req, bool wrong_hash);
  Answer store_bulk(const std::map<std::string, std::string>& params);

  const std::string userid_;
  const std::string write_key_;
  const std::string read_key_;
  mutable std::mutex mutex_;
  std::vector<EmoncmsFailure> failures_;  // GUARDED_BY(mutex_)
  std::vector<EmoncmsPoint> points_;      // GUARDED_BY(mutex_)
  int requests_ = 0;                      // GUARDED_BY(mutex_)
  LoopbackServer http_;
};

}  // namespace iw::upload::testing
