// InfluxDB 1.x (firmware reference 7.3, protocols.md 4.1-4.2): line protocol to /write, the
// last point from one SELECT LAST per series, all in one /query request.
//
// Fixes of the original (reference 14 item 8): query parameters are percent-encoded, Basic
// auth uses standard base64, names are escaped, and one Content-Type is sent.
#pragma once

#include "config/uploader_config.h"
#include "upload/line_protocol.h"
#include "upload/protocol.h"
#include "upload/url.h"

namespace iw::upload {

class Influx1Protocol final : public Protocol {
 public:
  Influx1Protocol(BaseUrl url, config::Influx1Config config, const std::string& device,
                  const std::vector<MeasurementInfo>& measurements);

  std::optional<HttpRequest> last_point_request() const override;
  Result<std::optional<int64_t>> parse_last_point(const HttpResponse& response) const override;
  HttpRequest post_request(std::span<const IntervalValues> intervals) const override;
  PostVerdict parse_post_response(const HttpResponse& response) const override;

  // The InfluxQL that asks for the newest point of every series (one statement each, ';'
  // separated).
  std::string last_point_query() const;

 private:
  void add_auth(HttpRequest& r) const;

  BaseUrl url_;
  config::Influx1Config config_;
  InfluxLines lines_;
};

// What InfluxDB's answer to a write means; shared by 1.x and 2.x. 2xx: accepted. 400 (bad
// points), 401/403 (credentials), 404 (no such database or bucket): rejected. 413, 429, 5xx
// and anything else: retry.
PostVerdict influx_write_verdict(const HttpResponse& response);

// The first `n` characters of a body, on one line, for messages.
std::string body_excerpt(const std::string& body, size_t n = 120);

}  // namespace iw::upload
