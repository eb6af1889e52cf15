#include "cli/seed.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "app/assembly.h"
#include "app/source_guard.h"
#include "app/wiring.h"
#include "config/config_file.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"
#include "datalog/recorder.h"
#include "datalog/source_mark.h"
#include "sim/interval_model.h"
#include "sim/scenarios.h"

namespace iw::cli {
namespace {

constexpr int64_t kInterval = datalog::kCurrentIntervalS;

int fail(const std::string& message) {
  std::fprintf(stderr, "seed: %s\n", message.c_str());
  return 2;
}

datalog::Layout layout_of(const sim::Panel& panel) {
  datalog::Layout layout(static_cast<size_t>(panel.device_channels), measure::ChannelKind::kUnused);
  for (const sim::Channel& ch : panel.channels) {
    layout[static_cast<size_t>(ch.input)] =
        ch.type == sim::ChannelType::kVT ? measure::ChannelKind::kVoltage : measure::ChannelKind::kCurrent;
  }
  return layout;
}

Status write_scenario_config(const SeedOptions& options) {
  const std::string path = options.data_dir + "/config.txt";
  if (std::filesystem::exists(path)) return Status::Ok();
  auto config = app::scenario_config(options.scenario);
  if (!config) return config.status();
  // `run` continues the history live with the same daily model draws (sim.seed).
  if (!config->sim) config->sim.emplace();
  config->sim->seed = options.seed;
  return config::save_config_file(path, config.value());
}

}  // namespace

int run_seed(const SeedOptions& options) {
  if (options.data_dir.empty()) return fail("--data is required");
  if (!(options.days > 0)) return fail("--days must be more than 0");
  auto panel = sim::make_scenario(options.scenario);
  if (!panel) return fail(panel.error());
  const datalog::Layout layout = layout_of(panel.value());
  // Simulated history never goes among an ADC board's measurements (source_guard.h).
  const std::string datalog = datalog::datalog_dir(options.data_dir);
  if (auto mark = datalog::read_source_mark(datalog); !mark || mark.value() == datalog::DataSource::kAdc) {
    return fail(mark ? options.data_dir + " holds an ADC board's measurements (" + datalog::source_mark_path(datalog) +
                           " says adc); seed into another --data directory"
                     : mark.error());
  }

  // One sync at the end: a seed that is interrupted is simply run again on an empty directory.
  constexpr int64_t kNoSync = INT64_MAX / 4;
  auto current = datalog::open_daemon_log(options.data_dir, datalog::DaemonLog::kCurrent, layout, kNoSync);
  if (!current) return fail(current.error());
  auto history = datalog::open_daemon_log(options.data_dir, datalog::DaemonLog::kHistory, layout, kNoSync);
  if (!history) return fail(history.error());

  const int64_t now =
      options.end_s > 0
          ? options.end_s
          : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  const int64_t end = now / kInterval * kInterval;
  const int64_t begin = end - static_cast<int64_t>(options.days * 86400) / kInterval * kInterval;
  const int64_t current_begin =
      options.current_days > 0 ? end - static_cast<int64_t>(options.current_days * 86400) : begin;
  if (auto last = current.value()->last_time(); last && *last >= begin) {
    return fail(options.data_dir + " already has records up to " + std::to_string(*last) +
                "; seed into an empty --data directory (records are never written out of order)");
  }

  auto model = sim::IntervalModel::create(panel.value(), options.seed);
  if (!model) return fail(model.error());
  const auto started = std::chrono::steady_clock::now();
  const int64_t total = (end - begin) / kInterval;
  int64_t done = 0, in_current = 0;
  int last_percent = -1;
  Status failure;
  auto sink = [&](int64_t t, const sim::IntervalModel::Counters& counters) {
    if (!failure.ok()) return;
    const datalog::Record record = datalog::record_of(t, counters);
    if (t >= current_begin) {
      failure = current.value()->append(record);
      ++in_current;
    }
    if (failure.ok() && datalog::Recorder::goes_to_history(t)) failure = history.value()->append(record);
    ++done;
    const int percent = static_cast<int>(done * 100 / std::max<int64_t>(1, total));
    if (options.progress && percent % 5 == 0 && percent != last_percent) {
      last_percent = percent;
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "\rseed: %3d %% (%lld of %lld records, %.1f s)", percent, static_cast<long long>(done),
                   static_cast<long long>(total), seconds);
      std::fflush(stderr);
    }
  };
  if (Status st = model->run(begin, end, static_cast<int>(kInterval), sink); !st) return fail(st.message());
  if (options.progress) std::fprintf(stderr, "\n");
  if (!failure.ok()) return fail(failure.message());
  for (auto* log : {current.value().get(), history.value().get()}) {
    if (Status st = log->sync(); !st) return fail(st.message());
  }
  if (Status st = datalog::write_source_mark(datalog, datalog::DataSource::kSimulator); !st) return fail(st.message());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The data directory describes itself: `run` and `query` on it use the scenario's inputs.
  if (Status st = write_scenario_config(options); !st) return fail(st.message());
  std::printf("seeded %s: %.1f days of %s, %lld records at 5 s and %lld at 60 s, in %.1f s\n", options.data_dir.c_str(),
              options.days, options.scenario.c_str(), static_cast<long long>(in_current),
              static_cast<long long>(done / (datalog::kHistoryIntervalS / kInterval)), seconds);
  return 0;
}

}  // namespace iw::cli
