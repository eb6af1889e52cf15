// The legacy Emoncms-style graph API of the original's first graph page (firmware reference
// 5.3): /feed/list.json and /feed/data.json, for inputs (I...) and outputs (O...).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "query/record_source.h"
#include "query/request.h"
#include "query/runner.h"
#include "query/series.h"

namespace iw::query {

// The body of /feed/list.json: per active input, in channel order, a VT gives
// {"id":"IV<name>","tag":"Voltage","name":"<name>"} and a CT gives "IP<name>" ("Power") and
// "IE<name>" ("Energy"); then per output whose name has no space, "OV<name>" ("Voltage") for
// Volts, "OP<name>" ("Power") and "OE<name>" ("Energy") for Watts, else "OO<name>" ("Outputs").
std::string feed_list_json(const SeriesCatalog& catalog);

struct FeedRequest {
  std::vector<std::string> ids;  // as requested: "IPMain", "IVVoltage", ...
  int64_t start = 0, end = 0;    // UNIX seconds
  int64_t interval = 0;          // seconds between rows
};

// Parses /feed/data.json arguments: id=<ids>[ in brackets], start, end (UNIX seconds or
// milliseconds: the first 10 characters count), and interval=<s> or
// mode=daily|weekly|monthly|yearly (1, 7, 30, 365 days). Other arguments are ignored. Fails
// with "Invalid request" unless start, end and interval are multiples of 5, interval > 0,
// end >= start and (end - start) / interval <= 2000.
Result<FeedRequest> parse_feed_request(const QueryArgs& args);

// Writes the JSON array of rows, one per time T from start to end inclusive in steps of
// interval, each with one value per id in request order, valued between the records at
// T - interval and T (one read per row): IV and IP the input's default unit (Volts of a VT,
// Watts of a CT) with 1 decimal, IE the cumulative kWh of the counters at T with 3 decimals;
// OV and OP the output in Volts and Watts (1 decimal), OE its kWh from the counters' origin
// (3 decimals), OO its own units with its script precision. null for an unknown id, a step
// with no monitored time, or a non-finite value. No timestamps: the client rebuilds them.
Status run_feed(const FeedRequest& request, const SeriesCatalog& catalog, const RecordSource& source,
                const QuerySink& sink);

}  // namespace iw::query
