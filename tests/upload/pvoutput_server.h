// A PVOutput r2 service for tests, implementing the server side as protocols.md 5 and the
// PVOutput API documentation describe it:
//   every service: X-Pvoutput-Apikey / X-Pvoutput-SystemId checked (401 "Unauthorized 401:
//     Invalid API Key" / "... Invalid System ID"); 60 requests per hour (300 in donation
//     mode), then 403 "Forbidden 403: Exceeded number requests per hour"; with
//     `X-Rate-Limit: 1` the answer carries X-Rate-Limit-Remaining, -Limit and -Reset.
//   getsystem.jsp  "name,size,...;...;<donation>" with the status interval at item 15.
//   getstatus.jsp  the newest status "yyyymmdd,hh:mm,v1,v2,v3,v4,v5,v6", or 400
//     "Bad request 400: No status found".
//   addbatchstatus.jsp  data=<status>;<status>... at most 30 (100 in donation mode);
//     each dated no older than 14 (90) days and not in the future, its time on the status
//     interval, v7..v12 only in donation mode, at least one of v1..v4; answers
//     "yyyymmdd,hh:mm,1;..." (the API's per-status "added" flags).
// Texts the API documents are used as is; the few it does not (batch too long, time off the
// interval, extended values without donation, no values) are our own and marked so.
// The server's clock is set by the test (set_now), so a simulated day runs in milliseconds.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "query/time_zone.h"
#include "upload/emoncms_pvoutput_client.h"

namespace iw::upload::testing {

enum class PvoutputFailure {
  kServerError,     // HTTP 500
  kGarbage,         // HTTP 200 with an HTML page
  kSlow,            // answers after 1.5 s (and processes the request)
  kUnauthorized,    // HTTP 401 "Unauthorized 401: Invalid API Key"
  kRateLimited,     // HTTP 403 "Forbidden 403: Exceeded number requests per hour"
  kLoadInProgress,  // HTTP 400 "Bad request 400: Load in progress"
};

struct PvoutputStatus {
  std::string date;                 // yyyymmdd
  std::string time;                 // hh:mm
  std::vector<std::string> values;  // v1..vN as sent (v5 temperature included), "" = absent
  bool operator==(const PvoutputStatus&) const = default;
};

class PvoutputTestServer {
 public:
  PvoutputTestServer(std::string apikey, std::string systemid, std::shared_ptr<const query::TimeZone> zone,
                     int status_interval_minutes, bool donation);

  std::string url() const { return http_.origin(); }
  void set_now(int64_t now);
  void fail_next(PvoutputFailure failure, int count = 1);
  // Stored statuses by "yyyymmdd hh:mm" (sorted = time order).
  std::map<std::string, PvoutputStatus> statuses() const;
  int requests() const;
  int refused_for_rate() const;  // requests answered with the 403 rate-limit refusal

 private:
  struct Answer {
    int status = 200;
    std::string body;
  };
  void serve(const httplib::Request& req, httplib::Response& res,
             Answer (PvoutputTestServer::*service)(const httplib::Request&));
  std::optional<Answer> refusal(const httplib::Request& req, httplib::Response& res);
  Answer get_system(const httplib::Request& req);
  Answer get_status(const httplib::Request& req);
  Answer add_batch_status(const httplib::Request& req);
  std::optional<std::string> check_status(const PvoutputStatus& s) const;  // REQUIRES: mutex_ held

  const std::string apikey_;
  const std::string systemid_;
  const std::shared_ptr<const query::TimeZone> zone_;
  const int interval_minutes_;
  const bool donation_;
  mutable std::mutex mutex_;
  int64_t now_ = 0;                               // GUARDED_BY(mutex_)
  std::deque<int64_t> window_;                    // GUARDED_BY(mutex_): request times, last hour
  std::vector<PvoutputFailure> failures_;         // GUARDED_BY(mutex_)
  std::map<std::string, PvoutputStatus> stored_;  // GUARDED_BY(mutex_)
  int requests_ = 0;                              // GUARDED_BY(mutex_)
  int refused_for_rate_ = 0;                      // GUARDED_BY(mutex_)
  LoopbackServer http_;
};

}  // namespace iw::upload::testing
