// iotawatt: the command line. `iotawatt --help` is the map.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "app/install_paths.h"
#include "app/launcher.h"
#include "app/realtime.h"
#include "app/version.h"
#include "cli/accuracy.h"
#include "cli/import_tool.h"
#include "cli/log_tools.h"
#include "cli/query_tool.h"
#include "cli/record_tool.h"
#include "cli/release_tool.h"
#include "cli/seed.h"
#include "cli/update_tool.h"
#include "daemon/daemon.h"
#include "server/host_names.h"
#include "sim/scenarios.h"

namespace {

int run_accuracy_command(iw::cli::AccuracyOptions options, const std::string& adc, const std::string& mode,
                         const std::string& sensors, const std::string& calibration, bool json) {
  std::erase_if(options.columns, [&](const iw::cli::Column& c) {
    return (adc != "all" && adc != iw::sim::to_string(c.adc)) ||
           (mode != "all" && mode != iw::source::to_string(c.mode)) ||
           (sensors != "all" && sensors != iw::cli::to_string(c.sensors)) ||
           (calibration != "all" && (calibration == "user") != c.calibrated);
  });
  options.progress = !json;
  if (iw::Status st = iw::cli::check_accuracy_options(options); !st) {
    std::cerr << "accuracy: " << st.message() << "\n";
    return 2;
  }
  const auto results = iw::cli::run_accuracy(options);
  if (json) {
    std::cout << iw::cli::accuracy_json(results).dump(2) << "\n";
  } else {
    std::cout << iw::cli::accuracy_table(results);
  }
  size_t failed = 0;
  for (const auto& r : results) failed += r.pass ? 0 : 1;
  if (!json) std::cout << (results.size() - failed) << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

// --allow-host: what server::normalize_host() accepts (a name or address, no scheme or port).
CLI::Validator host_name_check() {
  return CLI::Validator(
      [](const std::string& name) -> std::string {
        if (iw::server::normalize_host(name)) return {};
        return "'" + name + "' is not a host name (a DNS name or an IP address, no scheme or port; IPv6 in [])";
      },
      "HOST");
}

// --rt-cpu: what app::parse_realtime_cpu() accepts.
CLI::Validator realtime_cpu_check() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        auto cpu = iw::app::parse_realtime_cpu(text);
        return cpu.ok() ? std::string() : cpu.error();
      },
      "CPU");
}

// After the updater installed a version or rolled one back: the launcher (this program, or
// the one that started it) decides again what runs. Returns only when it cannot be started.
int restart_launcher(char** argv) {
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  const std::string launcher = iw::app::launcher_path().value_or(self);
  ::unsetenv(iw::app::kLauncherEnv);
  ::unsetenv(iw::app::kUpdateTrialEnv);
  ::execv(launcher.c_str(), argv);
  std::cerr << "update: cannot start " << launcher << " again: " << std::strerror(errno) << "\n";
  return iw::daemon::kRestartForUpdate;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"iotawatt: an open electricity monitor (IoTaWatt-compatible) for Linux"};
  app.set_version_flag("--version", std::string(iw::app::kVersion));
  app.require_subcommand(1);

  // Defaults for the installed program (share/iotawatt/web beside bin/) or the build tree.
  const iw::app::InstallPaths paths = iw::app::install_paths();
  iw::app::RunOptions run;
  run.web_dir = paths.web_dir;
  run.data_dir = paths.data_dir;
  run.system_config = paths.system_config;
  auto* run_cmd = app.add_subcommand("run", "Run the daemon: sample, measure, serve the HTTP API");
  run_cmd->add_option("--config", run.config_path,
                      paths.system_config.empty()
                          ? "config file (IoTaWatt config.txt schema; default: <data>/config.txt)"
                          : "config file (IoTaWatt config.txt schema; default: <data>/config.txt, or " +
                                paths.system_config + " until the web app saves one)");
  run_cmd->add_option("--data", run.data_dir, "data directory (datalogs)")->capture_default_str();
  run_cmd->add_option("--http", run.http, "listen address HOST:PORT")->capture_default_str();
  run_cmd->add_option("--https", run.https,
                      "HTTPS listen address HOST:PORT (off by default; self-signed certificate in <data>/tls/ "
                      "unless --tls-cert/--tls-key)");
  run_cmd->add_option("--tls-cert", run.tls_cert, "PEM certificate chain for --https")->check(CLI::ExistingFile);
  run_cmd->add_option("--tls-key", run.tls_key, "PEM private key for --https")->check(CLI::ExistingFile);
  std::string scenarios;
  for (const auto& s : iw::sim::scenario_names()) scenarios += (scenarios.empty() ? "" : ", ") + s;
  run_cmd->add_option("--sim", run.sim_scenario, "simulator scenario: " + scenarios);
  run_cmd->add_option("--speed", run.speed, "simulated seconds per second (0: as fast as possible)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_option("--mode", run.mode, "sampling mode")->check(CLI::IsMember({"continuous", "roundrobin"}));
  run_cmd->add_option("--replay", run.replay_path, "measure a recorded sample file");
  run_cmd->add_flag("--confirm-source", run.confirm_source,
                    "log simulated (or replayed) data into a datalog that holds an ADC board's measurements");
  run_cmd->add_option("--web", run.web_dir, "directory of the web app served at /")->capture_default_str();
  run_cmd
      ->add_option("--allow-host", run.allowed_hosts,
                   "a host name (or IP address) the HTTP API answers to besides this machine's own; repeatable")
      ->check(host_name_check());
  double adc_retry_max_s = 60;
  run_cmd
      ->add_option("--adc-retry-max", adc_retry_max_s,
                   "seconds: when the config's ADC cannot be opened (no /dev/spidev*, no permission) the daemon "
                   "serves and tries again after 1 s, 2 s, 4 s ... up to this")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 3600.0));
  std::string realtime_mode = "auto", realtime_cpu = "last";
  run_cmd
      ->add_option("--realtime", realtime_mode,
                   "the sampling thread's real-time policy (SCHED_FIFO, memory locked, pinned to a CPU): on, off, "
                   "or auto = on for an ADC board, off for the simulator and replay")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "on", "off"}));
  run_cmd->add_option("--rt-priority", run.realtime.priority, "SCHED_FIFO priority of the sampling thread")
      ->capture_default_str()
      ->check(CLI::Range(1, 99));
  run_cmd
      ->add_option("--rt-cpu", realtime_cpu,
                   "CPU the real-time sampling thread is pinned to: last (of those the daemon may use), a number, "
                   "or none; with 3 or more CPUs the daemon's other threads keep off it")
      ->capture_default_str()
      ->check(realtime_cpu_check());

  std::string adc = "all", mode = "all", sensors = "all", calibration = "all";
  bool json = false;
  iw::cli::AccuracyOptions accuracy;
  auto* acc = app.add_subcommand("accuracy", "Run the IEC 62053-21 style accuracy suite on the simulator");
  acc->add_option("--adc", adc, "ADC model")->check(CLI::IsMember({"ideal", "12bit", "all"}));
  acc->add_option("--mode", mode, "sampling mode")->check(CLI::IsMember({"continuous", "roundrobin", "all"}));
  acc->add_option("--sensors", sensors,
                  "catalog: sensors exactly as their catalog entries; real: units with ratio and phase errors "
                  "(12-bit, continuous)")
      ->check(CLI::IsMember({"catalog", "real", "all"}));
  acc->add_option("--calibration", calibration,
                  "none, or user: the one-point calibration a user makes first (VT ratio against a voltmeter, "
                  "CT phase with a kettle, CT ratio against the utility meter)")
      ->check(CLI::IsMember({"none", "user", "all"}));
  acc->add_flag("--json", json, "print one JSON object instead of a table");
  acc->add_option("--point", accuracy.points, "run only these test points (repeatable; default: all)");
  acc->add_option("--seeds", accuracy.seeds, "runs per point, each with its own random draws")->capture_default_str();
  acc->add_option("--creep-hours", accuracy.creep_hours, "simulated hours of the creep test, shared among the seeds")
      ->capture_default_str();
  acc->add_option("--seconds", accuracy.seconds, "simulated seconds per steady point")->capture_default_str();
  acc->add_option("--switching-seconds", accuracy.switching_seconds, "simulated seconds of the switching-load test")
      ->capture_default_str();
  acc->add_option("--threads", accuracy.threads, "worker threads (0: one per core)")->capture_default_str();
  acc->add_option("--record", accuracy.record_dir,
                  "write the one selected run's samples (DIR/samples.replay) and config (DIR/config.txt), "
                  "for `run --replay`; energy is then counted between 5 s checkpoints");

  iw::cli::RecordOptions record;
  auto* rec = app.add_subcommand("record", "Record simulated ADC samples to a replay file");
  rec->add_option("--sim", record.sim_scenario, "scenario")->capture_default_str();
  rec->add_option("--seconds", record.seconds, "simulated seconds")->capture_default_str();
  rec->add_option("--mode", record.mode, "sampling mode")->check(CLI::IsMember({"continuous", "roundrobin"}));
  rec->add_option("--out", record.out, "replay file to write")->required();

  std::string log_action, log_data = paths.data_dir;
  auto* log_cmd = app.add_subcommand("log", "Inspect the datalogs: info, check (exit 1 on damage), repair");
  log_cmd->add_option("action", log_action, "info | check | repair")
      ->required()
      ->check(CLI::IsMember({"info", "check", "repair"}));
  log_cmd->add_option("--data", log_data, "data directory")->capture_default_str();

  iw::cli::SeedOptions seed;
  auto* seed_cmd = app.add_subcommand("seed", "Write days of simulated history straight into the datalogs");
  seed_cmd->add_option("--scenario", seed.scenario, "simulator scenario")->capture_default_str();
  seed_cmd->add_option("--days", seed.days, "days of history, ending now")->capture_default_str();
  seed_cmd->add_option("--data", seed.data_dir, "data directory")->required();
  seed_cmd->add_option("--seed", seed.seed, "random seed")->capture_default_str();
  seed_cmd->add_option("--current-days", seed.current_days,
                       "write 5 s records only for the last N days (older days: 60 s history only); 0: all days");

  std::string import_data;
  std::vector<std::string> import_files;
  auto* import_cmd =
      app.add_subcommand("import", "Import the original IoTaWatt's iotalog.log / histlog.log into the datalogs");
  import_cmd->add_option("--data", import_data, "data directory")->required();
  import_cmd->add_option("files", import_files, "original log files")->required()->check(CLI::ExistingFile);

  iw::cli::QueryToolOptions query;
  auto* query_cmd = app.add_subcommand(
      "query", "Answer a /query request from a data directory, offline (same output as the HTTP API)");
  query_cmd->add_option("--data", query.data_dir, "data directory")->required();
  query_cmd->add_option("--config", query.config_path, "config file (default: <data>/config.txt)");
  query_cmd->add_option("--sim", query.scenario, "scenario whose config to use when there is no config file");
  query_cmd
      ->add_option("query", query.query, "query string, e.g. 'select=[time.iso,Mains.watts]&begin=d&end=s&group=h'")
      ->required();

  auto* release_cmd =
      app.add_subcommand("release", "Publish signed updates: keygen, sign, verify (src/update/FORMAT.md)");
  release_cmd->require_subcommand(1);
  std::string keygen_out;
  auto* keygen_cmd = release_cmd->add_subcommand("keygen", "Write a new Ed25519 signing key and its public key");
  keygen_cmd->add_option("--out", keygen_out, "private key file to create (mode 0600); public key: <out>.pub")
      ->required();
  iw::cli::ReleaseSignOptions sign;
  auto* sign_cmd =
      release_cmd->add_subcommand("sign", "Copy bundles into an update server directory and sign its manifest");
  sign_cmd->add_option("--key", sign.key_paths, "private key file (repeat to sign with two keys)")->required();
  sign_cmd->add_option("--class", sign.update_class, "MAJOR, MINOR, BETA or ALPHA")->capture_default_str();
  sign_cmd->add_option("--version", sign.version, "release version, MAJOR.MINOR.PATCH[-pre]")->required();
  sign_cmd->add_option("--min-version", sign.min_version, "oldest installed version it may replace")
      ->capture_default_str();
  sign_cmd->add_option("--days", sign.days, "days until the manifest expires")->capture_default_str();
  sign_cmd->add_option("--rotate-to", sign.rotate_to, "public key devices trust from this manifest on (repeat)");
  sign_cmd->add_option("--out", sign.out_dir, "update server root directory")->required();
  sign_cmd->add_option("bundles", sign.bundles, "iotawatt_<version>_<arch>.deb or .tar.gz")
      ->required()
      ->check(CLI::ExistingFile);
  std::string verify_manifest, verify_root;
  std::vector<std::string> verify_trust;
  auto* verify_cmd = release_cmd->add_subcommand("verify", "Check a manifest and its bundles as a device would");
  verify_cmd->add_option("--trust", verify_trust, "public key to trust (64 hex digits; repeat)")->required();
  verify_cmd->add_option("--root", verify_root, "update server root (default: the manifest's directory's parent)");
  verify_cmd->add_option("manifest", verify_manifest, "manifests/<CLASS>.json")->required();

  iw::cli::UpdateToolOptions update;
  update.data_dir = paths.data_dir;
  update.system_config = paths.system_config;
  auto* update_cmd =
      app.add_subcommand("update", "Signed updates by hand: check, install (then restart), rollback, status");
  update_cmd->add_option("action", update.action, "check | install | rollback | status")
      ->required()
      ->check(CLI::IsMember({"check", "install", "rollback", "status"}));
  update_cmd->add_option("--data", update.data_dir, "data directory")->capture_default_str();
  update_cmd->add_option("--config", update.config_path, "config file (default: the one the daemon reads)");
  update_cmd->add_flag("--allow-downgrade", update.allow_downgrade, "install: accept an older version");

  CLI11_PARSE(app, argc, argv);
  if (*update_cmd) return iw::cli::run_update_tool(update);
  if (*keygen_cmd) return iw::cli::run_release_keygen(keygen_out);
  if (*sign_cmd) return iw::cli::run_release_sign(sign);
  if (*verify_cmd) return iw::cli::run_release_verify(verify_manifest, verify_trust, verify_root);
  if (*query_cmd) return iw::cli::run_query_tool(query);
  if (*run_cmd) {
    run.realtime.mode = iw::app::parse_realtime_mode(realtime_mode).value();
    run.realtime.cpu = iw::app::parse_realtime_cpu(realtime_cpu).value();
    run.adc_retry_longest = std::chrono::milliseconds(static_cast<int64_t>(adc_retry_max_s * 1000));
    run.startup_notes = iw::app::hand_over_to_installed_update(run.data_dir, argv);
    const int rc = iw::daemon::run_daemon(run);
    if (rc == iw::daemon::kRestartForUpdate) return restart_launcher(argv);
    return rc;
  }
  if (*acc) return run_accuracy_command(accuracy, adc, mode, sensors, calibration, json);
  if (*rec) return iw::cli::record_samples(record);
  if (*import_cmd) return iw::cli::run_import(import_data, import_files);
  if (*seed_cmd) return iw::cli::run_seed(seed);
  if (*log_cmd) return iw::cli::run_log_tool(log_action, log_data);
  return 0;
}
