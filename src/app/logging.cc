#include "app/logging.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace iw::app {

std::string message_log_dir(const std::string& data_dir) { return data_dir + "/log"; }

namespace {

// journald reads a line's priority from a "<N>" prefix (sd-daemon(3), SyslogLevelPrefix=) and
// stamps the time itself.
class JournalPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static constexpr const char* kPrefix[] = {"<7>", "<7>", "<6>", "<4>", "<3>", "<2>", "<6>"};
    const char* prefix = kPrefix[static_cast<int>(msg.level)];
    dest.append(prefix, prefix + 3);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JournalPriorityFlag>(); }
};

// The stream systemd connects a service's stderr to.
spdlog::sink_ptr journal_sink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<JournalPriorityFlag>('*').set_pattern("%*%v");
  sink->set_formatter(std::move(formatter));
  return sink;
}

}  // namespace

bool under_systemd() { return std::getenv("JOURNAL_STREAM") != nullptr || std::getenv("INVOCATION_ID") != nullptr; }

void setup_logging(const std::string& data_dir) {
  if (spdlog::get("iotawatt")) return;
  const bool journal = under_systemd();
  std::vector<spdlog::sink_ptr> sinks{journal ? journal_sink() : std::make_shared<spdlog::sinks::stdout_sink_mt>()};
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
  // The journal's sink keeps its own pattern (priority, no time stamp). The others stamp UTC,
  // marked "Z": the process's own zone need not be the monitor's, and the web app's Messages
  // page shows each line on the monitor's clock, as every other page does.
  for (auto& sink : sinks) {
    if (!journal || sink != sinks.front()) {
      sink->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v",
                                                                      spdlog::pattern_time_type::utc));
    }
  }
  logger->flush_on(spdlog::level::info);
  spdlog::register_logger(logger);
  spdlog::set_default_logger(logger);
  if (!file_error.empty()) spdlog::warn("message log: {} (logging to stdout only)", file_error);
}

}  // namespace iw::app
