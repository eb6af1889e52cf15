// GET /query and /feed/data.json from arguments to answer: the one entry point that the HTTP API
// and `iotawatt query` share, so both print the same bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "query/record_source.h"
#include "query/request.h"
#include "query/runner.h"
#include "query/series.h"
#include "query/tariff_engine.h"
#include "query/time_zone.h"

namespace iw::query {

// What a query runs against. Everything pointed to must outlive the answer's stream.
struct QueryEnvironment {
  const SeriesCatalog* catalog = nullptr;
  const TimeZone* zone = nullptr;
  const RecordSource* records = nullptr;
  int64_t now = 0;                       // UNIX seconds: relative times count from here
  const TariffEngine* tariff = nullptr;  // the config's first tariff (/energy); null: none
};

struct QueryAnswer {
  int status = 200;  // 400: malformed query, `body` says why
  std::string content_type;
  std::string body;  // the whole answer, unless `stream` is set
  // A select query's rows, produced in pieces on demand. Fails only on a read error (the
  // answer is then cut short).
  std::function<Status(const QuerySink&)> stream;
};

// Answers /query?show=series or /query?select=... The errors are the original's: 400, text/plain,
// {"error":"invalid query. <reason>"}.
QueryAnswer answer_query(const QueryArgs& args, const QueryEnvironment& env);

// Answers /feed/data.json; a bad request is 400 `Invalid request`.
QueryAnswer answer_feed(const QueryArgs& args, const QueryEnvironment& env);

// Splits "a=1&b=x%20y" into percent-decoded pairs ('+' is a space, as in a form). A malformed
// %XX is kept as written.
QueryArgs parse_query_string(std::string_view text);

}  // namespace iw::query
