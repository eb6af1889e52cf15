#include "cli/query_tool.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/assembly.h"
#include "calc/calculator.h"
#include "config/config_file.h"
#include "datalog/data_dir.h"
#include "query/cost_series.h"
#include "query/integrator_recorder.h"
#include "query/output_series.h"
#include "query/query.h"
#include "query/standby_series.h"

namespace iw::cli {
namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "query: %s\n", message.c_str());
  return 2;
}

Result<config::Config> config_for(const QueryToolOptions& options) {
  std::string path = options.config_path;
  if (path.empty() && std::filesystem::exists(options.data_dir + "/config.txt")) {
    path = options.data_dir + "/config.txt";
  }
  if (!path.empty()) return config::load_config_file(path, config::ModelCatalog::builtin());
  std::fprintf(stderr, "query: %s has no config.txt; using the simulator's config of %s\n", options.data_dir.c_str(),
               options.scenario.empty() ? "its default scenario" : options.scenario.c_str());
  return app::scenario_config(options.scenario);
}

// A daemon log opened for reading, or null when the data directory does not have it.
Result<std::unique_ptr<datalog::Log>> open_if_present(const std::string& dir) {
  if (!std::filesystem::exists(dir)) return std::unique_ptr<datalog::Log>();
  return datalog::Log::OpenReadOnly(dir);
}

// Per integrator of `calc`: its log opened for reading; null for exact ones and for logged
// ones that have no log yet (they read 0, as in the daemon before it caught them up).
Result<std::vector<std::shared_ptr<const datalog::Log>>> open_integrator_logs(const std::string& data_dir,
                                                                              const calc::Calculator& calc) {
  std::vector<std::shared_ptr<const datalog::Log>> logs(calc.integrators().size());
  for (size_t k = 0; k < logs.size(); ++k) {
    if (calc.integrators()[k].exact) continue;
    auto log = open_if_present(datalog::integrator_log_dir(data_dir, calc.integrators()[k].name));
    if (!log) return log.status();
    logs[k] = std::move(log.value());
  }
  return logs;
}

}  // namespace

int run_query_tool(const QueryToolOptions& options) {
  auto config = config_for(options);
  if (!config) return fail(config.error());
  auto zone = query::zone_of(config.value());
  if (!zone) return fail(zone.error());
  auto current = open_if_present(datalog::current_log_dir(options.data_dir));
  if (!current) return fail(current.error());
  auto history = open_if_present(datalog::history_log_dir(options.data_dir));
  if (!history) return fail(history.error());
  if (!current.value() && !history.value())
    return fail(options.data_dir + " has no datalog (datalog/current or datalog/history)");

  auto calculator = calc::Calculator::Compile(config.value());
  if (!calculator) return fail(calculator.error());
  auto calc = std::make_shared<const calc::Calculator>(std::move(calculator.value()));
  auto integrator_logs = open_integrator_logs(options.data_dir, *calc);
  if (!integrator_logs) return fail(integrator_logs.error());
  query::SeriesCatalog catalog = query::SeriesCatalog::FromConfig(config.value());
  query::add_outputs(catalog, calc, std::make_shared<query::IntegratorLogs>(calc, std::move(integrator_logs.value())));
  const query::LogRecordSource records(current.value().get(), history.value().get());
  query::add_standby(catalog, &records);
  const auto tariff = query::add_tariff(catalog, config.value(), zone.value().get(), &records);
  query::QueryEnvironment env;
  env.catalog = &catalog;
  env.zone = zone.value().get();
  env.records = &records;
  env.tariff = tariff.get();
  env.now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string_view text = options.query;
  if (!text.empty() && text.front() == '?') text.remove_prefix(1);
  const query::QueryAnswer answer = query::answer_query(query::parse_query_string(text), env);
  if (answer.status != 200) {
    std::fprintf(stderr, "%s\n", answer.body.c_str());
    return 1;
  }
  if (!answer.stream) {
    std::fwrite(answer.body.data(), 1, answer.body.size(), stdout);
  } else if (Status st = answer.stream([](std::string_view piece) {
               return std::fwrite(piece.data(), 1, piece.size(), stdout) == piece.size();
             });
             !st) {
    std::fflush(stdout);
    return fail(st.message());
  }
  std::fputc('\n', stdout);
  return 0;
}

}  // namespace iw::cli
