#include "query/request.h"

#include <algorithm>
#include <string_view>

#include "base/strings.h"

namespace iw::query {
namespace {

// The first value of argument `name`, or nullptr.
const std::string* arg(const QueryArgs& args, std::string_view name) {
  for (const auto& [key, value] : args) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t from = 0;
  while (true) {
    const size_t at = s.find(sep, from);
    const size_t n = at == std::string_view::npos ? std::string_view::npos : at - from;
    parts.push_back(s.substr(from, n));
    if (at == std::string_view::npos) return parts;
    from = at + 1;
  }
}

Status apply_time_method(const std::string& method, TimeColumn* column) {
  if (method == "local") {
    column->utc = false;
  } else if (method == "utc") {
    column->utc = true;
  } else if (method == "iso") {
    column->unix = false;
  } else if (method == "unix") {
    column->unix = true;
  } else {
    return Status::InvalidArgument("invalid time method: " + method);
  }
  return Status::Ok();
}

// `method` is ".dN" with one digit N.
std::optional<int> decimals_method(const std::string& method) {
  if (method.size() == 2 && method[0] == 'd' && is_digit(method[1])) {
    return method[1] - '0';
  }
  return std::nullopt;
}

int default_decimals(Unit unit) {
  return unit == Unit::kWatts || unit == Unit::kVolts ? query_default_decimals(unit) : script_precision(unit);
}

Result<Column> parse_column(std::string_view text, const SeriesCatalog& catalog) {
  const auto parts = split(text, '.');
  const std::string_view name = parts[0];
  if (lower(name) == "time") {
    TimeColumn column;
    for (size_t k = 1; k < parts.size(); ++k) {
      Status st = apply_time_method(lower(parts[k]), &column);
      if (!st.ok()) return st;
    }
    return Column(column);
  }
  SeriesColumn column;
  // An integrator's parts are series named "grid.pos", "grid.neg", "grid.net".
  size_t first_method = 1;
  if (parts.size() > 1) {
    column.series = catalog.find(std::string(name) + "." + std::string(parts[1]));
    if (column.series != nullptr) first_method = 2;
  }
  if (column.series == nullptr) column.series = catalog.find(name);
  if (column.series == nullptr) return Status::InvalidArgument("Invalid series: " + std::string(name));
  column.unit = column.series->unit();
  column.decimals = column.series->default_decimals().value_or(default_decimals(column.unit));
  std::optional<int> decimals;
  for (size_t k = first_method; k < parts.size(); ++k) {
    const std::string method = lower(parts[k]);
    auto unit = unit_of_method(method);
    if (unit && column.series->takes_unit(*unit)) {
      column.unit = *unit;
      column.decimals = query_default_decimals(*unit);
    } else if (auto d = decimals_method(method)) {
      decimals = d;
    } else {
      return Status::InvalidArgument("Invalid series method: " + method);
    }
  }
  if (decimals) column.decimals = *decimals;
  return Column(column);
}

Result<std::vector<Column>> parse_select(const std::string* select, const SeriesCatalog& catalog) {
  if (select == nullptr || select->size() < 2 || select->front() != '[' || select->back() != ']') {
    return Status::InvalidArgument("select not an array []");
  }
  std::vector<Column> columns;
  const std::string_view list = std::string_view(*select).substr(1, select->size() - 2);
  for (std::string_view item : split(list, ',')) {
    auto column = parse_column(item, catalog);
    if (!column.ok()) return column.status();
    columns.push_back(std::move(column.value()));
  }
  return columns;
}

// "N" with N >= 1, or "none".
Result<std::optional<int64_t>> parse_limit(const std::string& text) {
  if (text == "none") return std::optional<int64_t>();
  const Status invalid = Status::InvalidArgument("Invalid limit");
  if (text.empty() || text.size() > 12) return invalid;
  int64_t n = 0;
  for (char c : text) {
    if (!is_digit(c)) return invalid;
    n = n * 10 + (c - '0');
  }
  if (n == 0) return invalid;
  return std::optional<int64_t>(n);
}

Status parse_options(const QueryArgs& args, QueryRequest* request) {
  if (const std::string* v = arg(args, "resolution")) {
    if (*v == "high") {
      request->resolution = Resolution::kHigh;
    } else if (*v != "low") {
      return Status::InvalidArgument("Invalid resolution");
    }
  }
  if (const std::string* v = arg(args, "format")) {
    if (*v == "csv") {
      request->format = Format::kCsv;
    } else if (*v != "json") {
      return Status::InvalidArgument("Invalid format");
    }
  }
  if (const std::string* v = arg(args, "limit")) {
    auto limit = parse_limit(*v);
    if (!limit.ok()) return limit.status();
    request->limit = limit.value();
  }
  if (const std::string* v = arg(args, "header")) request->header = *v == "yes";
  if (const std::string* v = arg(args, "missing")) {
    request->missing = *v == "null"   ? Missing::kNull
                       : *v == "zero" ? Missing::kZero
                       : *v == "skip" ? Missing::kSkip
                                      : Missing::kEmpty;
  }
  request->download = arg(args, "download") != nullptr;
  return Status::Ok();
}

}  // namespace

std::string column_label(const Column& column) {
  if (const auto* s = std::get_if<SeriesColumn>(&column)) return s->series->name();
  return "Time";
}

Result<QueryKind> query_kind(const QueryArgs& args) {
  if (const std::string* show = arg(args, "show")) {
    if (*show == "series") return QueryKind::kShowSeries;
    return Status::InvalidArgument("unspecified");
  }
  if (arg(args, "select") == nullptr) return Status::InvalidArgument("select not an array []");
  return QueryKind::kSelect;
}

Result<QueryRequest> parse_query_request(const QueryArgs& args, const SeriesCatalog& catalog) {
  QueryRequest request;
  const std::string* begin = arg(args, "begin");
  const std::string* end = arg(args, "end");
  if (begin == nullptr || end == nullptr) return Status::InvalidArgument("Missing begin, end or group.");
  request.begin = *begin;
  request.end = *end;
  if (const std::string* group = arg(args, "group")) request.group = *group;
  Status st = parse_options(args, &request);
  if (!st.ok()) return st;
  auto columns = parse_select(arg(args, "select"), catalog);
  if (!columns.ok()) return columns.status();
  request.columns = std::move(columns.value());
  return request;
}

}  // namespace iw::query
