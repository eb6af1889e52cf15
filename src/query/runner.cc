#include "query/runner.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "query/series.h"
#include "query/time_zone.h"
#include "query/units.h"

namespace iw::query {
namespace {

using datalog::Record;

constexpr size_t kPieceBytes = 1440;  // the original's chunk size

// "YYYY-MM-DDThh:mm:ss", no zone suffix (clients parse it as the device's local time).
std::string iso_time(const cctz::civil_second& c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d", static_cast<long long>(c.year()), c.month(),
                c.day(), c.hour(), c.minute(), c.second());
  return buf;
}

std::string time_cell(const TimeColumn& column, int64_t t, const TimeZone* zone, bool json) {
  if (column.unix) return std::to_string(t);
  const cctz::civil_second local =
      !column.utc && zone != nullptr ? zone->to_local(t) : cctz::civil_second(1970, 1, 1, 0, 0, 0) + t;
  return json ? "\"" + iso_time(local) + "\"" : iso_time(local);
}

// The original prints an empty field for an unknown `missing` value; in JSON that is not
// JSON (`[1,,2]`, found by fuzz/query_parser_fuzz), so JSON gets null there.
std::string missing_text(Missing missing, bool json) {
  switch (missing) {
    case Missing::kZero:
      return "0";
    case Missing::kEmpty:
      return json ? "null" : "";
    case Missing::kNull:
    case Missing::kSkip:
      return "null";
  }
  return "null";
}

// Renders the document shape around the rows and hands it to the sink in pieces.
class Output {
 public:
  Output(const QueryPlan& plan, const QuerySink& sink)
      : plan_(plan), sink_(sink), json_(plan.request.format == Format::kJson) {}

  void start() {
    const auto& columns = plan_.request.columns;
    if (json_ && plan_.request.header) {
      nlohmann::json labels = nlohmann::json::array();
      for (const auto& c : columns) labels.push_back(column_label(c));
      write("{\"range\":[" + std::to_string(plan_.begin) + "," + std::to_string(plan_.end) +
            "],\"labels\":" + labels.dump() + ",\r\n\"data\":[");
    } else if (json_) {
      write("[");
    } else if (plan_.request.header) {
      std::string line;
      for (const auto& c : columns) line += (line.empty() ? "" : ", ") + column_label(c);
      write(line + "\r\n");
    }
  }

  void row(const std::vector<std::string>& cells) {
    std::string line;
    if (rows_ > 0) line = json_ ? "," : "\r\n";
    if (json_) line += "[";
    for (size_t k = 0; k < cells.size(); ++k) {
      if (k > 0) line += json_ ? "," : ", ";
      line += cells[k];
    }
    if (json_) line += "]";
    write(line);
    ++rows_;
  }

  // `limit_at`: start of the first row the limit cut off.
  void finish(std::optional<int64_t> limit_at) {
    if (json_) {
      write("]");
      if (plan_.request.header) {
        if (limit_at) write(",\"limit\":" + std::to_string(*limit_at));
        write("}");
      }
    } else if (limit_at) {
      write("\r\nLimit exceeded at " + std::to_string(*limit_at));
    }
    flush();
  }

  bool json() const { return json_; }
  // The sink refused a piece: nothing more is wanted.
  bool stopped() const { return stopped_; }

 private:
  void write(const std::string& text) {
    buffer_ += text;
    if (buffer_.size() >= kPieceBytes) flush();
  }
  void flush() {
    if (!buffer_.empty() && !stopped_) stopped_ = !sink_(buffer_);
    buffer_.clear();
  }

  const QueryPlan& plan_;
  const QuerySink& sink_;
  const bool json_;
  std::string buffer_;
  int64_t rows_ = 0;
  bool stopped_ = false;
};

bool reads_records(const QueryRequest& request) {
  for (const auto& c : request.columns) {
    if (std::holds_alternative<SeriesColumn>(c)) return true;
  }
  return false;
}

std::vector<std::string> cells_of(const QueryPlan& plan, int64_t t, const Interval& interval, bool json) {
  std::vector<std::string> cells;
  for (const auto& c : plan.request.columns) {
    if (const auto* tc = std::get_if<TimeColumn>(&c)) {
      cells.push_back(time_cell(*tc, t, plan.zone, json));
      continue;
    }
    const auto& sc = std::get<SeriesColumn>(c);
    const std::optional<double> v = sc.series->value(interval, sc.unit);
    cells.push_back(v ? format_value(*v, sc.decimals) : missing_text(plan.request.missing, json));
  }
  return cells;
}

}  // namespace

Status run_query(const QueryPlan& plan, const RecordSource& source, const QuerySink& sink) {
  Output out(plan, sink);
  const bool reads = reads_records(plan.request);
  std::optional<Record> newer;
  if (reads) {
    auto r = source.at_or_before(plan.begin);
    if (!r.ok()) return r.status();
    newer = std::move(r.value());
  }
  out.start();
  std::optional<int64_t> limit_at;
  int64_t rows = 0;
  for (int64_t t = plan.begin; t < plan.end;) {
    if (plan.request.limit && rows >= *plan.request.limit) {
      limit_at = t;
      break;
    }
    int64_t next = plan.next_boundary ? plan.next_boundary(t) : plan.end;
    if (next > plan.end) next = plan.end;
    if (next <= t) break;  // a grouping that does not advance would never end
    // The newer record of one group is the older record of the next: one read per boundary.
    std::optional<Record> older = std::move(newer);
    newer.reset();
    if (reads) {
      auto r = source.at_or_before(next);
      if (!r.ok()) return r.status();
      newer = std::move(r.value());
    }
    const Interval interval{older ? &*older : nullptr, newer ? &*newer : nullptr};
    const bool missing = reads && !(interval.hours() > 0);
    if (!(missing && plan.request.missing == Missing::kSkip)) {
      out.row(cells_of(plan, t, interval, out.json()));
      ++rows;
      if (out.stopped()) return Status::Unavailable("the receiver went away after " + std::to_string(rows) + " rows");
    }
    t = next;
  }
  out.finish(limit_at);
  return Status::Ok();
}

std::string_view content_type(const QueryRequest& request) {
  if (request.download) return "application/octet-stream";
  return request.format == Format::kCsv ? "text/plain" : "application/json";
}

}  // namespace iw::query
