#include "cli/log_tools.h"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"
#include "datalog/check.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"

namespace iw::cli {
namespace {

std::string utc(int64_t t) { return utc_text(t, ' '); }

int info(const std::string& name, const std::string& dir) {
  auto log = datalog::Log::OpenReadOnly(dir);
  if (!log) {
    std::printf("%s: %s\n", name.c_str(), log.error().c_str());
    return 2;
  }
  const datalog::LogInfo i = log.value()->info();
  std::printf("%s log (%s): interval %lld s, %zu segment(s), %lld bytes\n", name.c_str(), dir.c_str(),
              static_cast<long long>(log.value()->interval()), i.segments.size(),
              static_cast<long long>(i.total_bytes));
  if (i.first_time && i.last_time) {
    std::printf("  records from %s to %s\n", utc(*i.first_time).c_str(), utc(*i.last_time).c_str());
  } else {
    std::printf("  no records\n");
  }
  return 0;
}

}  // namespace

int run_log_tool(const std::string& action, const std::string& data_dir) {
  const std::pair<std::string, std::string> logs[] = {{"current", datalog::current_log_dir(data_dir)},
                                                      {"history", datalog::history_log_dir(data_dir)}};
  if (!std::filesystem::exists(logs[0].second) && !std::filesystem::exists(logs[1].second)) {
    std::printf("no datalogs in %s/datalog (is --data the daemon's data directory?)\n", data_dir.c_str());
    return 2;
  }
  int rc = 0;
  for (const auto& [name, dir] : logs) {
    if (!std::filesystem::exists(dir)) {
      std::printf("%s log: none yet\n", name.c_str());
      continue;
    }
    if (action == "info") {
      rc = std::max(rc, info(name, dir));
      continue;
    }
    auto report = action == "repair" ? datalog::repair(dir) : datalog::check(dir);
    if (!report) {
      std::printf("%s log: %s\n", name.c_str(), report.error().c_str());
      rc = std::max(rc, 2);
      continue;
    }
    std::printf("== %s log\n%s\n", name.c_str(), datalog::format_report(report.value()).c_str());
    if (action == "check" && report->damage_found()) rc = std::max(rc, 1);
  }
  return rc;
}

}  // namespace iw::cli
