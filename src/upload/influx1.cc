#include "upload/influx1.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/base64.h"
#include "base/json_read.h"

namespace iw::upload {
namespace {

using nlohmann::json;

// InfluxQL identifiers in double quotes, string literals in single quotes.
std::string quote_identifier(std::string_view s) { return quoted(s, '"'); }
std::string quote_literal(std::string_view s) { return quoted(s, '\''); }

// The "time" of the first row of the first series of one statement's result.
Result<std::optional<int64_t>> time_of(const json& result) {
  if (!result.is_object()) return Status::Unavailable("a result is not an object");
  if (auto e = result.find("error"); e != result.end()) {
    return Status::Unavailable("InfluxDB: " + (e->is_string() ? e->get<std::string>() : e->dump()));
  }
  const auto series = result.find("series");
  if (series == result.end()) return std::optional<int64_t>{};
  if (!series->is_array() || series->empty() || !(*series)[0].is_object()) {
    return Status::Unavailable("\"series\" is not an array of objects");
  }
  const json& s = (*series)[0];
  const auto columns = s.find("columns");
  const auto values = s.find("values");
  if (columns == s.end() || values == s.end() || !columns->is_array() || !values->is_array()) {
    return Status::Unavailable("a series has no \"columns\" or \"values\"");
  }
  size_t col = columns->size();
  for (size_t i = 0; i < columns->size(); ++i) {
    if ((*columns)[i] == "time") col = i;
  }
  if (col == columns->size()) return Status::Unavailable("no \"time\" column");
  if (values->empty()) return std::optional<int64_t>{};
  const json& row = (*values)[0];
  const std::optional<int64_t> time =
      row.is_array() && row.size() > col ? json_integer(row[col], INT64_MIN, INT64_MAX) : std::nullopt;
  if (!time) return Status::Unavailable("the time is not an integer (was epoch=s ignored?)");
  return time;
}

}  // namespace

std::string body_excerpt(const std::string& body, size_t n) {
  std::string out = without_line_breaks(body.substr(0, n));
  if (body.size() > n) out += "...";
  return out;
}

PostVerdict influx_write_verdict(const HttpResponse& r) {
  if (r.status >= 200 && r.status < 300) return {PostOutcome::kAccepted, ""};
  const std::string what = "HTTP " + std::to_string(r.status) + ": " + body_excerpt(r.body);
  switch (r.status) {
    case 400:
      return {PostOutcome::kRejected, "points refused, " + what};
    case 401:
    case 403:
      return {PostOutcome::kRejected, "authentication failed, " + what};
    case 404:
      return {PostOutcome::kRejected, "not found (database or bucket?), " + what};
    default:
      return {PostOutcome::kRetry, "post failed, " + what};
  }
}

Influx1Protocol::Influx1Protocol(BaseUrl url, config::Influx1Config config, const std::string& device,
                                 const std::vector<MeasurementInfo>& measurements)
    : url_(std::move(url)), config_(std::move(config)), lines_(config_.point, device, measurements) {}

void Influx1Protocol::add_auth(HttpRequest& r) const {
  if (!config_.user.empty() && !config_.password.empty()) {
    r.headers.emplace_back("Authorization", "Basic " + base64_encode(config_.user + ":" + config_.password));
  }
}

std::string Influx1Protocol::last_point_query() const {
  std::string q;
  std::vector<std::string> seen;
  for (const InfluxSeries& s : lines_.series()) {
    std::string statement = "SELECT LAST(" + quote_identifier(s.field) + ") FROM " + quote_identifier(s.measurement);
    for (size_t i = 0; i < s.tags.size(); ++i) {
      statement +=
          (i == 0 ? " WHERE " : " AND ") + quote_identifier(s.tags[i].key) + "=" + quote_literal(s.tags[i].value);
    }
    if (std::find(seen.begin(), seen.end(), statement) != seen.end()) continue;
    seen.push_back(statement);
    if (!q.empty()) q += "; ";
    q += statement;
  }
  return q;
}

std::optional<HttpRequest> Influx1Protocol::last_point_request() const {
  HttpRequest r;
  r.method = "POST";
  r.url = url_.str() + "/query";
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = "db=" + url_encode(config_.database) + "&epoch=s";
  if (!config_.retention_policy.empty()) r.body += "&rp=" + url_encode(config_.retention_policy);
  r.body += "&q=" + url_encode(last_point_query());
  add_auth(r);
  return r;
}

Result<std::optional<int64_t>> Influx1Protocol::parse_last_point(const HttpResponse& response) const {
  if (response.status == 401 || response.status == 403) {
    return Status::Unavailable("authentication failed (HTTP " + std::to_string(response.status) + ")");
  }
  if (response.status != 200) {
    return Status::Unavailable("query failed, HTTP " + std::to_string(response.status) + ": " +
                               body_excerpt(response.body));
  }
  const json doc = read_json(response.body).value;  // null when it is not JSON
  const auto results = doc.is_object() ? doc.find("results") : doc.end();
  if (!doc.is_object() || results == doc.end() || !results->is_array()) {
    return Status::Unavailable("query answer is not InfluxDB's {\"results\":[...]}: " + body_excerpt(response.body));
  }
  std::optional<int64_t> newest;
  for (const json& result : *results) {
    auto t = time_of(result);
    if (!t) return Status::Unavailable("query answer: " + t.error());
    if (t.value() && (!newest || *t.value() > *newest)) newest = t.value();
  }
  return newest;
}

HttpRequest Influx1Protocol::post_request(std::span<const IntervalValues> intervals) const {
  HttpRequest r;
  r.method = "POST";
  r.url = url_.str() + "/write?precision=s&db=" + url_encode(config_.database);
  if (!config_.retention_policy.empty()) r.url += "&rp=" + url_encode(config_.retention_policy);
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  add_auth(r);
  r.body = lines_.lines(intervals);
  return r;
}

PostVerdict Influx1Protocol::parse_post_response(const HttpResponse& response) const {
  return influx_write_verdict(response);
}

}  // namespace iw::upload
