// Fills the /metrics model (server/metrics.h) from what the daemon knows: the config's
// channels, the sampler's snapshot (live values and the lifetime counters, which continue
// from the datalog across restarts), the datalog writers and the MQTT session.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/datalog_service.h"
#include "app/mqtt_service.h"
#include "app/sampler.h"
#include "config/config.h"
#include "server/metrics.h"

namespace iw::views {

server::MetricsModel metrics_model(const config::Config& config, const app::SamplerSnapshot& snapshot,
                                   const std::vector<app::DatalogStatus>& datalogs, int64_t start_time,
                                   const std::optional<app::MqttStatus>& mqtt);

}  // namespace iw::views
