#include "app/daemon.h"

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "app/datalog_service.h"
#include "app/sampler.h"
#include "app/status_model.h"
#include "app/version.h"
#include "app/wiring.h"
#include "config/config_file.h"
#include "config/config_parser.h"
#include "server/http_server.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "source/mcp3x08_source.h"
#include "source/replay_source.h"
#include "source/replay_writer.h"
#include "source/spidev_port.h"

namespace iw::app {
namespace {

constexpr const char* kDefaultScenario = "household-230v-50hz";
constexpr double kDefaultNominalHz = 50;  // round-robin captures of 1.6 cycles fit 50 and 60 Hz

// Everything the daemon runs on, decided before any thread starts.
struct Assembly {
  config::Config config;
  std::unique_ptr<source::SampleSource> source;
  AdcScaling scaling;
  bool paced = false;  // simulated or replayed time: the sampler paces it
};

int64_t unix_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status apply_mode(const std::string& mode, config::Config& config) {
  if (mode.empty()) return Status::Ok();
  if (!source::parse_sampling_mode(mode, &config.sampling.mode)) {
    return Status::Error("--mode: '" + mode + "' is not continuous or roundrobin");
  }
  return Status::Ok();
}

bool has_active_input(const config::Config& config) {
  for (const auto& in : config.inputs) {
    if (in) return true;
  }
  return false;
}

Result<sim::Panel> scenario_panel(const RunOptions& options, const config::Config* config) {
  std::string name = options.sim_scenario;
  if (name.empty() && config != nullptr && config->sim) name = config->sim->scenario;
  if (name.empty()) name = kDefaultScenario;
  return sim::make_scenario(name);
}

Result<config::Config> scenario_config(const sim::Panel& panel) {
  auto parsed = config::parse_config(panel.iotawatt_config(), config::ModelCatalog::builtin());
  if (!parsed) return Status::Error("the simulator's config for " + panel.scenario + " is invalid:\n" + parsed.error());
  return parsed;
}

Result<Assembly> assemble_sim(const RunOptions& options, std::optional<config::Config> loaded) {
  auto panel = scenario_panel(options, loaded ? &*loaded : nullptr);
  if (!panel) return panel.status();
  Assembly a;
  if (loaded && has_active_input(*loaded)) {
    a.config = std::move(*loaded);
  } else {
    auto cfg = scenario_config(panel.value());
    if (!cfg) return cfg.status();
    a.config = std::move(cfg.value());
  }
  if (Status st = apply_mode(options.mode, a.config); !st) return st;
  a.scaling = AdcScaling{panel->adc.vref, 13};  // the simulator's config cal assumes the /13 divider
  const source::SamplingPlan plan = sampling_plan(a.config, 200000, panel->mains.hz);
  const uint64_t seed = a.config.sim && a.config.sim->seed ? *a.config.sim->seed : 1;
  auto simulator = sim::Simulator::create(std::move(panel.value()), plan, unix_now_ns(), seed);
  if (!simulator) return Status::Error("simulator: " + simulator.error());
  a.source = std::move(simulator.value());
  a.paced = true;
  return a;
}

Result<Assembly> assemble_hardware(const RunOptions& options, config::Config cfg) {
  Assembly a;
  a.config = std::move(cfg);
  if (Status st = apply_mode(options.mode, a.config); !st) return st;
  const config::AdcConfig& adc = *a.config.adc;
  auto board = source::find_board(adc.board);
  if (!board) return Status::Error("adc.board: " + board.error());
  if (!adc.spidev.empty()) board->spi_devices = adc.spidev;
  if (adc.spi_hz) board->spi_hz = static_cast<uint32_t>(*adc.spi_hz);
  if (a.config.device.refvolts) board->reference_volts = *a.config.device.refvolts;
  a.scaling = AdcScaling{board->vref_volts, board->vt_divider};
  auto ports = source::open_spidev_ports(board.value());
  if (!ports) return ports.status();
  // A conversion takes 24 SPI clocks (3 bytes); the source measures the real rate.
  const double rate = static_cast<double>(board->spi_hz) / 24.0;
  const source::SamplingPlan plan = sampling_plan(a.config, rate, kDefaultNominalHz);
  auto src = source::Mcp3x08Source::Create(board.value(), plan, std::move(ports.value()), {});
  if (!src) return src.status();
  if (board->reference) {
    if (auto ref = src.value()->read_reference(); ref) {
      a.scaling.vref_volts = ref->full_scale_volts;
      spdlog::info("adc: reference reads {:.1f}, full scale {:.4f} V", ref->mean_code,
                   ref->full_scale_volts);
    } else {
      spdlog::warn("adc: {} (using the nominal {:.3f} V full scale)", ref.error(), board->vref_volts);
    }
  }
  a.source = std::move(src.value());
  return a;
}

Result<Assembly> assemble_replay(const RunOptions& options, std::optional<config::Config> loaded) {
  Assembly a;
  if (loaded) {
    a.config = std::move(*loaded);
    a.scaling = AdcScaling{};
    if (a.config.device.refvolts) a.scaling.vref_volts = *a.config.device.refvolts;
  } else {
    // Recorded from a scenario: measure it with that scenario's config.
    auto panel = scenario_panel(options, nullptr);
    if (!panel) return panel.status();
    auto cfg = scenario_config(panel.value());
    if (!cfg) return cfg.status();
    a.config = std::move(cfg.value());
    a.scaling = AdcScaling{panel->adc.vref, 13};
  }
  auto replay = source::ReplaySource::Open(options.replay_path);
  if (!replay) return replay.status();
  a.source = std::move(replay.value());
  a.paced = true;
  return a;
}

Result<Assembly> assemble(const RunOptions& options) {
  std::optional<config::Config> loaded;
  if (!options.config_path.empty()) {
    std::vector<std::string> notes;
    auto cfg = config::load_config_file(options.config_path, config::ModelCatalog::builtin(), &notes);
    if (!cfg) return Status::Error(cfg.error());
    for (const std::string& note : notes) spdlog::info("config: {}", note);
    loaded = std::move(cfg.value());
  }
  if (!options.replay_path.empty()) return assemble_replay(options, std::move(loaded));
  if (loaded && loaded->adc) return assemble_hardware(options, std::move(*loaded));
  return assemble_sim(options, std::move(loaded));
}

void setup_logging() {
  if (spdlog::get("iotawatt")) return;
  auto logger = spdlog::stdout_logger_mt("iotawatt");
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace

int run_daemon(const RunOptions& options) {
  setup_logging();
  // Signals are taken by sigwait() below; every thread started from here inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A file-size limit must fail the write (EFBIG, reported by the datalog) rather than kill
  // the daemon.
  signal(SIGXFSZ, SIG_IGN);

  auto assembly = assemble(options);
  if (!assembly) {
    spdlog::error("refusing to start: {}", assembly.error());
    return 2;
  }
  Assembly& a = assembly.value();
  const std::string description = a.source->describe();
  SamplerOptions sampler_options;
  sampler_options.speed = options.speed;
  sampler_options.paced = a.paced;
  const measure::EngineSetup setup = engine_setup(a.config, a.scaling);
  datalog::Layout layout;
  for (const auto& ch : setup.channels) layout.push_back(ch.kind);
  DatalogSettings log_settings;
  log_settings.data_dir = options.data_dir;
  const config::DatalogConfig& dl = a.config.datalog;
  if (auto days = dl.current_days ? dl.current_days : a.config.logdays) {
    log_settings.current.max_age_s = int64_t{*days} * 86400;
  }
  if (dl.history_days) log_settings.history.max_age_s = int64_t{*dl.history_days} * 86400;
  if (dl.max_mb) {
    log_settings.current.max_total_bytes = *dl.max_mb * 1024 * 1024;
    log_settings.history.max_total_bytes = *dl.max_mb * 1024 * 1024;
  }
  if (dl.sync_seconds) log_settings.sync_interval_s = *dl.sync_seconds;
  auto logs = DatalogService::Open(log_settings, layout);
  if (!logs) {
    spdlog::error("refusing to start: --data {}: {}", options.data_dir, logs.error());
    return 2;
  }
  DatalogService& datalog = *logs.value();
  Sampler sampler(std::move(a.source), setup, sampler_options);
  if (auto resume = datalog.resume_point(); resume && resume->channels.size() == layout.size()) {
    sampler.restore(resume->channels);
    spdlog::info("datalog: continuing the counters of the record at {}", resume->time);
  }
  sampler.set_listener([&datalog](const measure::Checkpoint& cp) { datalog.offer(cp); });

  StatusContext context(a.config, description, source::to_string(a.config.sampling.mode));
  server::Handlers handlers;
  handlers.status = [&] { return context.build(sampler.snapshot(), datalog.status()); };
  server::HttpServer http(std::move(handlers));
  if (Status st = http.start(options.http); !st) {
    spdlog::error("refusing to start: {}", st.message());
    return 2;
  }
  datalog.start();
  sampler.start();
  spdlog::info("iotawatt {}: sampling {} ({}), serving http://{}", kVersion, description,
               context.mode(), options.http);

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("received {}, stopping", received == SIGTERM ? "SIGTERM" : "SIGINT");
  http.stop();
  sampler.stop();
  datalog.stop();
  spdlog::info("stopped cleanly");
  return 0;
}

int record_samples(const RecordOptions& options) {
  setup_logging();
  auto panel = sim::make_scenario(options.sim_scenario);
  if (!panel) {
    spdlog::error("{}", panel.error());
    return 2;
  }
  auto cfg = scenario_config(panel.value());
  if (!cfg) {
    spdlog::error("{}", cfg.error());
    return 2;
  }
  if (Status st = apply_mode(options.mode, cfg.value()); !st) {
    spdlog::error("{}", st.message());
    return 2;
  }
  const source::SamplingPlan plan = sampling_plan(cfg.value(), 200000, panel->mains.hz);
  auto simulator = sim::Simulator::create(std::move(panel.value()), plan, unix_now_ns(), 1);
  if (!simulator) {
    spdlog::error("simulator: {}", simulator.error());
    return 2;
  }
  auto writer = source::ReplayWriter::Create(options.out, 12);
  if (!writer) {
    spdlog::error("{}", writer.error());
    return 2;
  }
  sim::Simulator& sim = *simulator.value();
  const int64_t end = sim.next_block_ns() + static_cast<int64_t>(options.seconds * 1e9);
  measure::SampleBlock block;
  uint64_t blocks = 0;
  while (sim.next_block_ns() < end) {
    Status st = sim.read(block);
    if (st) st = writer.value()->append(block);
    if (!st) {
      spdlog::error("{}", st.message());
      return 2;
    }
    ++blocks;
  }
  if (Status st = writer.value()->close(); !st) {
    spdlog::error("{}", st.message());
    return 2;
  }
  spdlog::info("recorded {:.1f} s ({} blocks, {} conversions) of {} to {}", options.seconds, blocks,
               sim.conversions(), options.sim_scenario, options.out);
  return 0;
}

}  // namespace iw::app
