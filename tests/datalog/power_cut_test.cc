// Power cuts at every sync point of a scripted hour of the daemon's logging, on the fault-
// injecting Env (testing/fault_env.h). The Recorder writes the current and the history log as
// the daemon does (5 s records, sync_interval 60 s, the day's and the 30-day segment boundary
// in the middle of the hour); power goes off just before and just after each file and
// directory sync, and at random calls between; then the logs are opened again by the normal
// path and FORMAT.md's promise is checked ("Writing and durability", "Opening (recovery)").
//
// A failure prints the cut point and the seed; IOTAWATT_POWER_CUT_SEED=<n> replays with another
// base seed, IOTAWATT_POWER_CUT_RANDOM=<n> adds more random cut points.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "datalog/check.h"
#include "datalog/data_dir.h"
#include "datalog/datalog_testing.h"
#include "datalog/format.h"
#include "datalog/recorder.h"
#include "testing/fault_env.h"

namespace iw::datalog {
namespace {

using iw::testing::FaultEnv;
using iw::testing::FsOp;
using iw::testing::TraceEntry;
using testing::IotaWattLayout;
using testing::MakeRecord;
using testing::Matches;
using testing::TempDir;

// A day boundary of the current log, so it starts a new segment in the middle of the hour; one
// day after a 30-day boundary of the history log (2592000 * 656), so the history segment (and
// what check reads of it) stays small.
constexpr int64_t kBoundary = 1700352000 + 86400;
static_assert(kBoundary % (17280 * kCurrentIntervalS) == 0);
constexpr int64_t kHourStart = kBoundary - 1800;    // the scripted hour: (kHourStart, kHourStart + 3600]
constexpr int64_t kPrefixStart = kHourStart - 600;  // ten minutes written and closed cleanly before it
constexpr int64_t kSyncIntervalS = 60;

int64_t env_number(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr ? std::strtoll(text, nullptr, 10) : fallback;
}

// Opens both logs of `data` as the daemon does (datalog/data_dir.h) on `env`.
std::unique_ptr<Recorder> OpenRecorder(const std::string& data, Env* env, std::string* error) {
  auto current = open_daemon_log(data, DaemonLog::kCurrent, IotaWattLayout(), kSyncIntervalS, env);
  if (!current.ok()) {
    *error = current.error();
    return nullptr;
  }
  auto history = open_daemon_log(data, DaemonLog::kHistory, IotaWattLayout(), kSyncIntervalS, env);
  if (!history.ok()) {
    *error = history.error();
    return nullptr;
  }
  RecorderSettings settings;
  settings.sync_interval_s = kSyncIntervalS;
  return std::make_unique<Recorder>(std::move(current.value()), std::move(history.value()), settings);
}

// Writes records (from, to] every 5 s until the power goes off. Returns the time of the last
// record the current log took (its last_time when the power went off), 0 if none.
int64_t WriteUntilOff(Recorder* recorder, const FaultEnv& env, int64_t from, int64_t to) {
  for (int64_t t = from + kCurrentIntervalS; t <= to && !env.powered_off(); t += kCurrentIntervalS) {
    recorder->write(MakeRecord(IotaWattLayout(), t), {});
  }
  return recorder->current().last_time().value_or(0);
}

// The records a log's files held durably at the cut: each slot written before a sync of its
// file, by the FaultEnv's trace (independent of the log's own bookkeeping).
std::set<int64_t> SyncedTimes(const std::vector<TraceEntry>& trace, const std::string& log_dir, int64_t interval) {
  const auto header = static_cast<int64_t>(format::header_size(IotaWattLayout().size()));
  const auto record = static_cast<int64_t>(format::record_size(IotaWattLayout()));
  std::map<std::string, std::vector<const TraceEntry*>> unsynced;
  std::set<int64_t> synced;
  for (const TraceEntry& e : trace) {
    if (e.path.rfind(log_dir + "/", 0) != 0) continue;
    int64_t start = 0;
    if (!format::parse_segment_name(e.path.substr(log_dir.size() + 1), &start)) continue;
    if (e.op == FsOp::kWrite) unsynced[e.path].push_back(&e);
    if (e.op != FsOp::kSync) continue;
    for (const TraceEntry* w : unsynced[e.path]) {
      for (int64_t off = w->offset; off + record <= w->offset + static_cast<int64_t>(w->size); off += record) {
        synced.insert(start + (off - header) / record * interval);
      }
    }
    unsynced[e.path].clear();
  }
  return synced;
}

// Every good record of `log`, in order, each equal to what was written for its time, counters
// never decreasing. Returns their times.
std::vector<int64_t> ReadBack(const Log& log) {
  std::vector<int64_t> times;
  std::optional<Record> prev;
  Status st = log.scan(kPrefixStart - 3600, INT64_MAX / 2, [&](const Record& r) {
    EXPECT_TRUE(Matches(IotaWattLayout(), r)) << log.dir() << ": record " << r.time << " is not what was written";
    for (size_t ch = 0; prev && ch < r.channels.size(); ++ch) {
      EXPECT_FALSE(counters_decrease(prev->channels[ch], r.channels[ch]))
          << log.dir() << ": counters of channel " << ch << " go back at " << r.time;
    }
    prev = r;
    times.push_back(r.time);
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return times;
}

// Slots of the log's files (as bytes on disk, read directly) that are neither empty nor good,
// among those the test can have written.
int64_t DamagedOnDisk(const Log& log) {
  const auto header = static_cast<int64_t>(format::header_size(IotaWattLayout().size()));
  const size_t record = format::record_size(IotaWattLayout());
  int64_t damaged = 0;
  // The segment files by name (LogInfo would find the first record: a read of the whole day).
  for (const std::string& name : testing::ListNames(log.dir())) {
    int64_t start = 0;
    if (!format::parse_segment_name(name, &start)) continue;
    FILE* f = std::fopen((log.dir() + "/" + name).c_str(), "rb");
    if (f == nullptr) continue;
    const int64_t from = std::max(start, kPrefixStart);
    const int64_t to = kHourStart + 3600 + 600;  // the hour, and the appends after it
    std::string one(record, '\0');
    Record r;
    for (int64_t t = from; t < to; t += log.interval()) {
      const int64_t off = header + (t - start) / log.interval() * static_cast<int64_t>(record);
      std::fill(one.begin(), one.end(), '\0');  // beyond the end of the file: zeros
      if (std::fseek(f, off, SEEK_SET) == 0) (void)std::fread(one.data(), 1, record, f);
      if (format::decode_record(IotaWattLayout(), reinterpret_cast<const uint8_t*>(one.data()), record, t, &r) ==
          format::SlotState::kDamaged) {
        ++damaged;
      }
    }
    std::fclose(f);
  }
  return damaged;
}

// After a cut: the promise of FORMAT.md for one log. `acked`: its last record when the power
// went off; `synced`: what its files held durably. `check` reads every slot of the day's
// segment (12 MB, mostly a hole, slow under the sanitizers), so it runs when there is damage to
// report and otherwise when `run_check`.
void CheckLog(const Log& log, FaultEnv* env, int64_t acked, const std::set<int64_t>& synced, bool run_check) {
  SCOPED_TRACE(log.dir());
  const std::vector<int64_t> times = ReadBack(log);
  ASSERT_FALSE(times.empty());
  const std::set<int64_t> found(times.begin(), times.end());
  // Every record that was synced is there, intact (ReadBack compared the bytes).
  for (const int64_t t : synced) EXPECT_TRUE(found.count(t) == 1) << "synced record " << t << " lost";
  // The prefix, closed cleanly before the hour, is all there.
  for (int64_t t = kPrefixStart + log.interval() - kPrefixStart % log.interval(); t <= kHourStart;
       t += log.interval()) {
    EXPECT_TRUE(found.count(t) == 1) << "record " << t << " of the clean prefix lost";
  }
  // At most sync_interval seconds of log time lost: every record older than that is there.
  for (int64_t t = kHourStart + log.interval(); t <= acked - kSyncIntervalS; t += log.interval()) {
    EXPECT_TRUE(found.count(t) == 1) << "record " << t << " lost, more than " << kSyncIntervalS
                                     << " s before the last one written (" << acked << ")";
  }
  ASSERT_TRUE(log.last_time().has_value());
  EXPECT_EQ(*log.last_time(), times.back());
  EXPECT_GE(*log.last_time(), acked - kSyncIntervalS) << "more than " << kSyncIntervalS << " s lost";
  EXPECT_LE(*log.last_time(), acked);
  // At most one torn record, and `check` says what is on the disk.
  const int64_t damaged = DamagedOnDisk(log);
  EXPECT_LE(damaged, 1);
  if (damaged == 0 && !run_check) return;
  CheckOptions options;
  options.env = env;
  auto report = check(log.dir(), options);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report->damaged_count, damaged);
  EXPECT_EQ(report->records, static_cast<int64_t>(times.size()));
  EXPECT_EQ(report->last_time, log.last_time());
  EXPECT_EQ(report->decrease_count, 0);
  EXPECT_EQ(report->damage_found(), damaged > 0 || report->trailing_bytes > 0 || !report->bad_headers.empty());
  EXPECT_TRUE(report->bad_headers.empty()) << format_report(report.value());
  if (damaged == 1) {
    // The torn record is the last write: after every good record.
    ASSERT_EQ(report->damaged.size(), 1u);
    EXPECT_GT(report->damaged[0].time, *log.last_time());
  }
}

// One run: the clean prefix, the hour with the power going off at mutating call `cut`, the cut
// with `seed`, then recovery and its checks, then an hour's appends more.
void RunCut(int64_t cut, uint64_t seed) {
  TempDir tmp;
  const std::string data = tmp.path();
  FaultEnv env;
  std::string error;
  {
    auto recorder = OpenRecorder(data, &env, &error);
    ASSERT_TRUE(recorder) << error;
    WriteUntilOff(recorder.get(), env, kPrefixStart, kHourStart);
  }  // a clean shutdown: everything synced
  const std::string clean = env.power_cut(seed);
  ASSERT_EQ(clean.find("unsynced"), std::string::npos) << "a clean shutdown left something unsynced:\n" << clean;

  env.power_off_at(cut);
  int64_t acked_current = kHourStart;  // what the logs held when the power went off
  int64_t acked_history = kHourStart;
  {
    auto recorder = OpenRecorder(data, &env, &error);
    // The power may go off while the logs are being opened: then nothing more was written.
    ASSERT_TRUE(recorder || env.powered_off()) << error;
    if (recorder) {
      acked_current = WriteUntilOff(recorder.get(), env, kHourStart, kHourStart + 3600);
      acked_history = recorder->history().last_time().value_or(0);
    }
  }  // the process is gone (its destructor's syncs fail: no power)
  const std::vector<TraceEntry> trace = env.trace();
  const std::string what = env.power_cut(seed);
  SCOPED_TRACE("cut at call " + std::to_string(cut) + ", seed " + std::to_string(seed) + "\n" + what);

  auto recorder = OpenRecorder(data, &env, &error);
  ASSERT_TRUE(recorder) << "open after the cut: " << error;
  const bool run_check = cut % 4 == 0;
  CheckLog(recorder->current(), &env, acked_current, SyncedTimes(trace, current_log_dir(data), kCurrentIntervalS),
           run_check);
  CheckLog(recorder->history(), &env, acked_history, SyncedTimes(trace, history_log_dir(data), kHistoryIntervalS),
           true);
  if (::testing::Test::HasFailure()) return;

  // The daemon starts again: its counters continue from the newest record of either log (the
  // history log may keep a record the current log lost: each file chose on its own), and
  // appends work.
  const Record last = *recorder->resume_point();
  EXPECT_EQ(last.time, std::max(*recorder->current().last_time(), *recorder->history().last_time()));
  Record resumed = last;
  resumed.channels = recorder->resume_counters(IotaWattLayout().size());
  EXPECT_TRUE(Matches(IotaWattLayout(), resumed)) << "the counters resume from another record than " << last.time;
  const int64_t resume = std::max(acked_current, kHourStart);  // the clock went on
  for (int64_t t = resume + kCurrentIntervalS; t <= resume + 300; t += kCurrentIntervalS) {
    recorder->write(MakeRecord(IotaWattLayout(), t), {});
  }
  for (int64_t t = resume + kCurrentIntervalS; t <= resume + 300; t += kCurrentIntervalS) {
    auto r = recorder->current().read(t);
    ASSERT_TRUE(r.ok() && r.value()) << "record " << t << " appended after recovery is not there";
    EXPECT_TRUE(Matches(IotaWattLayout(), *r.value()));
  }
}

TEST(PowerCut, EverySyncPointOfAScriptedHour) {
  // The recorder says every failed write after the power went off; hundreds of runs of them.
  const auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::off);
  struct Restore {
    spdlog::level::level_enum level;
    ~Restore() { spdlog::set_level(level); }
  } restore{level};
  // A dry run: which mutating calls the hour makes, and where the syncs are.
  std::vector<TraceEntry> trace;
  {
    TempDir tmp;
    FaultEnv env;
    std::string error;
    {
      auto recorder = OpenRecorder(tmp.path(), &env, &error);
      ASSERT_TRUE(recorder) << error;
      WriteUntilOff(recorder.get(), env, kPrefixStart, kHourStart);
    }
    (void)env.power_cut(0);
    auto recorder = OpenRecorder(tmp.path(), &env, &error);
    ASSERT_TRUE(recorder) << error;
    WriteUntilOff(recorder.get(), env, kHourStart, kHourStart + 3600);
    trace = env.trace();
  }
  const auto calls = static_cast<int64_t>(trace.size());
  std::set<int64_t> cuts = {0, calls};
  int64_t file_syncs = 0;
  int64_t dir_syncs = 0;
  for (const TraceEntry& e : trace) {
    if (!is_sync(e.op)) continue;
    (e.op == FsOp::kSync ? file_syncs : dir_syncs) += 1;
    cuts.insert(e.index);      // just before: the sync does not happen
    cuts.insert(e.index + 1);  // just after: nothing after it does
  }
  // The hour as the daemon writes it: 720 + 60 records, a sync a minute per log, the current
  // log's next day's segment created (header sync, rename, directory sync).
  EXPECT_GE(file_syncs, 60 + 60);
  EXPECT_GE(dir_syncs, 1);
  EXPECT_TRUE(std::any_of(trace.begin(), trace.end(),
                          [](const TraceEntry& e) {
                            return e.op == FsOp::kRename &&
                                   e.path.find(format::segment_name(kBoundary)) != std::string::npos;
                          }))
      << "the hour does not create the segment of " << kBoundary;
  const uint64_t base_seed = static_cast<uint64_t>(env_number("IOTAWATT_POWER_CUT_SEED", 20261207));
  std::mt19937_64 rng(base_seed);
  const int64_t random_cuts = env_number("IOTAWATT_POWER_CUT_RANDOM", 24);
  for (int64_t k = 0; k < random_cuts; ++k) cuts.insert(static_cast<int64_t>(rng() % static_cast<uint64_t>(calls)));
  int64_t runs = 0;
  for (const int64_t cut : cuts) {
    RunCut(cut, base_seed + static_cast<uint64_t>(cut));
    ++runs;
    if (::testing::Test::HasFailure()) break;  // one replayable failure is enough
  }
  RecordProperty("cuts", static_cast<int>(runs));
  std::cout << "power cuts: " << runs << " of " << calls << " calls (" << file_syncs << " file syncs, " << dir_syncs
            << " directory syncs), base seed " << base_seed << "\n";
}

}  // namespace
}  // namespace iw::datalog
