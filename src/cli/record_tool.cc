// `iotawatt record`: simulated samples to a replay file.
#include <chrono>

#include <spdlog/spdlog.h>

#include "app/assembly.h"
#include "app/logging.h"
#include "cli/record_tool.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"
#include "source/replay_writer.h"

namespace iw::cli {
int record_samples(const RecordOptions& options) {
  app::setup_logging();
  auto panel = sim::make_scenario(options.sim_scenario);
  if (!panel) {
    spdlog::error("{}", panel.error());
    return 2;
  }
  auto cfg = app::scenario_config(options.sim_scenario);
  if (!cfg) {
    spdlog::error("{}", cfg.error());
    return 2;
  }
  if (Status st = app::apply_mode(options.mode, cfg.value()); !st) {
    spdlog::error("{}", st.message());
    return 2;
  }
  const source::SamplingPlan plan = app::sampling_plan(cfg.value(), 200000, panel->mains.hz);
  const int64_t now_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto simulator = sim::Simulator::create(std::move(panel.value()), plan, now_ns, 1);
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
  spdlog::info("recorded {:.1f} s ({} blocks, {} conversions) of {} to {}", options.seconds, blocks, sim.conversions(),
               options.sim_scenario, options.out);
  return 0;
}

}  // namespace iw::cli
