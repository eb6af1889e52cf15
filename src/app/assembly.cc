#include "app/assembly.h"

#include <spdlog/spdlog.h>

#include "config/config_parser.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "source/mcp3x08_source.h"
#include "source/replay_source.h"
#include "source/spidev_port.h"
#include "source/unavailable_source.h"

namespace iw::app {
namespace {

constexpr const char* kDefaultScenario = "household-230v-50hz";
constexpr double kDefaultNominalHz = 50;  // round-robin captures of 1.6 cycles fit 50 and 60 Hz

}  // namespace

Status apply_mode(const std::string& mode, config::Config& config) {
  if (mode.empty()) return Status::Ok();
  if (!source::parse_sampling_mode(mode, &config.sampling.mode)) {
    return Status::InvalidArgument("--mode: '" + mode + "' is not continuous or roundrobin");
  }
  return Status::Ok();
}

namespace {

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

// The config's sim.overdrive: those channels' sensors drive the simulated ADC harder.
void overdrive(sim::Panel& panel, const std::map<int, double>& gains) {
  for (sim::Channel& ch : panel.channels) {
    if (auto it = gains.find(ch.input); it != gains.end()) ch.overdrive = it->second;
  }
}

Result<config::Config> panel_config(const sim::Panel& panel) {
  auto parsed = config::parse_config(panel.iotawatt_config(), config::ModelCatalog::builtin());
  if (!parsed)
    return Status::InvalidArgument("the simulator's config for " + panel.scenario + " is invalid:\n" + parsed.error());
  return parsed;
}

Result<Assembly> assemble_sim(const RunOptions& options, std::optional<config::Config> loaded, int64_t start_ns) {
  auto panel = scenario_panel(options, loaded ? &*loaded : nullptr);
  if (!panel) return panel.status();
  if (loaded && loaded->sim) overdrive(panel.value(), loaded->sim->overdrive);
  Assembly a;
  if (loaded && has_active_input(*loaded)) {
    a.config = std::move(*loaded);
  } else {
    auto cfg = panel_config(panel.value());
    if (!cfg) return cfg.status();
    a.config = std::move(cfg.value());
  }
  if (Status st = apply_mode(options.mode, a.config); !st) return st;
  a.scaling = AdcScaling{panel->adc.vref, 13};  // the simulator's config cal assumes the /13 divider
  const source::SamplingPlan plan = sampling_plan(a.config, 200000, panel->mains.hz);
  const uint64_t seed = a.config.sim && a.config.sim->seed ? *a.config.sim->seed : 1;
  // Realism: the live panel follows the daily model the seeded history was written with
  // (`iotawatt seed`, same seed), so graphs continue across the seam.
  auto simulator = sim::Simulator::create(std::move(panel.value()), plan, start_ns, seed, {.realism = true});
  if (!simulator) return Status::InvalidArgument("simulator: " + simulator.error());
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
  if (!board) return Status::InvalidArgument("adc.board: " + board.error());
  if (!adc.spidev.empty()) board->spi_devices = adc.spidev;
  if (adc.spi_hz) board->spi_hz = static_cast<uint32_t>(*adc.spi_hz);
  if (a.config.device.refvolts) board->reference_volts = *a.config.device.refvolts;
  a.scaling = AdcScaling{board->vref_volts, board->vt_divider};
  auto ports = source::open_spidev_ports(board.value());
  if (!ports) {
    // The device may appear (SPI enabled, a permission granted): the daemon serves and retries.
    a.source_error = Status::Unavailable(ports.status().message());
    a.source = std::make_unique<source::UnavailableSource>(board.value(), a.source_error);
    return a;
  }
  // A conversion takes 24 SPI clocks (3 bytes); the source measures the real rate.
  const double rate = static_cast<double>(board->spi_hz) / 24.0;
  const source::SamplingPlan plan = sampling_plan(a.config, rate, kDefaultNominalHz);
  // Calls timed on CLOCK_MONOTONIC, blocks stamped on the UNIX scale (the datalog's).
  auto src = source::Mcp3x08Source::Create(board.value(), plan, std::move(ports.value()),
                                           {.clock = source::monotonic_now_ns, .unix_clock = source::unix_now_ns});
  if (!src) return src.status();
  a.clock = [s = src.value().get()] { return s->now_ns(); };  // the source outlives the sampler
  if (board->reference) {
    if (auto ref = src.value()->read_reference(); ref) {
      a.scaling.vref_volts = ref->full_scale_volts;
      spdlog::info("adc: reference reads {:.1f}, full scale {:.4f} V", ref->mean_code, ref->full_scale_volts);
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
    a.scaling = AdcScaling{};  // recorded codes: the nominal full scale (wiring.h)
  } else {
    // Recorded from a scenario: measure it with that scenario's config.
    auto panel = scenario_panel(options, nullptr);
    if (!panel) return panel.status();
    auto cfg = panel_config(panel.value());
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

}  // namespace

Result<Assembly> assemble(const RunOptions& options, std::optional<config::Config> config, int64_t start_ns) {
  if (!options.replay_path.empty()) return assemble_replay(options, std::move(config));
  if (config && config->adc) return assemble_hardware(options, std::move(*config));
  return assemble_sim(options, std::move(config), start_ns);
}

std::string config_path_of(const RunOptions& options) {
  return options.config_path.empty() ? options.data_dir + "/config.txt" : options.config_path;
}

Result<config::Config> scenario_config(const std::string& scenario) {
  auto panel = sim::make_scenario(scenario.empty() ? kDefaultScenario : scenario);
  if (!panel) return panel.status();
  return panel_config(panel.value());
}

}  // namespace iw::app
