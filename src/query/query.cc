#include "query/query.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "datalog/log.h"
#include "query/feed.h"
#include "query/grouping.h"
#include "query/time_spec.h"

namespace iw::query {
namespace {

constexpr int64_t kStep = datalog::kCurrentIntervalS;  // the datalog's finest interval

QueryAnswer invalid_query(const std::string& reason) {
  QueryAnswer a;
  a.status = 400;
  a.content_type = "text/plain";
  // The reason may quote the request, which need not be UTF-8 (found by fuzz/query_parser_fuzz).
  a.body = nlohmann::json{{"error", "invalid query. " + reason}}.dump(-1, ' ', false,
                                                                      nlohmann::json::error_handler_t::replace);
  return a;
}

int64_t round_up(int64_t t) { return (t + kStep - 1) / kStep * kStep; }
int64_t round_down(int64_t t) { return t / kStep * kStep; }

Result<QueryPlan> plan_of(QueryRequest request, const QueryEnvironment& env) {
  auto begin = parse_time_spec(request.begin, env.now, *env.zone);
  if (!begin) return Status::InvalidArgument("begin: " + begin.error());
  auto end = parse_time_spec(request.end, env.now, *env.zone);
  if (!end) return Status::InvalidArgument("end: " + end.error());
  QueryPlan plan;
  plan.begin = round_up(begin.value());
  plan.end = round_down(end.value());
  if (plan.begin <= 0 || plan.end < plan.begin) {
    return Status::InvalidArgument("unspecified: end (" + request.end + ") is before begin (" + request.begin + ")");
  }
  auto grouping = parse_grouping(request.group);
  if (!grouping) return grouping.status();
  const Grouping g = resolve_auto(grouping.value(), plan.begin, plan.end, request.resolution == Resolution::kHigh);
  const TimeZone* zone = env.zone;
  plan.next_boundary = [g, zone](int64_t t) { return next_boundary(g, t, *zone); };
  plan.zone = env.zone;
  plan.request = std::move(request);
  return plan;
}

}  // namespace

QueryAnswer answer_query(const QueryArgs& args, const QueryEnvironment& env) {
  auto kind = query_kind(args);
  if (!kind) return invalid_query(kind.error());
  if (kind.value() == QueryKind::kShowSeries) {
    const bool derived =
        std::any_of(args.begin(), args.end(), [](const auto& a) { return a.first == "derived" && a.second == "yes"; });
    return {200, "application/json", env.catalog->show_series_json(derived), {}};
  }
  auto request = parse_query_request(args, *env.catalog);
  if (!request) return invalid_query(request.error());
  auto plan = plan_of(std::move(request.value()), env);
  if (!plan) return invalid_query(plan.error());
  QueryAnswer a;
  a.content_type = std::string(content_type(plan->request));
  a.stream = [plan = std::move(plan.value()), records = env.records](const QuerySink& sink) {
    return run_query(plan, *records, sink);
  };
  return a;
}

QueryAnswer answer_feed(const QueryArgs& args, const QueryEnvironment& env) {
  auto request = parse_feed_request(args);
  if (!request) return {400, "text/plain", "Invalid request", {}};
  QueryAnswer a;
  a.content_type = "application/json";
  a.stream = [request = std::move(request.value()), env](const QuerySink& sink) {
    return run_feed(request, *env.catalog, *env.records, sink);
  };
  return a;
}

QueryArgs parse_query_string(std::string_view text) {
  QueryArgs args;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    args.emplace_back(form_decode(pair.substr(0, eq)),
                      eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1)));
  }
  return args;
}

}  // namespace iw::query
