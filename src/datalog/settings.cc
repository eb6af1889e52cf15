#include "datalog/settings.h"

#include "config/config.h"

namespace iw::datalog {

RecorderSettings settings_of(const config::Config& config) {
  constexpr int64_t kSecondsPerDay = 86400;
  constexpr int64_t kBytesPerMiB = 1024 * 1024;
  RecorderSettings s;
  const config::DatalogConfig& dl = config.datalog;
  if (auto days = dl.current_days ? dl.current_days : config.logdays) {
    s.current.max_age_s = int64_t{*days} * kSecondsPerDay;
  }
  if (dl.history_days) s.history.max_age_s = int64_t{*dl.history_days} * kSecondsPerDay;
  if (dl.max_mb) {
    s.current.max_total_bytes = *dl.max_mb * kBytesPerMiB;
    s.history.max_total_bytes = *dl.max_mb * kBytesPerMiB;
  }
  if (dl.sync_seconds) s.sync_interval_s = *dl.sync_seconds;
  return s;
}

}  // namespace iw::datalog
