// Where the daemon's logs live in its data directory, and how one is opened there:
//
//   <data dir>/datalog/                     the SOURCE mark (source_mark.h), the STOP record (stop_record.h)
//   <data dir>/datalog/current/             5 s records (log.h: current_log_options)
//   <data dir>/datalog/history/             60 s records (log.h: history_log_options)
//   <data dir>/datalog/integrators/<name>/  a logged integrator's records (query/integrator_logs.h)
//
// Every program that reads or writes a data directory (the daemon, `query`, `seed`, `import`,
// `log`) finds the logs through these functions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "datalog/log.h"

namespace iw::datalog {

std::string datalog_dir(const std::string& data_dir);
std::string current_log_dir(const std::string& data_dir);
std::string history_log_dir(const std::string& data_dir);
std::string integrator_log_dir(const std::string& data_dir, const std::string& name);

// Opens the log in `dir` for writing, creating the directory (and its parents) when needed.
// Errors start with `what` ("current log", "integrator solar", ...).
Result<std::unique_ptr<Log>> open_log_dir(const std::string& dir, const LogOptions& options, const std::string& what);

enum class DaemonLog { kCurrent, kHistory };

// Opens the current or the history log of `data_dir` for writing, with its interval, `layout`
// and `sync_interval_s`, on `env` (tests: a fault-injecting one).
Result<std::unique_ptr<Log>> open_daemon_log(const std::string& data_dir, DaemonLog which, const Layout& layout,
                                             int64_t sync_interval_s = 60, Env* env = Env::Default());

}  // namespace iw::datalog
