#include "datalog/data_dir.h"

#include <filesystem>

namespace iw::datalog {

std::string datalog_dir(const std::string& data_dir) { return data_dir + "/datalog"; }
std::string current_log_dir(const std::string& data_dir) { return datalog_dir(data_dir) + "/current"; }
std::string history_log_dir(const std::string& data_dir) { return datalog_dir(data_dir) + "/history"; }
std::string integrator_log_dir(const std::string& data_dir, const std::string& name) {
  return datalog_dir(data_dir) + "/integrators/" + name;
}

Result<std::unique_ptr<Log>> open_log_dir(const std::string& dir, const LogOptions& options, const std::string& what) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError(what + ": cannot create " + dir + ": " + ec.message());
  auto log = Log::Open(dir, options);
  if (!log) return log.status().with_context(what);
  return log;
}

Result<std::unique_ptr<Log>> open_daemon_log(const std::string& data_dir, DaemonLog which, const Layout& layout,
                                             int64_t sync_interval_s, Env* env) {
  const bool current = which == DaemonLog::kCurrent;
  LogOptions options = current ? current_log_options(layout) : history_log_options(layout);
  options.sync_interval_s = sync_interval_s;
  options.env = env;
  return open_log_dir(current ? current_log_dir(data_dir) : history_log_dir(data_dir), options,
                      current ? "current log" : "history log");
}

}  // namespace iw::datalog
