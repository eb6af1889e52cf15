#include "views/events_view.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <nlohmann/json.hpp>
#include <optional>

#include "query/event_json.h"
#include "query/time_spec.h"

namespace iw::views {
namespace {

using server::HttpResponse;

constexpr int64_t kNanos = 1'000'000'000;

HttpResponse bad_request(const std::string& message) { return HttpResponse::text(400, message + "\n"); }

// A whole number in [lo, hi], nullopt otherwise.
std::optional<int64_t> whole(const std::string& text, int64_t lo, int64_t hi) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

// The channel a request names by number or by input name; nullopt and `error` when it names none.
std::optional<uint16_t> channel_of(const std::string& text, const EventsScope& scope, std::string* error) {
  if (auto n = whole(text, 0, static_cast<int64_t>(scope.names.size()) - 1); n && !scope.names[*n].empty()) {
    return static_cast<uint16_t>(*n);
  }
  for (size_t ch = 0; ch < scope.names.size(); ++ch) {
    if (!scope.names[ch].empty() && scope.names[ch] == text) return static_cast<uint16_t>(ch);
  }
  *error = "channel=" + text.substr(0, 40) + ": no input has that channel number or name";
  return std::nullopt;
}

}  // namespace

HttpResponse events_response(const server::HttpRequest& request, const EventsScope& scope) {
  if (scope.log == nullptr) {
    return HttpResponse::text(503, "the event log is not open (see the daemon's log for why)\n");
  }
  const std::string begin_spec = request.has("begin") ? request.arg("begin") : "s-1d";
  const std::string end_spec = request.has("end") ? request.arg("end") : "s";
  auto begin = query::parse_time_spec(begin_spec, scope.now, *scope.zone);
  if (!begin) return bad_request("begin: " + begin.error());
  auto end = query::parse_time_spec(end_spec, scope.now, *scope.zone);
  if (!end) return bad_request("end: " + end.error());
  if (end.value() < begin.value()) return bad_request("end is before begin");
  std::optional<uint16_t> channel;
  if (request.has("channel")) {
    std::string error;
    channel = channel_of(request.arg("channel"), scope, &error);
    if (!channel) return bad_request(error);
  }
  size_t limit = kDefaultEventLimit;
  if (request.has("limit")) {
    auto n = whole(request.arg("limit"), 1, kMaxEventLimit);
    if (!n) return bad_request("limit=" + request.arg("limit").substr(0, 40) + ": a whole number from 1 to 10000");
    limit = static_cast<size_t>(*n);
  }
  // Event times are int64 nanoseconds (to the year 2262); a later time spec reads as that.
  constexpr int64_t kLastSecond = INT64_MAX / kNanos;
  const int64_t begin_ns = std::min(begin.value(), kLastSecond) * kNanos;
  const int64_t end_ns = std::min(end.value(), kLastSecond) * kNanos;
  auto read = scope.log->read(begin_ns, end_ns, channel, limit);
  if (!read) return HttpResponse::text(500, "events: " + read.error() + "\n");
  nlohmann::json out;
  out["begin"] = begin.value();
  out["end"] = end.value();
  out["more"] = read.value().more;
  out["events"] = nlohmann::json::array();
  for (const measure::StepEvent& e : read.value().events) {
    out["events"].push_back(query::event_json(e, e.channel < scope.names.size() ? scope.names[e.channel] : ""));
  }
  return HttpResponse::json(out.dump());
}

}  // namespace iw::views
