#include "query/feed.h"

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "query/output_series.h"
#include "query/units.h"

namespace iw::query {
namespace {

using datalog::Record;

constexpr int64_t kMaxRows = 2000;
constexpr size_t kPieceBytes = 1440;

const std::string* arg(const QueryArgs& args, std::string_view name) {
  for (const auto& [key, value] : args) {
    if (key == name) return &value;
  }
  return nullptr;
}

// Digits of a UNIX time in seconds or milliseconds: the first 10 characters.
std::optional<int64_t> parse_time(const std::string& text) {
  const std::string_view digits = std::string_view(text).substr(0, 10);
  if (digits.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<int64_t> parse_interval(const QueryArgs& args) {
  if (const std::string* mode = arg(args, "mode")) {
    if (*mode == "daily") return 86400;
    if (*mode == "weekly") return 7 * 86400;
    if (*mode == "monthly") return 30 * 86400;
    if (*mode == "yearly") return 365 * 86400;
    return std::nullopt;
  }
  const std::string* interval = arg(args, "interval");
  if (interval == nullptr || interval->empty() || interval->size() > 10) return std::nullopt;
  return parse_time(*interval);
}

std::vector<std::string> parse_ids(std::string_view list) {
  if (list.size() >= 2 && list.front() == '[' && list.back() == ']') {
    list = list.substr(1, list.size() - 2);
  }
  std::vector<std::string> ids;
  size_t from = 0;
  while (from <= list.size()) {
    size_t comma = list.find(',', from);
    if (comma == std::string_view::npos) comma = list.size();
    ids.emplace_back(list.substr(from, comma - from));
    from = comma + 1;
  }
  return ids;
}

// What one id reads: a series and how to show it.
struct FeedColumn {
  const Series* series = nullptr;  // null: unknown id, always null
  Unit unit = Unit::kWatts;
  int decimals = 1;
  bool cumulative = false;  // IE, OE: the total since the counters started
};

FeedColumn input_column(char kind, const InputSeries* input) {
  // As the original, the letter after 'I' picks the formula, not a check of the input's kind:
  // V and P both give the rate of the first counter (Volts of a VT, Watts of a CT).
  switch (kind) {
    case 'V':
    case 'P':
      return {input, input->unit(), 1, false};
    case 'E':
      return {input, Unit::kKWh, 3, true};
    default:
      return {};
  }
}

FeedColumn output_column(char kind, const OutputSeries* output) {
  switch (kind) {
    case 'V':
      return {output, Unit::kVolts, 1, false};
    case 'P':
      return {output, Unit::kWatts, 1, false};
    case 'E':
      return {output, Unit::kKWh, 3, true};
    case 'O':
      return {output, output->unit(), script_precision(output->unit()), false};
    default:
      return {};
  }
}

FeedColumn column_of(const std::string& id, const SeriesCatalog& catalog) {
  if (id.size() < 3) return {};
  const Series* series = catalog.find(id.substr(2));
  if (id[0] == 'I') {
    if (const auto* input = dynamic_cast<const InputSeries*>(series)) return input_column(id[1], input);
  } else if (id[0] == 'O') {
    if (const auto* output = dynamic_cast<const OutputSeries*>(series)) return output_column(id[1], output);
  }
  return {};
}

// A record of zero counters with `like`'s channels: the origin of every counter.
Record origin_of(const Record& like) {
  Record zero;
  zero.time = like.time;
  zero.channels.resize(like.channels.size());
  return zero;
}

std::string cell(const FeedColumn& c, const Record* prev, const Record* cur) {
  if (c.series == nullptr || prev == nullptr || cur == nullptr) return "null";
  if (!(Interval{prev, cur}.hours() > 0)) return "null";
  std::optional<double> v;
  if (c.cumulative) {
    const Record origin = origin_of(*cur);
    v = c.series->value(Interval{&origin, cur}, c.unit);
  } else {
    v = c.series->value(Interval{prev, cur}, c.unit);
  }
  return v ? format_value(*v, c.decimals) : "null";
}

}  // namespace

std::string feed_list_json(const SeriesCatalog& catalog) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  auto add = [&](const std::string& id, const char* tag, const std::string& name) {
    list.push_back({{"id", id}, {"tag", tag}, {"name", name}});
  };
  for (const InputSeries* in : catalog.inputs()) {
    if (in->is_vt()) {
      add("IV" + in->name(), "Voltage", in->name());
    } else {
      add("IP" + in->name(), "Power", in->name());
      add("IE" + in->name(), "Energy", in->name());
    }
  }
  for (const auto& series : catalog.all()) {
    const auto* out = dynamic_cast<const OutputSeries*>(series.get());
    // Integrator parts ("grid.pos") are not the original's outputs; names with a space cannot be ids.
    if (out == nullptr || out->name().find_first_of(" .") != std::string::npos) continue;
    if (out->unit() == Unit::kVolts) {
      add("OV" + out->name(), "Voltage", out->name());
    } else if (out->unit() == Unit::kWatts) {
      add("OP" + out->name(), "Power", out->name());
      add("OE" + out->name(), "Energy", out->name());
    } else {
      add("OO" + out->name(), "Outputs", out->name());
    }
  }
  return list.dump();
}

Result<FeedRequest> parse_feed_request(const QueryArgs& args) {
  const Status invalid = Status::InvalidArgument("Invalid request");
  const std::string* id = arg(args, "id");
  const std::string* start = arg(args, "start");
  const std::string* end = arg(args, "end");
  if (id == nullptr || start == nullptr || end == nullptr) return invalid;
  FeedRequest r;
  r.ids = parse_ids(*id);
  const auto s = parse_time(*start), e = parse_time(*end);
  const auto interval = parse_interval(args);
  if (!s || !e || !interval) return invalid;
  r.start = *s;
  r.end = *e;
  r.interval = *interval;
  if (r.start % 5 != 0 || r.end % 5 != 0 || r.interval % 5 != 0 || r.interval <= 0 || r.end < r.start ||
      (r.end - r.start) / r.interval > kMaxRows) {
    return invalid;
  }
  return r;
}

Status run_feed(const FeedRequest& request, const SeriesCatalog& catalog, const RecordSource& source,
                const QuerySink& sink) {
  std::vector<FeedColumn> columns;
  for (const auto& id : request.ids) columns.push_back(column_of(id, catalog));
  std::string buffer = "[";
  auto prev = source.at_or_before(request.start - request.interval);
  if (!prev.ok()) return prev.status();
  std::optional<Record> older = std::move(prev.value());
  for (int64_t t = request.start; t <= request.end; t += request.interval) {
    auto cur = source.at_or_before(t);
    if (!cur.ok()) return cur.status();
    const std::optional<Record>& newer = cur.value();
    if (t > request.start) buffer += ",";
    buffer += "[";
    for (size_t k = 0; k < columns.size(); ++k) {
      if (k > 0) buffer += ",";
      buffer += cell(columns[k], older ? &*older : nullptr, newer ? &*newer : nullptr);
    }
    buffer += "]";
    if (buffer.size() >= kPieceBytes) {
      if (!sink(buffer)) return Status::Unavailable("the receiver went away");
      buffer.clear();
    }
    older = std::move(cur.value());
  }
  buffer += "]";
  if (!sink(buffer)) return Status::Unavailable("the receiver went away");
  return Status::Ok();
}

}  // namespace iw::query
