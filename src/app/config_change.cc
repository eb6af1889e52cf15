#include "app/config_change.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

namespace iw::app {
namespace {

size_t active_inputs(const config::Config& config) {
  size_t n = 0;
  for (const auto& in : config.inputs) n += in ? 1 : 0;
  return n;
}

std::string source_change(datalog::DataSource from, datalog::DataSource to) {
  std::string what =
      fmt::format("it switches the sample source from {} to {}", datalog::describe(from), datalog::describe(to));
  if (from == datalog::DataSource::kAdc) what += ": simulated data would be logged and uploaded as if measured";
  if (to == datalog::DataSource::kAdc) what += ": the board's data would follow simulated data in the log";
  return what;
}

}  // namespace

server::ConfigWriteResult check_confirmed(const RunningSetup& running, const RunningSetup& next,
                                          const server::ConfigConfirmations& confirmed) {
  std::vector<std::string> words, what;
  const size_t measured = active_inputs(running.config);
  if (!confirmed.inputs && measured > 0 && active_inputs(next.config) == 0) {
    words.push_back("inputs");
    what.push_back(
        fmt::format("it has no inputs: the {} inputs measured now would no longer be measured, "
                    "logged or uploaded",
                    measured));
  }
  if (!confirmed.source && running.source != next.source) {
    words.push_back("source");
    what.push_back(source_change(running.source, next.source));
  }
  if (words.empty()) return {};
  const std::string confirm = fmt::format("{}", fmt::join(words, ","));
  return {Status::InvalidArgument(fmt::format("{}.\nTo apply it anyway, send it again to POST /config?confirm={}",
                                              fmt::join(what, ";\n"), confirm)),
          confirm};
}

}  // namespace iw::app
