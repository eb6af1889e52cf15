// What `iotawatt run` is told on its command line: where the config and the data live, which
// source feeds it (the config's ADC board, a replay file or the panel simulator), and where it
// listens. The daemon (daemon/daemon.h) and the services it assembles read it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "app/realtime.h"

namespace iw::app {

struct RunOptions {
  // Empty: <data>/config.txt when it exists, else the simulator's own config for its scenario.
  // POST /config saves to this file.
  std::string config_path;
  // With no config_path: read at start-up until <data>/config.txt exists (install_paths.h:
  // /etc/iotawatt/config.json for an installed program). Never written.
  std::string system_config;
  std::string data_dir = "/var/lib/iotawatt";
  std::string http = "127.0.0.1:8080";
  // HTTPS listener (HOST:PORT), off when empty. Without tls_cert/tls_key, a self-signed
  // certificate is made on first start in <data>/tls/ and kept.
  std::string https;
  std::string tls_cert, tls_key;  // PEM files: the admin's own certificate chain and key
  std::string sim_scenario;       // empty: config's sim.scenario, else household-230v-50hz
  std::string replay_path;        // replay a recorded sample file instead of sampling
  std::string mode;               // continuous | roundrobin; empty: the config's
  double speed = 1;               // simulator/replay only: simulated seconds per second; 0 unpaced
  // Run the simulator (or a replay) on a data directory whose datalog holds an ADC board's
  // measurements (source_guard.h); without it the daemon refuses to start there.
  bool confirm_source = false;
  std::string web_dir = IOTAWATT_WEB_DIR;  // the web app's files, served at /
  // Host names the HTTP API answers to besides the machine's own (--allow-host; the config's
  // http.hosts adds more). Each must pass server::normalize_host().
  std::vector<std::string> allowed_hosts;
  // Longest wait between attempts to open an ADC that is unavailable (app/source_retry.h;
  // --adc-retry-max); the first comes after 1 s, or this when shorter.
  std::chrono::milliseconds adc_retry_longest{60000};
  // The sampling thread's real-time policy (--realtime, --rt-priority, --rt-cpu).
  RealtimeRequest realtime;
  // Said by the launcher before logging was up (a rollback, a failed hand-over): logged first.
  std::vector<std::string> startup_notes;
};

}  // namespace iw::app
