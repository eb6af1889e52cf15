// The arguments of GET /query, parsed and checked (firmware reference 5.1, 5.2).
//
// Time specifiers (`begin`, `end`) and `group` are kept as raw strings here: time_zone.h's
// companions parse them. Errors are Statuses whose message is exactly the original's reason,
// so the HTTP layer can answer 400 {"error":"invalid query. <reason>"}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"
#include "query/series.h"
#include "query/units.h"

namespace iw::query {

// Query-string arguments, already percent-decoded, in request order. When a name repeats, the
// first one counts (as the original's web server does).
using QueryArgs = std::vector<std::pair<std::string, std::string>>;

enum class QueryKind { kShowSeries, kSelect };

// show=series or a select query. Fails with "unspecified" for any other `show` value, and
// with "select not an array []" when there is neither `show` nor `select`.
Result<QueryKind> query_kind(const QueryArgs& args);

enum class Format { kJson, kCsv };
// What a value of a group without data prints: null, 0, nothing (the row is left out), or an
// empty field (any other `missing` value, as the original; in JSON null, since an empty JSON
// field is not JSON).
enum class Missing { kNull, kZero, kSkip, kEmpty };
enum class Resolution { kLow, kHigh };

// time[.local|.utc][.iso|.unix]: the start of the group.
struct TimeColumn {
  bool utc = false;   // else local time
  bool unix = false;  // UNIX seconds, else YYYY-MM-DDThh:mm:ss
};

// name[.<unit>][.dN]
struct SeriesColumn {
  const Series* series = nullptr;  // owned by the catalog the request was parsed with
  Unit unit = Unit::kWatts;
  int decimals = 1;
};

using Column = std::variant<TimeColumn, SeriesColumn>;

// Header label of a column: "Time" or the series name.
std::string column_label(const Column& column);

struct QueryRequest {
  std::string begin, end;
  std::string group = "auto";  // a missing group means auto (fix of firmware reference 14.6)
  Format format = Format::kJson;
  bool header = false;
  Missing missing = Missing::kNull;
  Resolution resolution = Resolution::kLow;
  std::optional<int64_t> limit = 1000;  // rows; nullopt: limit=none
  bool download = false;                // a `download` argument is present
  std::vector<Column> columns;
};

// Parses a select query. Checks, in this order (the first failure is returned):
//   begin and end present        "Missing begin, end or group."
//   resolution low|high          "Invalid resolution"
//   format json|csv              "Invalid format"
//   limit N (N >= 1) | none      "Invalid limit"
//   select=[col,...]             "select not an array []", "Invalid series: X",
//                                "invalid time method: X", "Invalid series method: X"
// Column names are case-sensitive except `time`; methods are not. A series column without a
// unit method has the series' unit; without .dN the decimals are query_default_decimals() for
// Watts and Volts and script_precision() for other units (the original leaves them undefined;
// an explicit unit method uses query_default_decimals()).
// The result points into `catalog`, which must outlive it.
Result<QueryRequest> parse_query_request(const QueryArgs& args, const SeriesCatalog& catalog);

}  // namespace iw::query
