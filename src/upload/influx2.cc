#include "upload/influx2.h"

#include <charconv>
#include <cstdint>

#include "upload/influx1.h"

namespace iw::upload {
namespace {

// A Flux string literal ("${" would interpolate).
std::string flux_string(std::string_view s) { return quoted(s, '"', "$"); }

std::vector<std::string_view> split_csv_line(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      cells.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return cells;
}

}  // namespace

Result<std::optional<int64_t>> newest_time_in_flux_csv(const std::string& csv) {
  std::optional<int64_t> newest;
  constexpr size_t kNoHeader = SIZE_MAX;
  size_t time_col = kNoHeader;  // of the current table's header
  size_t pos = 0;
  while (pos < csv.size()) {
    size_t eol = csv.find('\n', pos);
    if (eol == std::string::npos) eol = csv.size();
    std::string_view line(csv.data() + pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {  // a blank line ends a table; the next one has its own header
      time_col = kNoHeader;
      continue;
    }
    if (line.front() == '#') continue;  // annotations
    const auto cells = split_csv_line(line);
    if (time_col == kNoHeader) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] == "_time") time_col = i;
      }
      if (time_col == kNoHeader)
        return Status::Unavailable("Flux answer has no _time column: " + body_excerpt(std::string(line)));
      continue;
    }
    if (time_col >= cells.size())
      return Status::Unavailable("Flux answer row is short: " + body_excerpt(std::string(line)));
    const std::string_view cell = cells[time_col];
    int64_t t = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), t);
    if (ec != std::errc() || end != cell.data() + cell.size()) {
      return Status::Unavailable("Flux answer _time \"" + std::string(cell) + "\" is not integer seconds");
    }
    if (!newest || t > *newest) newest = t;
  }
  return newest;
}

Influx2Protocol::Influx2Protocol(BaseUrl url, config::Influx2Config config, const std::string& device,
                                 const std::vector<MeasurementInfo>& measurements)
    : url_(std::move(url)), config_(std::move(config)), lines_(config_.point, device, measurements) {
  // The original accepts .../api/v2 as the base and strips it.
  if (url_.path.ends_with("/api/v2")) url_.path.resize(url_.path.size() - 7);
}

std::string Influx2Protocol::last_point_flux() const {
  std::string filter;
  for (const InfluxSeries& s : lines_.series()) {
    std::string cond = "(r._measurement == " + flux_string(s.measurement);
    for (const config::InfluxTag& t : s.tags) cond += " and r[" + flux_string(t.key) + "] == " + flux_string(t.value);
    cond += " and r._field == " + flux_string(s.field) + ")";
    if (filter.find(cond) != std::string::npos) continue;
    if (!filter.empty()) filter += " or ";
    filter += cond;
  }
  return "from(bucket: " + flux_string(config_.bucket) +
         ")\n"
         "  |> range(start: 0)\n"
         "  |> filter(fn: (r) => " +
         filter +
         ")\n"
         "  |> last()\n"
         "  |> map(fn: (r) => ({_measurement: r._measurement, _time: uint(v: r._time) / uint(v: 1000000000)}))\n"
         "  |> group()\n"
         "  |> sort(columns: [\"_time\"], desc: true)\n";
}

std::optional<HttpRequest> Influx2Protocol::last_point_request() const {
  HttpRequest r;
  r.method = "POST";
  r.url = url_.str() + "/api/v2/query?orgID=" + url_encode(config_.orgid);
  r.headers.emplace_back("Authorization", "Token " + config_.token);
  r.headers.emplace_back("Content-Type", "application/vnd.flux");
  r.headers.emplace_back("Accept", "application/csv");
  r.body = last_point_flux();
  return r;
}

Result<std::optional<int64_t>> Influx2Protocol::parse_last_point(const HttpResponse& response) const {
  if (response.status == 401 || response.status == 403) {
    return Status::Unavailable("authentication failed (HTTP " + std::to_string(response.status) + ")");
  }
  if (response.status != 200) {
    return Status::Unavailable("last point query failed, HTTP " + std::to_string(response.status) + ": " +
                               body_excerpt(response.body));
  }
  return newest_time_in_flux_csv(response.body);
}

HttpRequest Influx2Protocol::post_request(std::span<const IntervalValues> intervals) const {
  HttpRequest r;
  r.method = "POST";
  r.url = url_.str() + "/api/v2/write?precision=s&orgID=" + url_encode(config_.orgid) +
          "&bucket=" + url_encode(config_.bucket);
  r.headers.emplace_back("Authorization", "Token " + config_.token);
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.body = lines_.lines(intervals);
  return r;
}

PostVerdict Influx2Protocol::parse_post_response(const HttpResponse& response) const {
  return influx_write_verdict(response);
}

}  // namespace iw::upload
