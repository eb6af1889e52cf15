#include "app/config_load.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "base/files.h"
#include "base/json_read.h"
#include "calc/calculator.h"
#include "config/config_file.h"
#include "config/config_parser.h"
#include "config/http_config.h"
#include "config/mqtt_config.h"
#include "config/tariff_config.h"
#include "config/update_config.h"
#include "config/webhook_config.h"

namespace iw::app {
namespace {

// Whether `text` reads as JSON the way the config parser reads it (comments allowed).
bool readable_json(const std::string& text) {
  JsonLimits limits;
  limits.allow_comments = true;
  return read_json(text, limits).ok();
}

// The config in `path`. `damaged`: the file was opened but is not JSON (or too large to be a
// config), as opposed to one that cannot be opened or is JSON with invalid values.
Result<StartupConfig> read_config(const std::string& path, bool* damaged) {
  *damaged = false;
  if (::access(path.c_str(), R_OK) != 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  auto text = config::read_text_file(path);
  if (!text) {
    *damaged = true;
    return text.status();
  }
  std::vector<std::string> notes;
  auto cfg = parse_and_check(text.value(), &notes);
  if (!cfg) {
    *damaged = !readable_json(text.value());
    return Status::InvalidArgument(path + ": " + cfg.error());
  }
  for (const std::string& note : notes) spdlog::info("config: {}", note);
  return StartupConfig{std::move(cfg.value()), std::move(text.value())};
}

// After `path` was set aside: its .previous restored, else no config (the demo).
StartupConfig fall_back(const std::string& path) {
  const std::string previous = path + ".previous";
  if (std::error_code ec; std::filesystem::exists(previous, ec)) {
    bool damaged = false;
    auto loaded = read_config(previous, &damaged);
    if (loaded) {
      if (Status st = config::save_text_file(path, loaded->text); !st) {
        spdlog::error("config: cannot restore {} as {}: {}", previous, path, st.message());
      }
      spdlog::error("config: RUNNING THE PREVIOUS CONFIG: {} restored as {}; the last change is lost, check it",
                    previous, path);
      return std::move(loaded.value());
    }
    spdlog::error("config: {} is not usable either: {}", previous, loaded.error());
  }
  spdlog::error(
      "config: NO USABLE CONFIG: running the simulator's demo config, NOT measuring any hardware; "
      "fix the file set aside and put it back as {}, or set the inputs up again",
      path);
  return StartupConfig{};
}

}  // namespace

Result<config::Config> parse_and_check(const std::string& text, std::vector<std::string>* notes) {
  auto cfg = config::parse_config(text, config::ModelCatalog::builtin(), notes);
  if (!cfg) return cfg.status();
  auto calc = calc::Calculator::Compile(cfg.value(), notes);
  if (!calc) return calc.status();
  // Checked here too, not only when the pipeline is built: a bad "mqtt" section is refused
  // with its key paths before the running sampler is stopped.
  if (auto mqtt = config::mqtt_config(cfg.value()); !mqtt) return mqtt.status();
  if (auto webhook = config::webhook_config(cfg.value()); !webhook) return webhook.status();
  if (auto http = config::http_config(cfg.value()); !http) return http.status();
  if (auto tariffs = config::tariff_config(cfg.value()); !tariffs) return tariffs.status();
  if (auto update = config::update_server_config(cfg.value()); !update) return update.status();
  return cfg;
}

Status save_config_text(const std::string& path, const std::string& text) {
  if (std::error_code ec; std::filesystem::exists(path, ec)) {
    // Copied through write_private_file, not copy_file, which would keep an old 0644 mode.
    if (auto old = config::read_text_file(path)) {
      if (Status st = config::save_text_file(path + ".previous", old.value()); !st) {
        spdlog::warn("config: {} (the config before this change is not kept)", st.message());
      }
    }
  }
  return config::save_text_file(path, text);
}

Result<StartupConfig> load_startup_config(const std::string& path, bool optional) {
  if (std::error_code ec; optional && !std::filesystem::exists(path, ec)) return StartupConfig{};
  bool damaged = false;
  auto loaded = read_config(path, &damaged);
  if (loaded || !damaged) return loaded;
  spdlog::error("config: {}", loaded.error());
  Result<std::string> aside = set_aside(path);
  if (!aside) return Status::InvalidArgument(loaded.error() + "\n(and it cannot be set aside: " + aside.error() + ")");
  spdlog::error("config: {} is damaged or not a usable config; set aside as {}", path, aside.value());
  return fall_back(path);
}

}  // namespace iw::app
