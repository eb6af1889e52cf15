// Builds the /status model from the config and the sampler's latest snapshot.
#pragma once

#include <cstdint>
#include <string>

#include "app/datalog_service.h"
#include "app/sampler.h"
#include "app/system_info.h"
#include "calc/calculator.h"
#include "config/config.h"
#include "query/time_zone.h"
#include "server/status.h"

namespace iw::views {

// The sampler's health in `snapshot`, for /status and /metrics (mode and source left empty).
server::SamplingStatus sampling_status(const app::SamplerSnapshot& snapshot);

class StatusContext {
 public:
  StatusContext(const config::Config& config, const calc::Calculator& calculator, const query::TimeZone& zone,
                std::string source, std::string mode, int64_t start_time);

  // Thread-safe: reads only what was fixed at construction and the snapshot it is given.
  server::StatusModel build(const app::SamplerSnapshot& snapshot,
                            const std::vector<app::DatalogStatus>& datalogs) const;
  const std::string& mode() const { return mode_; }

 private:
  const config::Config& config_;
  const calc::Calculator& calculator_;
  const query::TimeZone& zone_;
  std::string source_;
  std::string mode_;
  app::NetworkIdentity network_;
  int64_t start_time_ = 0;
};

}  // namespace iw::views
