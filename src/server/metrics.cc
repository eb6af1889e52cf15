#include "server/metrics.h"

#include <charconv>
#include <cmath>

namespace iw::server {
namespace {

constexpr double kJoulesPerWh = 3600;

using Labels = Exposition::Labels;

Labels channel_labels(const ChannelMetrics& c) {
  return {{"channel", c.channel < 0 ? std::string() : std::to_string(c.channel)}, {"name", c.name}, {"type", c.type}};
}

// One gauge or counter family with a sample per channel that has the value.
template <typename Has, typename Get>
void channel_family(Exposition& e, const MetricsModel& m, std::string_view name, std::string_view type,
                    std::string_view help, Has has, Get get) {
  bool declared = false;
  for (const ChannelMetrics& c : m.channels) {
    if (!has(c)) continue;
    if (!declared) e.family(name, type, help);
    declared = true;
    e.sample(channel_labels(c), get(c));
  }
}

void channel_metrics(Exposition& e, const MetricsModel& m) {
  auto vt = [](const ChannelMetrics& c) { return c.voltage; };
  auto power = [](const ChannelMetrics& c) { return !c.voltage; };
  channel_family(e, m, "iotawatt_voltage_volts", "gauge",
                 "RMS voltage of a voltage input, averaged over the last second.", vt,
                 [](const ChannelMetrics& c) { return c.live.volts; });
  channel_family(e, m, "iotawatt_frequency_hertz", "gauge", "Mains frequency measured on a voltage input.", vt,
                 [](const ChannelMetrics& c) { return c.live.hz; });
  channel_family(e, m, "iotawatt_power_watts", "gauge",
                 "Real power, averaged over the last second; negative is export on signed inputs.", power,
                 [](const ChannelMetrics& c) { return c.live.watts; });
  channel_family(e, m, "iotawatt_current_amperes", "gauge", "RMS current, averaged over the last second.", power,
                 [](const ChannelMetrics& c) { return c.live.amps; });
  channel_family(e, m, "iotawatt_apparent_power_voltamperes", "gauge", "Apparent power, averaged over the last second.",
                 power, [](const ChannelMetrics& c) { return c.live.va; });
  channel_family(e, m, "iotawatt_power_factor_ratio", "gauge", "Power factor (real / apparent power), -1 to 1.", power,
                 [](const ChannelMetrics& c) { return measure::power_factor(c.live); });
  channel_family(e, m, "iotawatt_energy_imported_joules_total", "counter",
                 "Energy drawn since the datalog began (Wh x 3600); never resets.", power,
                 [](const ChannelMetrics& c) { return c.imported_wh * kJoulesPerWh; });
  channel_family(e, m, "iotawatt_energy_exported_joules_total", "counter",
                 "Energy sent back (negative power) since the datalog began (Wh x 3600); never resets.", power,
                 [](const ChannelMetrics& c) { return c.exported_wh * kJoulesPerWh; });
}

void gauge(Exposition& e, std::string_view name, std::string_view help, double value) {
  e.family(name, "gauge", help);
  e.sample({}, value);
}

void counter(Exposition& e, std::string_view name, std::string_view help, double value) {
  e.family(name, "counter", help);
  e.sample({}, value);
}

void edge_metrics(Exposition& e, const EdgeCounters& c) {
  counter(e, "iotawatt_http_connections_total", "HTTP connections admitted.", static_cast<double>(c.connections));
  e.family("iotawatt_http_refused_total", "counter",
           "Connections and requests the HTTP edge refused or cut, by reason (see src/server/edge_limits.h).");
  const std::pair<const char*, uint64_t> reasons[] = {{"evicted", c.evicted},          {"refused", c.refused},
                                                      {"deadline", c.deadlines},       {"too_large", c.too_large},
                                                      {"bad_request", c.bad_requests}, {"overloaded", c.overloaded}};
  for (const auto& [reason, n] : reasons) e.sample({{"reason", reason}}, static_cast<double>(n));
}

void health_metrics(Exposition& e, const MetricsModel& m) {
  e.family("iotawatt_build_info", "gauge", "The daemon's version and device name; the value is always 1.");
  e.sample({{"version", m.version}, {"device", m.device_name}}, 1);
  gauge(e, "iotawatt_start_time_seconds", "UNIX time the daemon started.", static_cast<double>(m.start_time));
  gauge(e, "iotawatt_sampling_conversions_per_second", "ADC conversions per second over the last second.",
        m.sampling.conversions_per_second);
  gauge(e, "iotawatt_sampling_channel_cycles_per_second", "AC cycles measured per second, all channels together.",
        m.sampling.channel_cycles_per_second);
  gauge(e, "iotawatt_sampling_samples_per_cycle", "Samples per AC cycle per channel.", m.sampling.samples_per_cycle);
  counter(e, "iotawatt_sampling_dropped_cycles_total", "Cycles that could not be measured (bad or missing samples).",
          static_cast<double>(m.sampling.dropped_cycles));
  counter(e, "iotawatt_sampling_restarts_total", "Times the sample source was restarted after an error.",
          static_cast<double>(m.sampling.restarts));
  gauge(e, "iotawatt_sampling_lag_seconds", "How late the sampling thread finished a block, worst of the last second.",
        m.sampling.lag_ms / 1000);
  gauge(e, "iotawatt_sampling_source_up",
        "1 while the sample source runs; 0 while the ADC cannot be opened (see /status stats.sampling.error).",
        m.sampling.error.empty() ? 1 : 0);
  gauge(e, "iotawatt_sampling_source_open_attempts",
        "Attempts to open the ADC since it was found unavailable (0 while it runs).",
        static_cast<double>(m.sampling.open_attempts));
  gauge(e, "iotawatt_sampler_cpu_ratio", "CPU share of the sampling thread (1 = one core).",
        m.sampling.sampler_cpu_percent / 100);
  gauge(e, "iotawatt_process_cpu_ratio", "CPU share of the whole daemon (1 = one core).", m.sampling.cpu_percent / 100);
}

template <typename Get>
void datalog_family(Exposition& e, const MetricsModel& m, std::string_view name, std::string_view type,
                    std::string_view help, Get get) {
  if (m.datalogs.empty()) return;
  e.family(name, type, help);
  for (const DatalogMetrics& d : m.datalogs) e.sample({{"log", d.id}}, get(d));
}

void datalog_metrics(Exposition& e, const MetricsModel& m) {
  datalog_family(e, m, "iotawatt_datalog_records_written_total", "counter",
                 "Records appended since the daemon started.",
                 [](const DatalogMetrics& d) { return static_cast<double>(d.records_written); });
  datalog_family(e, m, "iotawatt_datalog_records_dropped_total", "counter",
                 "Records that could not be written (disk full); the next record still carries their energy.",
                 [](const DatalogMetrics& d) { return static_cast<double>(d.records_dropped); });
  datalog_family(e, m, "iotawatt_datalog_last_record_time_seconds", "gauge", "UNIX time of the newest record.",
                 [](const DatalogMetrics& d) { return static_cast<double>(d.last_record_time); });
  datalog_family(e, m, "iotawatt_datalog_size_bytes", "gauge", "Bytes the log takes on disk.",
                 [](const DatalogMetrics& d) { return static_cast<double>(d.size_bytes); });
  datalog_family(e, m, "iotawatt_datalog_interval_seconds", "gauge", "Seconds between records.",
                 [](const DatalogMetrics& d) { return static_cast<double>(d.interval_s); });
}

void mqtt_metrics(Exposition& e, const MetricsModel& m) {
  if (!m.mqtt) return;
  gauge(e, "iotawatt_mqtt_connected", "1 while the MQTT broker session is up.", m.mqtt->connected ? 1 : 0);
  counter(e, "iotawatt_mqtt_sessions_total", "Successful connections to the MQTT broker.",
          static_cast<double>(m.mqtt->sessions));
  counter(e, "iotawatt_mqtt_messages_published_total", "Messages handed to the MQTT broker.",
          static_cast<double>(m.mqtt->published));
}

}  // namespace

namespace {

// Backslash and newline always; double quotes only inside label values.
std::string escaped(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) { return escaped(value, true); }
std::string escape_help(std::string_view text) { return escaped(text, false); }

std::string metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  family_ = name;
  out_ += "# HELP " + family_ + " " + escape_help(help) + "\n";
  out_ += "# TYPE " + family_ + " " + std::string(type) + "\n";
}

void Exposition::sample(const Labels& labels, double value) {
  out_ += family_;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += labels[i].first;
      out_ += "=\"" + escape_label_value(labels[i].second) + "\"";
    }
    out_ += '}';
  }
  out_ += ' ' + metric_value(value) + '\n';
}

std::string render_metrics(const MetricsModel& model) {
  Exposition e;
  channel_metrics(e, model);
  health_metrics(e, model);
  if (model.http) edge_metrics(e, *model.http);
  datalog_metrics(e, model);
  mqtt_metrics(e, model);
  return e.text();
}

}  // namespace iw::server
