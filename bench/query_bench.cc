// The query engine over the IoTaWatt's 15 inputs (1 VT + 14 CTs), through run_query() and
// LogRecordSource, rendering JSON for every input's Watts (a Graph+ style query, limit=none):
//   BM_YearHourly   8760 hourly groups over a year of 60 s history records
//   BM_YearDaily    365 daily groups over the same year
//   BM_Day5s        17280 5 s groups over a day of 5 s current records
// Reports rows/s and bytes of output. The logs (a year of history, 374 MB, and a day of
// current, 12 MB) are generated once per run in $TMPDIR with append_batch() and no syncs, and
// deleted at exit; IW_BENCH_YEAR_DAYS overrides the year's length.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>

#include <cstdlib>
#include <string>
#include <vector>

#include "config/config.h"
#include "datalog/log.h"
#include "query/record_source.h"
#include "query/request.h"
#include "query/runner.h"
#include "query/series.h"

namespace {

using iw::datalog::Layout;
using iw::datalog::Log;
using iw::datalog::Record;
using iw::measure::ChannelKind;
namespace query = iw::query;

constexpr int64_t kT0 = 1700006400;  // on a day boundary (UTC)

Layout IotaWatt() {
  Layout layout(15, ChannelKind::kCurrent);
  layout[0] = ChannelKind::kVoltage;
  return layout;
}

iw::config::Config IotaWattConfig() {
  iw::config::Config c;
  c.inputs.resize(15);
  for (int ch = 0; ch < 15; ++ch) {
    iw::config::Input in;
    in.channel = ch;
    in.name = ch == 0 ? "Voltage" : "CT" + std::to_string(ch);
    in.type = ch == 0 ? iw::config::InputType::kVT : iw::config::InputType::kCT;
    c.inputs[static_cast<size_t>(ch)] = in;
  }
  return c;
}

// Counters of a steady panel at time t: each CT draws its own power.
Record MakeRecord(int64_t t) {
  Record r;
  r.time = t;
  const int64_t s = t - kT0;
  r.monitored_us = s * 1000000;
  r.channels.resize(15);
  for (size_t ch = 0; ch < 15; ++ch) {
    auto& c = r.channels[ch];
    c.vh.set(s * 240 * 1000000 / 3600);
    c.hzh.set(s * 50 * 1000000 / 3600);
    const auto watts = static_cast<int64_t>(100 * ch + 7);
    c.wh_import.set(s * watts * 1000000 / 3600);
    c.vah.set(s * (watts + 50) * 1000000 / 3600);
    c.varh.set(s * 40 * 1000000 / 3600);
    c.ah.set(s * (watts + 50) * 1000000 / 3600 / 240);
  }
  return r;
}

std::string MakeTempDir(const char* tag) {
  std::string tmpl = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  tmpl += std::string("/") + tag + ".XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

std::unique_ptr<Log> WriteLog(const std::string& dir, iw::datalog::LogOptions options, int64_t interval,
                              int64_t seconds) {
  options.sync_interval_s = 1 << 30;
  auto log = Log::Open(dir, options);
  if (!log.ok()) std::abort();
  std::vector<Record> batch;
  for (int64_t t = kT0 + interval; t <= kT0 + seconds; t += interval) {
    batch.push_back(MakeRecord(t));
    if (batch.size() == 1440 || t + interval > kT0 + seconds) {
      if (!log.value()->append_batch(batch).ok()) std::abort();
      batch.clear();
    }
  }
  return std::move(log.value());
}

int64_t YearSeconds() {
  const char* days = std::getenv("IW_BENCH_YEAR_DAYS");
  return (days ? std::atoll(days) : 365) * 86400;
}

// The logs, shared by the benchmarks.
struct Logs {
  std::string dir = MakeTempDir("query_bench");
  std::unique_ptr<Log> history =
      WriteLog(dir + "/history", iw::datalog::history_log_options(IotaWatt()), 60, YearSeconds());
  std::unique_ptr<Log> current = WriteLog(dir + "/current", iw::datalog::current_log_options(IotaWatt()), 5, 86400);
  ~Logs() {
    history.reset();
    current.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};
Logs& SharedLogs() {
  static Logs logs;
  return logs;
}

// Runs select=[time.utc.unix, every input] over [begin, end) in groups of `group_s`.
void RunQuery(benchmark::State& state, const Log* current, const Log* history, int64_t begin, int64_t end,
              int64_t group_s) {
  const iw::config::Config config = IotaWattConfig();
  const auto catalog = query::SeriesCatalog::FromConfig(config);
  std::string select = "[time.utc.unix";
  for (const auto& s : catalog.all()) select += "," + s->name();
  select += "]";
  auto request =
      query::parse_query_request({{"select", select}, {"begin", "-"}, {"end", "-"}, {"limit", "none"}}, catalog);
  if (!request.ok()) {
    state.SkipWithError(request.error().c_str());
    return;
  }
  const query::QueryPlan plan{request.value(), begin, end, [group_s](int64_t t) { return t + group_s - t % group_s; },
                              nullptr};
  const query::LogRecordSource source(current, history);
  int64_t rows = 0, bytes = 0;
  for (auto _ : state) {
    iw::Status st = query::run_query(plan, source, [&](std::string_view piece) {
      bytes += static_cast<int64_t>(piece.size());
      benchmark::DoNotOptimize(piece.data());
      return true;
    });
    if (!st.ok()) state.SkipWithError(st.message().c_str());
    rows += (end - begin + group_s - 1) / group_s;  // begin is on a group boundary
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["bytes/query"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}

void BM_YearHourly(benchmark::State& state) {
  Logs& logs = SharedLogs();
  RunQuery(state, nullptr, logs.history.get(), kT0, kT0 + YearSeconds(), 3600);
}
BENCHMARK(BM_YearHourly)->Unit(benchmark::kMillisecond);

void BM_YearDaily(benchmark::State& state) {
  Logs& logs = SharedLogs();
  RunQuery(state, nullptr, logs.history.get(), kT0, kT0 + YearSeconds(), 86400);
}
BENCHMARK(BM_YearDaily)->Unit(benchmark::kMillisecond);

void BM_Day5s(benchmark::State& state) {
  Logs& logs = SharedLogs();
  RunQuery(state, logs.current.get(), logs.history.get(), kT0, kT0 + 86400, 5);
}
BENCHMARK(BM_Day5s)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
