#include "app/logging.h"

#include <filesystem>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace iw::app {

std::string message_log_dir(const std::string& data_dir) { return data_dir + "/log"; }

void setup_logging(const std::string& data_dir) {
  if (spdlog::get("iotawatt")) return;
  std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stdout_sink_mt>()};
  std::string file_error;
  if (!data_dir.empty()) {
    try {
      std::filesystem::create_directories(message_log_dir(data_dir));
      sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          message_log_dir(data_dir) + "/iotamsgs.txt", 4 << 20, 3));
    } catch (const std::exception& e) {
      file_error = e.what();
    }
  }
  auto logger = std::make_shared<spdlog::logger>("iotawatt", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  logger->flush_on(spdlog::level::info);
  spdlog::register_logger(logger);
  spdlog::set_default_logger(logger);
  if (!file_error.empty()) spdlog::warn("message log: {} (logging to stdout only)", file_error);
}

}  // namespace iw::app
