// `iotawatt log info|check|repair --data DIR`: looks at (and mends) the daemon's datalogs.
#pragma once

#include <string>

namespace iw::cli {

// Prints a report to stdout. Returns the exit code: 0, or 1 when `check` found damage (or
// `repair` could not finish), 2 when the logs could not be read at all.
int run_log_tool(const std::string& action, const std::string& data_dir);

}  // namespace iw::cli
