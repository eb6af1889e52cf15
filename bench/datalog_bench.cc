// The datalog (src/datalog/FORMAT.md) with the IoTaWatt's 15 inputs (1 VT + 14 CTs):
//   BM_Append           appends per second (default 60 s sync interval, and no sync at all)
//   BM_AppendBatch      records per second through append_batch (seed, import), no sync
//   BM_ReadByTime       one record by time (random times in a day of 5 s data)
//   BM_AtOrBefore       nearest record at or before a time inside a 1-hour gap
//   BM_BytesPerDay      bytes appended and bytes dirtied for the disk (/proc/self/io) per day
//   BM_OpenYear         start-up: open (recovery) of a year of 5 s data
//   BM_CheckYear        full check (every record's CRC) of a year of 5 s data
// The year (6.3 M records, 4.5 GB) is generated once per run with append_batch() and no syncs, in
// $TMPDIR; IW_BENCH_YEAR_DAYS overrides its length. It is deleted at exit.
#include <benchmark/benchmark.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "datalog/check.h"
#include "datalog/log.h"

namespace {

using iw::datalog::Layout;
using iw::datalog::Log;
using iw::datalog::LogOptions;
using iw::datalog::Record;
using iw::measure::ChannelKind;

constexpr int64_t kT0 = 1700006400;  // on a day boundary
constexpr int64_t kDay = 17280;      // 5 s slots per day

Layout IotaWatt() {
  Layout layout(15, ChannelKind::kCurrent);
  layout[0] = ChannelKind::kVoltage;
  return layout;
}

Record MakeRecord(const Layout& layout, int64_t t) {
  Record r;
  r.time = t;
  r.monitored_us = (t - kT0) * 1000000;
  r.channels.resize(layout.size());
  for (size_t ch = 0; ch < layout.size(); ++ch) {
    auto& c = r.channels[ch];
    const int64_t k = (t - kT0) / 5;
    c.vh.set(k * 1200000000);
    c.hzh.set(k * 250000000);
    c.wh_import.set(k * 1389 * static_cast<int64_t>(ch));
    c.wh_export.set(k * 17);
    c.vah.set(k * 1500 * static_cast<int64_t>(ch));
    c.varh.set(k * 300);
    c.ah.set(k * 6000);
  }
  return r;
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string MakeTempDir(const char* tag) {
  std::string tmpl = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  tmpl += std::string("/") + tag + ".XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

LogOptions Options(int64_t sync_interval_s) {
  LogOptions o;
  o.interval_s = 5;
  o.span_slots = kDay;
  o.layout = IotaWatt();
  o.sync_interval_s = sync_interval_s;
  return o;
}

int64_t ProcWriteBytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (io >> key >> value) {
    if (key == "write_bytes:") return value;
  }
  return -1;
}

void BM_Append(benchmark::State& state) {
  const std::string dir = MakeTempDir("datalog_bench_append");
  {
    auto log = Log::Open(dir, Options(state.range(0)));
    if (!log.ok()) {
      state.SkipWithError(log.error().c_str());
      return;
    }
    Record r = MakeRecord(IotaWatt(), kT0);
    int64_t t = kT0;
    for (auto _ : state) {
      t += 5;
      r.time = t;
      if (!log.value()->append(r).ok()) state.SkipWithError("append failed");
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["syncs"] = static_cast<double>(log.value()->syncs());
  }
  RemoveTree(dir);
}
BENCHMARK(BM_Append)->Arg(60)->Arg(1 << 30)->ArgName("sync_s");

void BM_AppendBatch(benchmark::State& state) {
  const std::string dir = MakeTempDir("datalog_bench_batch");
  {
    auto log = Log::Open(dir, Options(1 << 30));
    if (!log.ok()) {
      state.SkipWithError(log.error().c_str());
      return;
    }
    std::vector<Record> batch(1024, MakeRecord(IotaWatt(), kT0));
    int64_t t = kT0;
    for (auto _ : state) {
      for (auto& r : batch) r.time = (t += 5);
      if (!log.value()->append_batch(batch).ok()) state.SkipWithError("append failed");
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch.size()));
  }
  RemoveTree(dir);
}
BENCHMARK(BM_AppendBatch);

// A day of 5 s data, shared by the read benchmarks.
struct DayLog {
  std::string dir = MakeTempDir("datalog_bench_day");
  std::unique_ptr<Log> log;
  DayLog() {
    auto opened = Log::Open(dir, Options(1 << 30));
    if (!opened.ok()) std::abort();
    log = std::move(opened.value());
    for (int64_t k = 1; k <= kDay; ++k) {
      if (k >= 10000 && k < 10720) continue;  // a one-hour outage
      if (!log->append(MakeRecord(IotaWatt(), kT0 + 5 * k)).ok()) std::abort();
    }
  }
  ~DayLog() {
    log.reset();
    RemoveTree(dir);
  }
};
DayLog& Day() {
  static DayLog day;
  return day;
}

void BM_ReadByTime(benchmark::State& state) {
  Log& log = *Day().log;
  std::mt19937 rng(1);
  for (auto _ : state) {
    const int64_t t = kT0 + 5 * (1 + static_cast<int64_t>(rng() % 9000));
    auto r = log.read(t);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReadByTime);

void BM_AtOrBefore(benchmark::State& state) {
  Log& log = *Day().log;
  for (auto _ : state) {
    auto r = log.at_or_before(kT0 + 5 * 10700);  // 700 slots into the outage
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AtOrBefore);

void BM_BytesPerDay(benchmark::State& state) {
  for (auto _ : state) {
    const std::string dir = MakeTempDir("datalog_bench_bytes");
    {
      auto log = Log::Open(dir, Options(60));
      if (!log.ok()) std::abort();
      const int64_t before = ProcWriteBytes();
      for (int64_t k = 1; k <= kDay; ++k) {
        if (!log.value()->append(MakeRecord(IotaWatt(), kT0 + 5 * k)).ok()) std::abort();
      }
      if (!log.value()->sync().ok()) std::abort();
      state.counters["appended_bytes"] = static_cast<double>(log.value()->bytes_written());
      state.counters["dirtied_bytes"] = static_cast<double>(ProcWriteBytes() - before);
      state.counters["syncs"] = static_cast<double>(log.value()->syncs());
      state.counters["original_bytes"] = 256.0 * kDay;
    }
    RemoveTree(dir);
  }
}
BENCHMARK(BM_BytesPerDay)->Iterations(1)->Unit(benchmark::kMillisecond);

struct YearLog {
  std::string dir = MakeTempDir("datalog_bench_year");
  int64_t days = 365;
  double generate_s = 0;
  YearLog() {
    if (const char* env = std::getenv("IW_BENCH_YEAR_DAYS")) days = std::atoll(env);
    const auto start = std::chrono::steady_clock::now();
    auto log = Log::Open(dir, Options(1 << 30));
    if (!log.ok()) std::abort();
    // The bulk path seed and import use: append_batch, a day at a time.
    std::vector<Record> batch(kDay, MakeRecord(IotaWatt(), kT0));
    for (int64_t day = 0; day < days; ++day) {
      for (int64_t k = 0; k < kDay; ++k) {
        const int64_t slot = day * kDay + k + 1;
        batch[k].time = kT0 + 5 * slot;  // counters need not change for open and check timing
        batch[k].monitored_us = 5000000 * slot;
      }
      if (!log.value()->append_batch(batch).ok()) std::abort();
    }
    if (!log.value()->sync().ok()) std::abort();
    generate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "generated %lld days of 5 s data (%lld records) in %.1f s\n", static_cast<long long>(days),
                 static_cast<long long>(days * kDay), generate_s);
  }
  ~YearLog() { RemoveTree(dir); }
};
YearLog& Year() {
  static YearLog year;
  return year;
}

void BM_OpenYear(benchmark::State& state) {
  const std::string& dir = Year().dir;
  for (auto _ : state) {
    auto log = Log::Open(dir, Options(60));
    if (!log.ok() || !log.value()->last_time()) state.SkipWithError("open failed");
  }
  state.counters["days"] = static_cast<double>(Year().days);
}
BENCHMARK(BM_OpenYear)->Unit(benchmark::kMillisecond);

void BM_CheckYear(benchmark::State& state) {
  const std::string& dir = Year().dir;
  int64_t records = 0;
  for (auto _ : state) {
    auto report = iw::datalog::check(dir);
    if (!report.ok() || report->damage_found()) state.SkipWithError("check failed");
    records = report->records;
  }
  state.counters["records"] = static_cast<double>(records);
  state.counters["days"] = static_cast<double>(Year().days);
  state.counters["generate_s"] = Year().generate_s;
}
BENCHMARK(BM_CheckYear)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
