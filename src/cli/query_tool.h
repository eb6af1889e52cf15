// `iotawatt query --data DIR '<query string>'`: the HTTP API's /query on a data directory, offline.
// Prints exactly what GET /query?<query string> would answer.
#pragma once

#include <string>

namespace iw::cli {

struct QueryToolOptions {
  std::string data_dir;
  std::string config_path;  // empty: <data>/config.txt, else the simulator scenario's config
  std::string scenario;     // which scenario's config when there is no config file
  std::string query;        // "select=[...]&begin=...", or "show=series"; a leading '?' is ignored
};

// Exit code: 0 answered, 1 the query is malformed (the error body goes to stderr), 2 the data or
// config cannot be read.
int run_query_tool(const QueryToolOptions& options);

}  // namespace iw::cli
