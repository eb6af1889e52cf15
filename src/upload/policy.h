// What a protocol may ask of the engine beyond the common rules (uploader.h): where to start,
// when a request may go, and how many intervals one request carries. The engine consults its
// policy at each of these points; DefaultPolicy is the common rule set (InfluxDB, Emoncms),
// PvoutputPolicy (pvoutput_policy.h) adds PVOutput's rate limit, date-bounded batches and
// look-back limit.
//
// Times: `now_ms` is the engine's clock (clock.h, monotonic); a policy that must reason in
// UNIX time (a server's rate-limit reset, a look-back limit) takes a wall clock of its own.
// A policy is used by one uploader's thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "upload/protocol.h"

namespace iw::upload {

// What is known when an uploader starts (all UNIX seconds).
struct StartInputs {
  std::optional<int64_t> cursor_next;  // the saved cursor, when it belongs to this target
  std::optional<int64_t> server_last;  // the server's newest point, when it answered one
  int64_t interval_s = 10;
  int64_t begdate = 0;                  // 0: none
  std::optional<int64_t> first_record;  // oldest record of the logs
  int64_t newest_record = 0;            // newest record of the logs ("now" in the log's time)
};

class UploadPolicy {
 public:
  virtual ~UploadPolicy() = default;

  // The first interval start to upload. Default: upload::start_point (uploader.h).
  virtual int64_t start_point(const StartInputs& in) const;
  // nullopt: a request may go at `now_ms`; otherwise the engine's time it may go at (> now_ms).
  virtual std::optional<int64_t> hold_until_ms(int64_t /*now_ms*/) const { return std::nullopt; }
  // Called for every request the engine sends, and with every answer it receives.
  virtual void on_request(int64_t /*now_ms*/) {}
  virtual void on_answer(const HttpResponse& /*answer*/, int64_t /*now_ms*/) {}
  // The oldest interval start the server still accepts, or nullopt (no limit). The engine
  // skips what falls behind it (an outage longer than PVOutput's look-back) instead of
  // having it refused again and again.
  virtual std::optional<int64_t> oldest_accepted() const { return std::nullopt; }
  // How many of `intervals` (consecutive, oldest first, at least one) the next request
  // carries: 1..intervals.size(). Default: all of them (the engine's byte budget applies).
  virtual size_t batch_length(std::span<const IntervalValues> intervals) const { return intervals.size(); }
};

// The common rules, nothing more.
class DefaultPolicy final : public UploadPolicy {};

}  // namespace iw::upload
