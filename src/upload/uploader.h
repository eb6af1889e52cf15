// One uploader: a store-and-forward state machine that moves its cursor through the datalog
// and posts intervals to one server (engine design: README.md in this folder).
//
//   starting --(last point known)--> bulk <--> live
//       |                              |  \--(transient failure)--> retrying --> bulk/live
//       |                              \--(4xx: bad data or key)--> rejected (retried every 10 min)
//   stopped: config "stop": true (nothing is read or sent)
//
// The machine is driven by step(now_ms): each call does at most one request and says when it
// wants to run next. It never sleeps; time, the transport and the data come in from outside,
// so tests drive hours of outages and backoff deterministically. UploadRunner (runner.h) runs
// it on a thread of its own. What a protocol adds to these rules (PVOutput's rate limit,
// batches and look-back) comes from its UploadPolicy (policy.h).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "upload/backoff.h"
#include "upload/cursor.h"
#include "upload/interval_source.h"
#include "upload/policy.h"
#include "upload/protocol.h"
#include "upload/transport.h"

namespace iw::upload {

struct UploaderSettings {
  std::string name;         // the config section: "influxdb"
  std::string type;         // "influxdb", "influxdb2", ...
  std::string target;       // what the cursor belongs to (server and series, no secrets)
  std::string cursor_path;  // <data dir>/upload/<name>.json
  int64_t interval_s = 10;  // postInterval
  int64_t bulksend = 1;     // intervals per request when live
  bool stopped = false;
  int64_t begdate = 0;                 // UTC; 0: none
  size_t max_request_bytes = 1 << 20;  // byte budget of one request while catching up
  int64_t max_intervals_per_request = 20000;
  int64_t max_scan_intervals = 100000;  // intervals looked at per step (long gaps)
  int64_t min_backoff_ms = 1000;
  int64_t max_backoff_ms = 300000;
  int64_t rejected_retry_ms = 600000;  // a refused post is tried again after this
  int64_t poll_ms = 250;               // waiting for the next interval to complete
  uint64_t seed = 1;                   // jitter
};

enum class UploaderState { kStarting, kBulk, kLive, kRetrying, kRejected, kStopped };
const char* to_string(UploaderState state);  // "starting", "bulk", "live", ...

struct UploaderStatus {
  std::string name, type;
  UploaderState state = UploaderState::kStarting;
  std::optional<int64_t> last_sent;  // start of the newest acknowledged interval
  std::optional<int64_t> next;       // start of the next interval to send
  int64_t backlog_s = 0;             // data in the log not yet acknowledged
  int64_t backlog_intervals = 0;
  int64_t interval_s = 0;
  std::string last_error;  // empty when the last attempt worked
  uint64_t posts = 0;      // accepted requests
  uint64_t intervals_sent = 0;
};

class Uploader {
 public:
  // The protocol, the transport, the source and the policy must outlive the uploader. A null
  // policy is DefaultPolicy (policy.h).
  Uploader(UploaderSettings settings, const Protocol& protocol, Transport& transport, const IntervalSource& source,
           UploadPolicy* policy = nullptr);

  // Does the next piece of work if it is due at `now_ms` and returns when to call again
  // (<= now_ms: at once, more work is ready).
  int64_t step(int64_t now_ms);

  // Thread-safe.
  UploaderStatus status() const;

 private:
  int64_t start(int64_t now_ms);
  int64_t post(int64_t now_ms);
  int64_t fail(int64_t now_ms, const std::string& message, const HttpResponse* response);
  int64_t reject(int64_t now_ms, const std::string& message);
  // Sends through the transport, telling the policy of the request and its answer.
  Result<HttpResponse> send(const HttpRequest& request, int64_t now_ms);
  // Moves the cursor past acknowledged (or empty) intervals and saves it.
  void advance(int64_t next, std::optional<int64_t> last_sent);
  void set_state(UploaderState state, std::string error);

  const UploaderSettings settings_;
  const Protocol& protocol_;
  Transport& transport_;
  const IntervalSource& source_;
  DefaultPolicy default_policy_;
  UploadPolicy& policy_;
  Backoff backoff_;
  bool started_ = false;
  int64_t next_ = 0;  // valid once started_
  int64_t wake_ms_ = 0;
  size_t budget_bytes_;  // at most half a request refused with 413, for this run
  double bytes_per_interval_ = 0;

  mutable std::mutex mu_;
  UploaderStatus status_;  // guarded by mu_
};

// t rounded down / up to a multiple of `interval`.
int64_t align_down(int64_t t, int64_t interval);
int64_t align_up(int64_t t, int64_t interval);

// Where an uploader starts, from its saved cursor and the server's newest point (both
// optional): the later of the two. The server wins when it holds newer data (the answer to
// our last post was lost, or the cursor file is older than the server's data); the cursor
// wins when the server is behind or empty (it lost data we already delivered once, or the
// series was renamed): exactly-once over re-sending history. Without either: begdate if set,
// else `now` (the newest record), as the original. Never before begdate or the oldest record.
int64_t start_point(std::optional<int64_t> cursor_next, std::optional<int64_t> server_last, int64_t interval,
                    int64_t begdate, std::optional<int64_t> first_record, int64_t now);

}  // namespace iw::upload
