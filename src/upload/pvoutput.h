// PVOutput's r2 services as the original IoTaWatt uses them (firmware reference 7.5,
// protocols.md 5): last status from `getstatus.jsp`, statuses to `addbatchstatus.jsp`, the
// account's status interval and donation mode from `getsystem.jsp`. Every request is a POST
// with `X-Pvoutput-Apikey`, `X-Pvoutput-SystemId` and `X-Rate-Limit: 1`. Dates and times on
// the wire are local (the TimeZone given). The exact bytes are in PVOUTPUT.md; rate limits,
// batching and the look-back limit are in pvoutput_schedule.h.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/pvoutput_config.h"
#include "query/time_zone.h"
#include "query/units.h"
#include "upload/protocol.h"

namespace iw::upload {

// Which stretch of time a value covers.
enum class PvoutputSpan {
  kInterval,            // the interval [begin, end)
  kSinceLocalMidnight,  // [local midnight of begin's date, end): PVOutput's "energy today"
};

// One value the engine computes for every interval: output `output` of the settings (its
// script), evaluated in `unit` over `span`. IntervalValues::values follow columns() order.
struct PvoutputColumn {
  size_t output = 0;
  query::Unit unit = query::Unit::kWatts;
  PvoutputSpan span = PvoutputSpan::kInterval;
  int field = 1;  // PVOutput's value number: v1..v12
};

// What getsystem.jsp says about the account.
struct PvoutputSystem {
  int status_interval_s = 300;
  bool donation = false;
};

// The value of header `name` (compared case-insensitively) of `r`, or nullopt.
std::optional<std::string> find_header(const HttpResponse& r, std::string_view name);
// Whether `r` is PVOutput's "Forbidden 403: Exceeded number requests per hour".
bool is_rate_limit_answer(const HttpResponse& r);
// PVOutput's X-Rate-Limit-Reset (UNIX seconds) of `r`, when present and a number.
std::optional<int64_t> rate_limit_reset(const HttpResponse& r);

class PvoutputProtocol final : public Protocol {
 public:
  // Fails naming the output whose `units` is not a unit (extended values only; generation,
  // consumption and voltage have fixed units).
  static Result<std::unique_ptr<PvoutputProtocol>> create(const config::PvoutputSettings& settings,
                                                          std::shared_ptr<const query::TimeZone> zone);

  // What IntervalValues::values must hold, in order: v1 generation Wh today, v2 generation
  // W, v3 consumption Wh today, v4 consumption W, v6 volts, v7..v12 (donation mode only), each
  // present when its output is configured.
  const std::vector<PvoutputColumn>& columns() const { return columns_; }

  std::optional<HttpRequest> last_point_request() const override;  // getstatus.jsp
  // The UTC start of the newest status; nullopt on "No status found".
  Result<std::optional<int64_t>> parse_last_point(const HttpResponse& response) const override;

  // addbatchstatus.jsp. REQUIRES: 1..limits' statuses per request intervals of one local date
  // (PvoutputSchedule::batch_length says how many).
  HttpRequest post_request(std::span<const IntervalValues> intervals) const override;
  PostVerdict parse_post_response(const HttpResponse& response) const override;

  // getsystem.jsp with donations=1: the status interval and donation mode to check the
  // settings against (the original took both from here; we take them from the config).
  HttpRequest system_request() const;
  Result<PvoutputSystem> parse_system(const HttpResponse& response) const;

  // One status "yyyymmdd,hh:mm,v1,v2,v3,v4,,v6[,v7..]" for `interval` (stamped, local, with
  // its start).
  std::string status_entry(const IntervalValues& interval) const;

 private:
  PvoutputProtocol(config::PvoutputSettings settings, std::shared_ptr<const query::TimeZone> zone,
                   std::vector<PvoutputColumn> columns);
  HttpRequest request(std::string_view service, std::string body) const;

  config::PvoutputSettings settings_;
  std::shared_ptr<const query::TimeZone> zone_;
  std::vector<PvoutputColumn> columns_;
};

}  // namespace iw::upload
