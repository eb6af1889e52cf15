// What pricing costs a query: a year of daily rows of `Mains.wh` against `Mains.cost` through
// answer_query() (the /query path) in Europe/Berlin, over a year of 60 s history records of a
// house that imports at night and exports at midday:
//   BM_Wh            select=[time,Mains.wh]: one record per day
//   BM_CostFlat      a flat import price: no record in between, the same reads as Wh
//   BM_CostTou       time-of-use (4 edges a day) + tiers + export credit + standing charge:
//                    a record per price change and one per billing-period position
//   BM_CostDemand    the same plus a 15-minute demand charge (each window read once, then kept)
//   BM_CostDemandCold  the same with a new engine every time: every 15-minute window is read
// The log (3 channels, ~40 MB) is written once per run in $TMPDIR and deleted at exit.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "datalog/log.h"
#include "query/cost_series.h"
#include "query/query.h"
#include "query/record_source.h"

namespace {

using iw::datalog::Log;
using iw::datalog::Record;
using iw::measure::ChannelKind;
namespace query = iw::query;

constexpr int64_t kBegin = 1767222000;  // 2026-01-01T00:00 in Berlin (CET)
constexpr int64_t kYear = 365 * 86400;

iw::config::Config HouseConfig(const std::string& tariff) {
  iw::config::Config c;
  c.timezone_name = "Europe/Berlin";
  c.inputs.resize(3);
  const char* names[] = {"Voltage", "Mains", "Kitchen"};
  for (int ch = 0; ch < 3; ++ch) {
    iw::config::Input in;
    in.channel = ch;
    in.name = names[ch];
    in.type = ch == 0 ? iw::config::InputType::kVT : iw::config::InputType::kCT;
    c.inputs[static_cast<size_t>(ch)] = in;
  }
  if (!tariff.empty()) c.sections["tariffs"] = nlohmann::json::parse(tariff);
  return c;
}

// Mains: 1 kW on average, -1.5 kW at midday (export), +2.5 kW around midnight.
double MainsWatts(int64_t t) {
  return 500 - 2000 * std::cos(2 * M_PI * static_cast<double>((t + 3600) % 86400) / 86400);
}

std::unique_ptr<Log> WriteHistory(const std::string& dir) {
  auto options =
      iw::datalog::history_log_options({ChannelKind::kVoltage, ChannelKind::kCurrent, ChannelKind::kCurrent});
  options.sync_interval_s = 1 << 30;
  auto log = Log::Open(dir, options);
  if (!log.ok()) std::abort();
  double imp = 0, exp = 0, kitchen = 0;
  std::vector<Record> batch;
  for (int64_t t = kBegin; t <= kBegin + kYear; t += 60) {
    Record r;
    r.time = t;
    r.monitored_us = (t - kBegin) * 1000000;
    r.channels.resize(3);
    r.channels[0].vh.set(static_cast<int64_t>(230.0 * static_cast<double>(t - kBegin) / 3600 * 1e6));
    r.channels[1].wh_import.set(std::llround(imp * 1e6));
    r.channels[1].wh_export.set(std::llround(exp * 1e6));
    r.channels[2].wh_import.set(std::llround(kitchen * 1e6));
    batch.push_back(std::move(r));
    const double w = MainsWatts(t);
    (w >= 0 ? imp : exp) += std::abs(w) / 60;
    kitchen += 300.0 / 60;
    if (batch.size() == 1440 || t + 60 > kBegin + kYear) {
      if (!log.value()->append_batch(batch).ok()) std::abort();
      batch.clear();
    }
  }
  return std::move(log.value());
}

struct History {
  std::string dir = [] {
    std::string tmpl = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
    tmpl += "/cost_bench.XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    return tmpl;
  }();
  std::unique_ptr<Log> log = WriteHistory(dir + "/history");
  ~History() {
    log.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};
History& SharedHistory() {
  static History h;
  return h;
}

constexpr const char* kFlat = R"([{"name": "flat", "currency": "EUR", "import": {"price": 0.30}}])";
constexpr const char* kTou = R"([{"name": "tou", "currency": "EUR", "meter": "Mains",
  "import": {"price": 0.20, "schedule": [
      {"days": ["mon","tue","wed","thu","fri"], "from": "07:00", "to": "11:00", "price": 0.40, "peak": true},
      {"days": ["mon","tue","wed","thu","fri"], "from": "17:00", "to": "21:00", "price": 0.40, "peak": true}],
    "tiers": [{"up_to_kwh": 300, "add": 0}, {"add": 0.05}]},
  "export": {"price": 0.08}, "standing_charge": 0.5)";

// `cold`: a new catalog and engine for every query (nothing kept from the one before).
void RunYear(benchmark::State& state, const std::string& tariff, const std::string& column, bool cold = false) {
  History& h = SharedHistory();
  const iw::config::Config config = HouseConfig(tariff);
  auto zone = query::zone_of(config);
  if (!zone.ok()) return state.SkipWithError(zone.error().c_str());
  const query::LogRecordSource records(nullptr, h.log.get());
  auto catalog = std::make_unique<query::SeriesCatalog>(query::SeriesCatalog::FromConfig(config));
  auto engine = query::add_tariff(*catalog, config, zone.value().get(), &records);
  const auto args =
      query::parse_query_string("select=[time.iso," + column + "]&begin=2026-01-01&end=2027-01-01&group=d&limit=none");
  int64_t bytes = 0;
  for (auto _ : state) {
    if (cold) {
      catalog = std::make_unique<query::SeriesCatalog>(query::SeriesCatalog::FromConfig(config));
      engine = query::add_tariff(*catalog, config, zone.value().get(), &records);
    }
    const query::QueryEnvironment env{catalog.get(), zone.value().get(), &records, kBegin + kYear, engine.get()};
    const query::QueryAnswer a = query::answer_query(args, env);
    if (a.status != 200 || !a.stream) return state.SkipWithError(a.body.c_str());
    iw::Status st = a.stream([&](std::string_view piece) {
      bytes += static_cast<int64_t>(piece.size());
      return true;
    });
    if (!st.ok()) state.SkipWithError(st.message().c_str());
  }
  state.counters["bytes/query"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}

void BM_Wh(benchmark::State& state) { RunYear(state, "", "Mains.wh"); }
BENCHMARK(BM_Wh)->Unit(benchmark::kMillisecond);

void BM_CostFlat(benchmark::State& state) { RunYear(state, kFlat, "Mains.cost"); }
BENCHMARK(BM_CostFlat)->Unit(benchmark::kMillisecond);

void BM_CostTou(benchmark::State& state) { RunYear(state, std::string(kTou) + "}]", "Mains.cost"); }
BENCHMARK(BM_CostTou)->Unit(benchmark::kMillisecond);

void BM_CostDemand(benchmark::State& state) {
  RunYear(state, std::string(kTou) + R"(, "demand": {"minutes": 15, "price": 10}}])", "Mains.cost");
}
BENCHMARK(BM_CostDemand)->Unit(benchmark::kMillisecond);

void BM_CostDemandCold(benchmark::State& state) {
  RunYear(state, std::string(kTou) + R"(, "demand": {"minutes": 15, "price": 10}}])", "Mains.cost", true);
}
BENCHMARK(BM_CostDemandCold)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
