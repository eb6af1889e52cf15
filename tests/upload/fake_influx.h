// Test doubles for the upload engine: a datalog of synthetic intervals and an InfluxDB 1.x
// that parses the line protocol it receives and answers SELECT LAST from what it holds.
#pragma once

#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "upload/clock.h"
#include "upload/interval_source.h"
#include "upload/transport.h"

namespace iw::upload::testing {

// Records every `step` seconds up to last; intervals inside [gap_begin, gap_end) have no
// monitored time. The value of measurement m over [t, t+i) is t / 10 + m.
class FakeSource final : public IntervalSource {
 public:
  int64_t first = 1'700'000'000;
  int64_t last = 1'700'000'000;
  int64_t gap_begin = 0, gap_end = 0;
  size_t measurements = 2;
  mutable int64_t reads = 0;

  std::optional<int64_t> last_time() const override { return last; }
  std::optional<int64_t> first_time() const override { return first; }
  Result<IntervalBatch> read(int64_t from, int64_t interval, int64_t count) const override {
    ++reads;
    IntervalBatch b;
    b.scanned_to = from;
    for (int64_t k = 0; k < count; ++k) {
      const int64_t t = from + k * interval;
      b.scanned_to = t + interval;
      if (t < first || (t >= gap_begin && t < gap_end)) continue;
      IntervalValues iv{t, t + interval, {}};
      for (size_t m = 0; m < measurements; ++m)
        iv.values.push_back(static_cast<double>(t) / 10 + static_cast<double>(m));
      b.intervals.push_back(std::move(iv));
    }
    return b;
  }
};

class FakeClock final : public Clock {
 public:
  int64_t now = 0;
  int64_t now_ms() const override { return now; }
};

// What the fake server does with the next requests.
enum class ServerMode { kUp, kDown, kError500, kTooMany, kBadRequest, kLoseAnswer, kGarbage };

class FakeInflux final : public Transport {
 public:
  ServerMode mode = ServerMode::kUp;
  int retry_after_s = 0;
  size_t max_body = 0;                // a write with a longer body is answered 413 (0: no limit)
  std::map<int64_t, int> deliveries;  // interval start -> times a line for it arrived
  std::map<int64_t, std::string> lines;
  int requests = 0, writes = 0, queries = 0;
  std::vector<size_t> body_sizes;

  Result<HttpResponse> send(const HttpRequest& request) override {
    ++requests;
    const bool is_query = request.url.find("/query") != std::string::npos;
    if (mode == ServerMode::kDown) return Status::Unavailable("127.0.0.1:8086: Connection refused");
    if (mode == ServerMode::kGarbage) return HttpResponse{200, {}, "<html>proxy error</html>"};
    if (mode == ServerMode::kError500) return HttpResponse{500, {}, "{\"error\":\"engine busy\"}"};
    if (mode == ServerMode::kTooMany) {
      return HttpResponse{429, {{"Retry-After", std::to_string(retry_after_s)}}, "{\"error\":\"slow down\"}"};
    }
    if (mode == ServerMode::kBadRequest && !is_query) {
      return HttpResponse{400, {}, "{\"error\":\"unable to parse\"}"};
    }
    if (is_query) {
      ++queries;
      nlohmann::json result = {{"statement_id", 0}};
      if (!deliveries.empty()) {
        result["series"] = {
            {{"name", "m"}, {"columns", {"time", "last"}}, {"values", {{deliveries.rbegin()->first, 1}}}}};
      }
      return HttpResponse{200, {}, nlohmann::json{{"results", {result}}}.dump()};
    }
    if (max_body > 0 && request.body.size() > max_body) return HttpResponse{413, {}, "{\"error\":\"too large\"}"};
    ++writes;
    body_sizes.push_back(request.body.size());
    std::set<int64_t> stamps;
    std::istringstream in(request.body);
    for (std::string line; std::getline(in, line);) {
      const int64_t t = std::stoll(line.substr(line.rfind(' ') + 1));
      stamps.insert(t);
      lines[t] += line + "\n";
    }
    for (int64_t t : stamps) deliveries[t] += 1;
    if (mode == ServerMode::kLoseAnswer) return Status::Unavailable("127.0.0.1:8086: Operation timed out");
    return HttpResponse{204, {}, ""};
  }
};

}  // namespace iw::upload::testing
