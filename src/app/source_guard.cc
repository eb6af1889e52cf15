#include "app/source_guard.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "datalog/data_dir.h"

namespace iw::app {

using datalog::DataSource;

DataSource source_of(const RunOptions& options, const config::Config& config) {
  if (!options.replay_path.empty()) return DataSource::kReplay;
  return config.adc ? DataSource::kAdc : DataSource::kSimulator;
}

Status check_source(const std::string& data_dir, DataSource source, bool confirmed) {
  const std::string dir = datalog::datalog_dir(data_dir);
  auto mark = datalog::read_source_mark(dir);
  if (!mark) return Status::InvalidArgument(mark.error() + " (write adc, simulator or replay into it)");
  if (!mark.value() || *mark.value() != DataSource::kAdc || source == DataSource::kAdc) return Status::Ok();
  if (confirmed) {
    spdlog::warn("datalog: {} holds measurements from an ADC board; {} data follows them, as confirmed", dir,
                 datalog::to_string(source));
    return Status::Ok();
  }
  return Status::InvalidArgument(
      fmt::format("--data {}: its datalog holds measurements from an ADC board ({} says adc), and this config runs {}, "
                  "whose data would be logged (and uploaded) among them. Start with the config that has the board's "
                  "\"adc\" section, or pass --confirm-source to log {} data there anyway",
                  data_dir, datalog::source_mark_path(dir), datalog::describe(source), datalog::to_string(source)));
}

void record_source(const std::string& data_dir, DataSource source) {
  const std::string dir = datalog::datalog_dir(data_dir);
  auto mark = datalog::read_source_mark(dir);
  if (mark && mark.value() == source) return;
  if (Status st = datalog::write_source_mark(dir, source); !st) {
    spdlog::error("datalog: cannot record the data source: {}", st.message());
    return;
  }
  spdlog::info("datalog: {} now says {}", datalog::source_mark_path(dir), datalog::to_string(source));
}

}  // namespace iw::app
