// log_export: reads a seeded datalog and prints what bench/query_vs_influxdb.sh needs to ask
// InfluxDB and iotawatt the same questions.
//
//   log_export --data DIR [--scenario NAME] [--begin UNIX] [--end UNIX]   line protocol
//   log_export --data DIR --range        first and last record time of the current log
//   log_export --scenario NAME --names   the CT channel names, in channel order
//   log_export --scenario NAME --config  the scenario's config.txt with timezone 0 (UTC days)
//
// Line protocol: one point per 5 s interval of the current log, measurement "iotawatt", one
// field per CT channel holding the interval's mean watts, (d wh_import - d wh_export) / d
// monitored hours, at second precision. A point is stamped with the interval's START, as an
// iotawatt query row is, so Influx's GROUP BY time() buckets and iotawatt's groups hold the
// same intervals. Intervals with a gap or no monitored time are left out (missing in both).
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "datalog/log.h"
#include "sim/scenarios.h"

namespace {

struct CtColumn {
  size_t channel;
  std::string field;  // escaped for line protocol
};

// Line protocol field keys escape commas, equals signs and spaces.
std::string escape_key(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == ',' || c == '=' || c == ' ') out += '\\';
    out += c;
  }
  return out;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "log_export: %s\n", message.c_str());
  return 2;
}

std::vector<CtColumn> ct_columns(const iw::sim::Panel& panel) {
  std::vector<CtColumn> cols;
  for (int input = 0; input < panel.device_channels; ++input) {
    const iw::sim::Channel* ch = panel.find(input);
    if (ch != nullptr && ch->type == iw::sim::ChannelType::kCT) {
      cols.push_back({static_cast<size_t>(input), escape_key(ch->name)});
    }
  }
  return cols;
}

double delta(const iw::measure::Counter& a, const iw::measure::Counter& b) {
  return static_cast<double>(a.micros() - b.micros()) / iw::measure::Counter::kMicrosPerUnit;
}

// Appends the point for the interval [prev.time, cur.time] to `out`.
void append_point(const iw::datalog::Record& prev, const iw::datalog::Record& cur, const std::vector<CtColumn>& cols,
                  fmt::memory_buffer& out) {
  const double hours = static_cast<double>(cur.monitored_us - prev.monitored_us) / 3.6e9;
  fmt::format_to(std::back_inserter(out), "iotawatt ");
  for (size_t i = 0; i < cols.size(); ++i) {
    const auto& a = cur.channels[cols[i].channel];
    const auto& b = prev.channels[cols[i].channel];
    const double watts = (delta(a.wh_import, b.wh_import) - delta(a.wh_export, b.wh_export)) / hours;
    fmt::format_to(std::back_inserter(out), "{}{}={:.3f}", i == 0 ? "" : ",", cols[i].field, watts);
  }
  fmt::format_to(std::back_inserter(out), " {}\n", prev.time);
}

int export_lines(const iw::datalog::Log& log, const std::vector<CtColumn>& cols, int64_t begin, int64_t end) {
  std::optional<iw::datalog::Record> prev;
  fmt::memory_buffer out;
  size_t width_error_channel = 0;
  bool width_error = false;
  auto visit = [&](const iw::datalog::Record& r) {
    for (const CtColumn& c : cols) {
      if (c.channel >= r.channels.size()) {
        width_error = true;
        width_error_channel = c.channel;
        return false;
      }
    }
    if (prev && r.time - prev->time == log.interval() && r.monitored_us > prev->monitored_us) {
      append_point(*prev, r, cols, out);
      if (out.size() > (1 << 20)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
    prev = r;
    return true;
  };
  // Records up to `end` inclusive: the last point starts before `end`.
  if (iw::Status st = log.scan(begin, end, visit); !st) return fail(st.message());
  if (width_error) return fail(fmt::format("records have no channel {}: wrong --scenario?", width_error_channel));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : fail("cannot write to stdout");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"log_export: a seeded datalog as InfluxDB line protocol (bench/query_vs_influxdb.sh)"};
  std::string data_dir, scenario = "household-230v-50hz";
  int64_t begin = 0, end = INT64_MAX / 2;
  bool range = false, names = false, config = false;
  app.add_option("--data", data_dir, "data directory (reads datalog/current)");
  app.add_option("--scenario", scenario, "the seeded scenario: its CT names")->capture_default_str();
  app.add_option("--begin", begin, "first interval start, UNIX s");
  app.add_option("--end", end, "last interval end, UNIX s");
  app.add_flag("--range", range, "print the first and last record time");
  app.add_flag("--names", names, "print the CT channel names");
  app.add_flag("--config", config, "print the scenario's config with timezone 0");
  CLI11_PARSE(app, argc, argv);

  auto panel = iw::sim::make_scenario(scenario);
  if (!panel) return fail(panel.error());
  const std::vector<CtColumn> cols = ct_columns(panel.value());
  if (names) {
    for (const CtColumn& c : cols) std::printf("%s\n", panel.value().find(static_cast<int>(c.channel))->name.c_str());
    return 0;
  }
  if (config) {
    nlohmann::json j = panel.value().iotawatt_config();
    j["timezone"] = 0;  // UTC: iotawatt's day groups then match Influx's UTC days
    j.erase("dstrule");
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  if (data_dir.empty()) return fail("--data is required");
  auto log = iw::datalog::Log::OpenReadOnly(data_dir + "/datalog/current");
  if (!log) return fail(log.error());
  if (range) {
    const iw::datalog::LogInfo info = log.value()->info();
    if (!info.first_time || !info.last_time) return fail("the log is empty");
    std::printf("%lld %lld\n", static_cast<long long>(*info.first_time), static_cast<long long>(*info.last_time));
    return 0;
  }
  return export_lines(*log.value(), cols, begin, end);
}
