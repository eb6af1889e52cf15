#include "upload/pvoutput.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "base/strings.h"

namespace iw::upload {
namespace {

using config::PvoutputField;

constexpr int kMaxField = 12;

std::string excerpt(std::string_view body) {
  std::string out(body.substr(0, 80));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return body.size() > 80 ? out + "..." : out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Parses all of `s` as a non-negative decimal integer of at most `digits` digits.
std::optional<int64_t> whole_number(std::string_view s, size_t digits) {
  if (s.empty() || s.size() > digits) return std::nullopt;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// "yyyymmdd" and "hh:mm" as a local time; nullopt when either is not a real date or time.
std::optional<cctz::civil_second> local_stamp(std::string_view date, std::string_view time) {
  if (date.size() != 8 || time.size() != 5 || time[2] != ':') return std::nullopt;
  const auto y = whole_number(date.substr(0, 4), 4);
  const auto mo = whole_number(date.substr(4, 2), 2);
  const auto d = whole_number(date.substr(6, 2), 2);
  const auto h = whole_number(time.substr(0, 2), 2);
  const auto mi = whole_number(time.substr(3, 2), 2);
  if (!y || !mo || !d || !h || !mi || *y < 1970) return std::nullopt;
  const cctz::civil_second t(static_cast<int>(*y), static_cast<int>(*mo), static_cast<int>(*d), static_cast<int>(*h),
                             static_cast<int>(*mi), 0);
  // civil_second normalises (month 13 is next January): a real stamp survives unchanged.
  if (t.year() != *y || t.month() != *mo || t.day() != *d || t.hour() != *h || t.minute() != *mi) return std::nullopt;
  return t;
}

// Splits on `sep`, keeping empty items.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// The answer to addbatchstatus.jsp per the API: "yyyymmdd,hh:mm,<0|1>" per status, ';'
// separated (1 added, 0 not added). Returns how many were not added, or nullopt when the
// body is not such a list.
std::optional<size_t> batch_echo_not_added(std::string_view body) {
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
  if (body.empty()) return std::nullopt;
  size_t not_added = 0;
  for (std::string_view entry : split(body, ';')) {
    const auto items = split(entry, ',');
    if (items.size() != 3 || !local_stamp(items[0], items[1]) || (items[2] != "0" && items[2] != "1"))
      return std::nullopt;
    if (items[2] == "0") ++not_added;
  }
  return not_added;
}

// The original's message, "Resume at hh:mm" (local), from X-Rate-Limit-Reset (UNIX time).
PostVerdict rate_limit_verdict(const HttpResponse& r, const query::TimeZone& zone) {
  std::string resume = "within the hour";
  if (auto t = rate_limit_reset(r)) {
    const cctz::civil_second local = zone.to_local(*t);
    resume = fmt::format("at {:02}:{:02}", local.hour(), local.minute());
  }
  return {PostOutcome::kRetry, fmt::format("Transaction Rate-Limit exceeded ({}). Resume {}", excerpt(r.body), resume)};
}

PostVerdict bad_request_verdict(const HttpResponse& r) {
  const std::string what = fmt::format("PVOutput answered HTTP 400: {}", excerpt(r.body));
  if (contains(r.body, "Load in progress")) return {PostOutcome::kRetry, what};
  // "Date is older than N days", "Date is in the future", "Moon Powered" (generation at
  // night) and other 400s refuse these statuses for good: sending them again cannot help.
  return {PostOutcome::kRejected, what};
}

}  // namespace

std::optional<std::string> find_header(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (equals_ignore_case(k, name)) {
      return v;
    }
  }
  return std::nullopt;
}

bool is_rate_limit_answer(const HttpResponse& r) {
  return r.status == 403 && contains(r.body, "Exceeded") && contains(r.body, "requests per hour");
}

std::optional<int64_t> rate_limit_reset(const HttpResponse& r) {
  const auto v = find_header(r, "X-Rate-Limit-Reset");
  return v ? whole_number(*v, 11) : std::nullopt;
}

Result<std::unique_ptr<PvoutputProtocol>> PvoutputProtocol::create(const config::PvoutputSettings& settings,
                                                                   std::shared_ptr<const query::TimeZone> zone) {
  if (!zone) return Status::InvalidArgument("pvoutput: no time zone given (PVOutput statuses are in local time)");
  std::vector<PvoutputColumn> columns;
  for (size_t i = 0; i < settings.outputs.size(); ++i) {
    const config::PvoutputOutput& o = settings.outputs[i];
    switch (o.field) {
      case PvoutputField::kGeneration:
      case PvoutputField::kConsumption: {
        const int energy = o.field == PvoutputField::kGeneration ? 1 : 3;
        columns.push_back({i, query::Unit::kWh, PvoutputSpan::kSinceLocalMidnight, energy});
        columns.push_back({i, query::Unit::kWatts, PvoutputSpan::kInterval, energy + 1});
        break;
      }
      case PvoutputField::kVoltage:
        columns.push_back({i, query::Unit::kVolts, PvoutputSpan::kInterval, 6});
        break;
      case PvoutputField::kExtended: {
        const auto unit = query::parse_unit_name(o.output.units);
        if (!unit) {
          return Status::InvalidArgument(
              fmt::format("pvoutput.outputs[{}].units: \"{}\" is not a unit (Watts, Volts, Amps, VA, "
                          "VAh, Hz, Wh, kWh, PF, VAR, VARh)",
                          i, o.output.units));
        }
        // v7..v12 are a donation feature: without donation mode they are not sent at all.
        if (settings.donation) columns.push_back({i, *unit, PvoutputSpan::kInterval, 6 + o.extended});
        break;
      }
    }
  }
  std::sort(columns.begin(), columns.end(), [](const auto& a, const auto& b) { return a.field < b.field; });
  return std::unique_ptr<PvoutputProtocol>(new PvoutputProtocol(settings, std::move(zone), std::move(columns)));
}

PvoutputProtocol::PvoutputProtocol(config::PvoutputSettings settings, std::shared_ptr<const query::TimeZone> zone,
                                   std::vector<PvoutputColumn> columns)
    : settings_(std::move(settings)), zone_(std::move(zone)), columns_(std::move(columns)) {}

HttpRequest PvoutputProtocol::request(std::string_view service, std::string body) const {
  HttpRequest r;
  r.url = fmt::format("{}/service/r2/{}", settings_.url, service);
  r.headers = {{"X-Pvoutput-Apikey", settings_.apikey},
               {"X-Pvoutput-SystemId", settings_.systemid},
               {"X-Rate-Limit", "1"},
               {"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = std::move(body);
  return r;
}

std::optional<HttpRequest> PvoutputProtocol::last_point_request() const { return request("getstatus.jsp", ""); }

Result<std::optional<int64_t>> PvoutputProtocol::parse_last_point(const HttpResponse& response) const {
  if (response.status == 400 && contains(response.body, "No status")) return std::optional<int64_t>();
  if (response.status != 200) {
    return Status::Unavailable(
        fmt::format("PVOutput answered HTTP {} to getstatus.jsp: {}", response.status, excerpt(response.body)));
  }
  const auto items = split(split(response.body, ';').front(), ',');
  const auto stamp = items.size() >= 2 ? local_stamp(items[0], items[1]) : std::nullopt;
  if (!stamp) {
    return Status::Unavailable(
        fmt::format("getstatus.jsp: the answer does not start with yyyymmdd,hh:mm: {}", excerpt(response.body)));
  }
  return std::optional<int64_t>(zone_->to_utc(*stamp));
}

std::string PvoutputProtocol::status_entry(const IntervalValues& interval) const {
  std::array<std::optional<double>, kMaxField + 1> value{};
  int last_field = 6;  // v1..v6 are always written
  for (size_t i = 0; i < columns_.size() && i < interval.values.size(); ++i) {
    const auto& v = interval.values[i];
    if (v && std::isfinite(*v)) value[static_cast<size_t>(columns_[i].field)] = *v;
    last_field = std::max(last_field, columns_[i].field);
  }
  std::array<std::string, kMaxField + 1> text{};
  for (size_t energy : {1u, 3u}) {  // energy and power written together or not at all
    const auto& e = value[energy];
    const auto& p = value[energy + 1];
    if (e && p && *e >= 0 && *p >= 0) {
      text[energy] = query::format_value(*e, 0);
      text[energy + 1] = query::format_value(*p, 0);
    }
  }
  if (value[6]) text[6] = fmt::format("{:.1f}", *value[6]);
  for (const PvoutputColumn& c : columns_) {
    const auto f = static_cast<size_t>(c.field);
    if (f >= 7 && value[f]) text[f] = query::format_value(*value[f], query::script_precision(c.unit));
  }
  const cctz::civil_second local = zone_->to_local(interval.begin);
  std::string out = fmt::format("{:04}{:02}{:02},{:02}:{:02}", local.year(), local.month(), local.day(), local.hour(),
                                local.minute());
  for (int f = 1; f <= last_field; ++f) out += "," + text[static_cast<size_t>(f)];
  return out;
}

HttpRequest PvoutputProtocol::post_request(std::span<const IntervalValues> intervals) const {
  std::string data = "data=";
  for (size_t i = 0; i < intervals.size(); ++i) data += (i == 0 ? "" : ";") + status_entry(intervals[i]);
  return request("addbatchstatus.jsp", std::move(data));
}

PostVerdict PvoutputProtocol::parse_post_response(const HttpResponse& response) const {
  switch (response.status) {
    case 200:
      break;
    case 400:
      return bad_request_verdict(response);
    case 401:
      return {PostOutcome::kRejected,
              fmt::format("PVOutput refused the API key or system id (HTTP 401: {})", excerpt(response.body))};
    case 403:
      if (is_rate_limit_answer(response)) return rate_limit_verdict(response, *zone_);
      return {PostOutcome::kRejected, fmt::format("PVOutput answered HTTP 403: {}", excerpt(response.body))};
    default:
      return {PostOutcome::kRetry,
              fmt::format("PVOutput answered HTTP {}: {}", response.status, excerpt(response.body))};
  }
  if (response.body.starts_with("OK 200")) return {PostOutcome::kAccepted, ""};
  if (auto not_added = batch_echo_not_added(response.body)) {
    // Not added = PVOutput already holds a status at that time (or ignored it): it is done.
    return {PostOutcome::kAccepted,
            *not_added == 0 ? "" : fmt::format("PVOutput did not add {} of the statuses", *not_added)};
  }
  return {PostOutcome::kRetry, "Invalid response: " + excerpt(response.body)};
}

HttpRequest PvoutputProtocol::system_request() const { return request("getsystem.jsp", "donations=1"); }

Result<PvoutputSystem> PvoutputProtocol::parse_system(const HttpResponse& response) const {
  if (response.status != 200) {
    return Status::Unavailable(
        fmt::format("PVOutput answered HTTP {} to getsystem.jsp: {}", response.status, excerpt(response.body)));
  }
  const auto sections = split(response.body, ';');
  const auto items = split(sections.front(), ',');
  const auto minutes = items.size() > 15 ? whole_number(items[15], 2) : std::nullopt;
  if (!minutes || *minutes == 0 || 60 % *minutes != 0) {
    return Status::Unavailable(
        fmt::format("getsystem.jsp: item 15 (status interval, minutes) is missing or not a divisor of "
                    "an hour: {}",
                    excerpt(response.body)));
  }
  PvoutputSystem s;
  s.status_interval_s = static_cast<int>(*minutes) * 60;
  if (sections.size() > 2) {
    const auto flag = whole_number(split(sections[2], ',').front(), 9);
    s.donation = flag && *flag != 0;
  }
  return s;
}

}  // namespace iw::upload
