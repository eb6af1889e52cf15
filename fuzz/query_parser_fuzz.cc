// libFuzzer target: arbitrary bytes as the query string of GET /query and /feed/data.json.
// The answer may be a 400, but it must not crash, leak, hang or trip a sanitizer; a 400 must
// carry the original's {"error":"invalid query. ..."} body, and a complete JSON answer must be
// valid JSON. Answers are cut after 256 KiB through the sink (as a client that disconnects).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/config_parser.h"
#include "query/feed.h"
#include "query/query.h"

namespace {

using iw::datalog::Record;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "query_parser_fuzz: %s\n%s\n", what, detail.substr(0, 2000).c_str());
  std::abort();
}

// Three days of 5-minute records with steady rates, a one-hour outage in the middle.
class Records final : public iw::query::RecordSource {
 public:
  Records() {
    Record r;
    r.channels.resize(3);
    for (int64_t t = kStart; t <= kStart + 3 * 86400; t += 300) {
      r.time = t;
      if (t < kStart + 86400 || t >= kStart + 86400 + 3600) {
        constexpr int64_t kStepUs = 300'000'000;
        const auto add = [](iw::measure::Counter& c, int64_t rate) { c.set(c.micros() + rate * kStepUs / 3600); };
        r.monitored_us += kStepUs;
        add(r.channels[0].vh, 230);
        add(r.channels[0].hzh, 50);
        add(r.channels[1].wh_import, 1000);
        add(r.channels[2].wh_export, 400);
      }
      records_[t] = r;
    }
  }
  iw::Result<std::optional<Record>> at_or_before(int64_t t) const override {
    auto it = records_.upper_bound(t);
    if (it == records_.begin()) return std::optional<Record>(it->second);
    return std::optional<Record>(std::prev(it)->second);
  }
  iw::Result<std::optional<int64_t>> first_time() const override {
    return std::optional<int64_t>(records_.begin()->first);
  }
  static constexpr int64_t kStart = 1795392000;  // 2026-11-24T00:00:00Z

 private:
  std::map<int64_t, Record> records_;
};

struct World {
  World() {
    auto cfg = iw::config::parse_config(
        R"({"device":{"name":"Fuzz","channels":3},"timezone":"Europe/Berlin","inputs":[
            {"channel":0,"name":"Voltage","type":"VT","model":"generic","cal":20},
            {"channel":1,"name":"Mains","type":"CT","model":"generic","cal":50,"vchan":0},
            {"channel":2,"name":"Solar","type":"CT","model":"generic","cal":50,"vchan":0,"signed":true}]})",
        iw::config::ModelCatalog::builtin());
    if (!cfg) fail("the fuzz config does not parse", cfg.error());
    config = cfg.value();
    catalog = iw::query::SeriesCatalog::FromConfig(config);
    auto z = iw::query::zone_of(config);
    if (!z) fail("no zone", z.error());
    zone = std::move(z.value());
  }
  iw::config::Config config;
  iw::query::SeriesCatalog catalog;
  std::unique_ptr<iw::query::TimeZone> zone;
  Records records;
};

constexpr size_t kMaxBody = 256 * 1024;

void check(const iw::query::QueryAnswer& a, bool is_query) {
  if (a.status != 200) {
    if (a.status != 400) fail("status is neither 200 nor 400", std::to_string(a.status));
    if (is_query) {
      const auto body = nlohmann::json::parse(a.body, nullptr, false);
      if (body.is_discarded() || !body.contains("error") ||
          body["error"].get<std::string>().rfind("invalid query. ", 0) != 0) {
        fail("a 400 without the original's error body", a.body);
      }
    }
    return;
  }
  if (!a.stream) {
    if (nlohmann::json::parse(a.body, nullptr, false).is_discarded()) fail("show=series is not JSON", a.body);
    return;
  }
  std::string body;
  const iw::Status st = a.stream([&](std::string_view piece) {
    body += piece;
    return body.size() < kMaxBody;
  });
  if (st.ok() && a.content_type == "application/json" && nlohmann::json::parse(body, nullptr, false).is_discarded()) {
    fail("a complete JSON answer is not JSON", body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const World world;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const iw::query::QueryArgs args = iw::query::parse_query_string(text);
  const iw::query::QueryEnvironment env{&world.catalog, world.zone.get(), &world.records,
                                        Records::kStart + 2 * 86400 + 12345};
  check(iw::query::answer_query(args, env), true);
  check(iw::query::answer_feed(args, env), false);
  return 0;
}
