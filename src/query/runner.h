// Runs a parsed select query: reads one record per group boundary and renders the rows as JSON
// or CSV (firmware reference 5.2, "Row generation" and "Output shapes"), in pieces, so the
// HTTP layer can stream a long answer without holding it.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "base/status.h"
#include "query/record_source.h"
#include "query/request.h"

namespace iw::query {

class TimeZone;

struct QueryPlan {
  QueryRequest request;
  // UNIX seconds, already rounded to 5 s (begin up, end down). REQUIRES: begin <= end.
  int64_t begin = 0, end = 0;
  // The start of the group after the one starting at t (the grouping's nextGroup). Results
  // past `end` are clipped to it; a result not after t ends the query there.
  std::function<int64_t(int64_t)> next_boundary;
  // Zone of .local time columns; null means UTC. Must outlive the run.
  const TimeZone* zone = nullptr;
};

// Receives the body in order, in pieces of about 1.4 KB (the last may be shorter). Returns false
// when the receiver went away: the query stops there (a client that disconnects from a long
// answer frees its server thread).
using QuerySink = std::function<bool(std::string_view)>;

// Writes the answer to `plan` to `sink`. Rows are groups [t, next_boundary(t)) from begin while
// t < end, each valued from the records at its two ends; a row's time columns show t. A group
// with no monitored time prints null / 0 / nothing per request.missing. After `limit` rows the
// output stops and says where the next row would have started. Only time columns: no reads.
// When the sink returns false the query stops and says so in the returned error.
// On a read error the error is returned: when the first read fails nothing has been written
// (the HTTP layer can still answer with an error status); later, the body written so far is
// incomplete and the HTTP layer can only close the stream.
Status run_query(const QueryPlan& plan, const RecordSource& source, const QuerySink& sink);

// "application/octet-stream" when the request has `download`, else "text/plain" for CSV and
// "application/json" for JSON.
std::string_view content_type(const QueryRequest& request);

}  // namespace iw::query
