// InfluxDB 2.x (firmware reference 7.4, protocols.md 4.3): line protocol to /api/v2/write
// with org, bucket and token; the last point from one Flux query (/api/v2/query, CSV answer).
//
// Differences from the original: the Flux range starts at 0 in one query instead of widening
// windows (a pure protocol asks one question; InfluxDB answers last() from its index), the
// CSV is read by column name with CR stripped, org and token lengths are not checked (self-
// hosted servers issue other lengths), and a 429/503 keeps the same points for the retry
// (reference 14 item 9; the engine waits for Retry-After).
#pragma once

#include "config/uploader_config.h"
#include "upload/line_protocol.h"
#include "upload/protocol.h"
#include "upload/url.h"

namespace iw::upload {

class Influx2Protocol final : public Protocol {
 public:
  Influx2Protocol(BaseUrl url, config::Influx2Config config, const std::string& device,
                  const std::vector<MeasurementInfo>& measurements);

  std::optional<HttpRequest> last_point_request() const override;
  Result<std::optional<int64_t>> parse_last_point(const HttpResponse& response) const override;
  HttpRequest post_request(std::span<const IntervalValues> intervals) const override;
  PostVerdict parse_post_response(const HttpResponse& response) const override;

  std::string last_point_flux() const;

 private:
  BaseUrl url_;
  config::Influx2Config config_;
  InfluxLines lines_;
};

// The newest `_time` (integer seconds) over the data rows of a Flux CSV answer (annotated or
// not, LF or CRLF, one or more tables); nullopt when there are no data rows.
Result<std::optional<int64_t>> newest_time_in_flux_csv(const std::string& csv);

}  // namespace iw::upload
