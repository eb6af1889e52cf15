// GET /metrics: the monitor's live values, energy counters and health in the Prometheus text
// exposition format 0.0.4 (protocols.md section 7). Base units with plural suffixes
// (`iotawatt_power_watts`, `iotawatt_voltage_volts`), energy as lifetime counters in joules
// (`iotawatt_energy_imported_joules_total` = Wh x 3600, never reset), labels
// channel/name/type on every channel series. No timestamps: the values are live.
//
// Like status.h this renders plain values (a channel's live values as measured, in
// measure::ChannelValues); views/metrics_model.cc fills them in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "measure/channel_values.h"
#include "server/http_server.h"
#include "server/status.h"

namespace iw::server {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

struct ChannelMetrics {
  int channel = -1;  // input number; -1 for outputs
  std::string name;
  std::string type = "input";               // "input" or "output"
  bool voltage = false;                     // a VT: volts and hertz; otherwise power values and energy
  measure::ChannelValues live;              // the power factor is derived from it
  double imported_wh = 0, exported_wh = 0;  // lifetime counters
};

struct DatalogMetrics {
  std::string id;  // "current", "history"
  int64_t interval_s = 0;
  int64_t last_record_time = 0;  // UNIX seconds; 0 when empty
  int64_t size_bytes = 0;
  uint64_t records_written = 0;  // since the daemon started
  uint64_t records_dropped = 0;
};

struct MqttMetrics {
  bool connected = false;
  uint64_t sessions = 0;
  uint64_t published = 0;
};

struct MetricsModel {
  std::string device_name;
  std::string version;
  int64_t start_time = 0;  // UNIX seconds
  std::vector<ChannelMetrics> channels;
  SamplingStatus sampling;  // the daemon's health
  std::vector<DatalogMetrics> datalogs;
  std::optional<MqttMetrics> mqtt;   // nullopt when MQTT is not configured
  std::optional<EdgeCounters> http;  // what the HTTP edge admitted, refused and cut
};

// The exposition text, one family after the other, each with its HELP and TYPE line.
std::string render_metrics(const MetricsModel& model);

// Writes families and samples of the text format. Samples go under the family declared last.
class Exposition {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string>>;
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(const Labels& labels, double value);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
  std::string family_;
};

// A label value with `\`, `"` and newline escaped as the format requires.
std::string escape_label_value(std::string_view value);
// HELP text with `\` and newline escaped.
std::string escape_help(std::string_view text);
// A sample value: shortest form that reads back exactly, or NaN, +Inf, -Inf.
std::string metric_value(double value);

}  // namespace iw::server
