// Reads /metrics text with the official Prometheus parser (tests/app/metrics_parse.py, on
// python3-prometheus-client) for the metrics tests.
#pragma once

#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/daemon_process.h"

namespace iw::testing {

// {"types": {family: type}, "samples": [[name, labels, value or null]]}; null when the parser
// refused the text.
inline nlohmann::json parse_with_prometheus_client(const std::string& text) {
  const std::string in = temp_path("metrics.txt");
  std::ofstream(in) << text;
  const std::string cmd =
      "/usr/bin/python3 " + std::string(IOTAWATT_SOURCE_DIR) + "/tests/app/metrics_parse.py < " + in;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  return pclose(p) == 0 ? nlohmann::json::parse(out) : nlohmann::json();
}

}  // namespace iw::testing
