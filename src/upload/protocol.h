// What one uploader protocol (Emoncms, InfluxDB 1.x/2.x, PVOutput) knows: how to ask the server
// for the last point it holds, how to turn intervals into one request, and what the server's
// answer means. Protocols are pure: they build and read requests and never touch a socket, a
// file or a clock, so each one is tested on bytes alone. The engine (engine.h) owns the cursor,
// the schedule, retries and the HTTP transport.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace iw::upload {

struct HttpRequest {
  std::string method = "POST";  // "GET" or "POST"
  std::string url;              // absolute: scheme, host, port, path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;  // HTTP status code
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The values of an uploader's measurements over one interval [begin, end), in the order the
// uploader's config lists them. nullopt: no value (no monitored time for that measurement).
struct IntervalValues {
  int64_t begin = 0;  // UNIX seconds; points are stamped with the interval's start
  int64_t end = 0;
  std::vector<std::optional<double>> values;
};

// What an answer to a post means.
enum class PostOutcome {
  kAccepted,  // the server holds the points: advance the cursor past them
  kRetry,     // transient (5xx, 429, timeout, garbage): send the same points again later
  kRejected,  // the server refuses the data itself (4xx that means bad data or bad key):
              // report it and do not retry the same request forever
};

struct PostVerdict {
  PostOutcome outcome = PostOutcome::kRetry;
  std::string message;  // for /status and the message log when not accepted
};

class Protocol {
 public:
  virtual ~Protocol() = default;

  // The request that asks the server for the time of the newest point it holds, or nullopt
  // when the protocol has no such question (the engine then trusts its persisted cursor).
  virtual std::optional<HttpRequest> last_point_request() const = 0;
  // The newest point's UNIX time from the answer to last_point_request(); nullopt when the
  // server holds no points yet. An error names what was wrong with the answer.
  virtual Result<std::optional<int64_t>> parse_last_point(const HttpResponse& response) const = 0;

  // One request carrying `intervals` (consecutive, oldest first, at least one).
  virtual HttpRequest post_request(std::span<const IntervalValues> intervals) const = 0;
  virtual PostVerdict parse_post_response(const HttpResponse& response) const = 0;
};

}  // namespace iw::upload
