#include "cli/import_tool.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <filesystem>

#include "datalog/data_dir.h"
#include "datalog/iotawatt_import.h"
#include "datalog/log.h"
#include "datalog/recorder.h"

namespace iw::cli {
namespace {

bool is_history_file(const std::string& file) {
  return std::filesystem::path(file).filename().string().find("hist") != std::string::npos;
}

// The history log holds the current log's whole-minute records (as on the original), so long
// queries see imported 5 s data too. Records the history already covers are left alone.
int copy_minutes_to_history(const std::string& data_dir, const datalog::Log& current, const datalog::Layout& layout,
                            int64_t first, int64_t last) {
  auto history = datalog::open_daemon_log(data_dir, datalog::DaemonLog::kHistory, layout);
  if (!history) {
    std::fprintf(stderr, "import: %s\n", history.error().c_str());
    return 1;
  }
  const int64_t after = history.value()->last_time().value_or(INT64_MIN);
  int64_t copied = 0;
  Status failure;
  Status st = current.scan(first, last, [&](const datalog::Record& r) {
    if (!datalog::Recorder::goes_to_history(r.time) || r.time <= after) return true;
    failure = history.value()->append(r);
    copied += failure.ok() ? 1 : 0;
    return failure.ok();
  });
  if (st.ok()) st = failure;
  if (st.ok()) st = history.value()->sync();
  if (!st.ok()) {
    std::fprintf(stderr, "import: history log: %s\n", st.message().c_str());
    return 1;
  }
  std::printf("  %lld whole-minute record(s) copied to the history log\n", static_cast<long long>(copied));
  return 0;
}

int import_one(const std::string& data_dir, const std::string& file) {
  auto layout = datalog::detect_iotawatt_layout(file);
  if (!layout) {
    std::fprintf(stderr, "import: %s\n", layout.error().c_str());
    return 1;
  }
  const bool history = is_history_file(file);
  auto log = datalog::open_daemon_log(data_dir, history ? datalog::DaemonLog::kHistory : datalog::DaemonLog::kCurrent,
                                      layout.value());
  if (!log) {
    std::fprintf(stderr, "import: %s\n", log.error().c_str());
    return 1;
  }
  datalog::ImportOptions import_options;
  import_options.layout = layout.value();
  import_options.progress = [&](int64_t done, int64_t total) {
    std::fprintf(stderr, "\rimport %s: %lld of %lld records", file.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total));
    std::fflush(stderr);
  };
  auto report = datalog::import_iotawatt_log(file, *log.value(), import_options);
  std::fprintf(stderr, "\n");
  if (!report) {
    std::fprintf(stderr, "import: %s\n", report.error().c_str());
    return 1;
  }
  if (Status st = log.value()->sync(); !st) {
    std::fprintf(stderr, "import: %s\n", st.message().c_str());
    return 1;
  }
  std::printf("%s -> %s log\n%s\n", file.c_str(), history ? "history" : "current", report->summary().c_str());
  if (!history && report->imported_first && report->imported_last) {
    return copy_minutes_to_history(data_dir, *log.value(), layout.value(), *report->imported_first,
                                   *report->imported_last);
  }
  return 0;
}

}  // namespace

int run_import(const std::string& data_dir, const std::vector<std::string>& files) {
  if (files.empty()) {
    std::fprintf(stderr, "import: name at least one file (iotalog.log, histlog.log)\n");
    return 2;
  }
  // History files first: they reach further back, and records are never written out of order.
  std::vector<std::string> ordered = files;
  std::stable_partition(ordered.begin(), ordered.end(), is_history_file);
  int rc = 0;
  for (const std::string& file : ordered) rc = std::max(rc, import_one(data_dir, file));
  return rc;
}

}  // namespace iw::cli
