// The /metrics text (server/metrics.h) on its own: escaping, values, families, and the
// official Prometheus parser reading what we render.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "app/daemon_process.h"
#include "app/metrics_testing.h"
#include "server/metrics.h"

namespace iw::server {
namespace {

using nlohmann::json;

// Runs tests/app/metrics_parse.py on `text`; null when the parser refused it.

MetricsModel model() {
  MetricsModel m;
  m.device_name = "Shed";
  m.version = "0.1.0";
  m.start_time = 1700000000;
  ChannelMetrics vt;
  vt.channel = 0;
  vt.name = "Voltage";
  vt.voltage = true;
  vt.live.volts = 230.5;
  vt.live.hz = 50.01;
  ChannelMetrics ct;
  ct.channel = 1;
  ct.name = "Mains";
  ct.live.watts = -1234.5;
  ct.live.amps = 5.4;
  ct.live.va = 1250;  // power factor -0.9876
  ct.imported_wh = 1000.5;
  ct.exported_wh = 2;
  m.channels = {vt, ct};
  m.sampling.conversions_per_second = 199680;
  m.sampling.dropped_cycles = 3;
  m.sampling.lag_ms = 1.5;
  m.datalogs = {{"current", 5, 1700000100, 4096, 20, 1}, {"history", 60, 1700000040, 512, 2, 0}};
  return m;
}

double sample(const json& parsed, const std::string& name, const json& labels = json::object()) {
  for (const json& s : parsed["samples"]) {
    if (s[0] != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels.items()) match = match && s[1].contains(k) && s[1][k] == v;
    if (match) return s[2].is_null() ? std::nan("") : s[2].get<double>();
  }
  ADD_FAILURE() << "no sample " << name << " " << labels;
  return std::nan("");
}

TEST(MetricsText, LabelValuesAndHelpAreEscaped) {
  EXPECT_EQ(escape_label_value(R"(a\b"c)"
                               "\nd"),
            R"(a\\b\"c\nd)");
  EXPECT_EQ(escape_help("x\\y\nz\""), "x\\\\y\\nz\"");  // quotes stay in HELP
}

TEST(MetricsText, ValuesReadBackExactlyAndSpecialValuesHaveTheirNames) {
  EXPECT_EQ(metric_value(0.1), "0.1");
  EXPECT_EQ(metric_value(1234.5), "1234.5");
  EXPECT_EQ(metric_value(3), "3");
  EXPECT_EQ(std::stod(metric_value(1.0 / 3)), 1.0 / 3);
  EXPECT_EQ(metric_value(std::nan("")), "NaN");
  EXPECT_EQ(metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(MetricsText, EveryFamilyHasHelpAndTypeBeforeItsSamples) {
  const std::string text = render_metrics(model());
  EXPECT_NE(text.find("# HELP iotawatt_power_watts "), std::string::npos);
  EXPECT_NE(text.find("# TYPE iotawatt_power_watts gauge\n"
                      "iotawatt_power_watts{channel=\"1\",name=\"Mains\",type=\"input\"} -1234.5\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE iotawatt_energy_imported_joules_total counter\n"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find("\r"), std::string::npos);
  EXPECT_EQ(text.find("iotawatt_mqtt"), std::string::npos);  // not configured
}

TEST(MetricsText, ThePrometheusClientParserReadsItAll) {
  MetricsModel m = model();
  m.channels[1].name = "Odd \"name\"\\";
  m.mqtt = MqttMetrics{true, 2, 99};
  const json parsed = iw::testing::parse_with_prometheus_client(render_metrics(m));
  ASSERT_TRUE(parsed.is_object()) << render_metrics(m);
  EXPECT_EQ(parsed["types"]["iotawatt_power_watts"], "gauge");
  EXPECT_EQ(parsed["types"]["iotawatt_energy_imported_joules"], "counter");
  EXPECT_EQ(parsed["types"]["iotawatt_sampling_dropped_cycles"], "counter");
  EXPECT_EQ(sample(parsed, "iotawatt_voltage_volts", {{"channel", "0"}, {"name", "Voltage"}, {"type", "input"}}),
            230.5);
  EXPECT_EQ(sample(parsed, "iotawatt_frequency_hertz", {{"channel", "0"}}), 50.01);
  EXPECT_EQ(sample(parsed, "iotawatt_power_watts", {{"name", "Odd \"name\"\\"}}), -1234.5);
  EXPECT_EQ(sample(parsed, "iotawatt_power_factor_ratio", {{"channel", "1"}}), -0.9876);
  EXPECT_EQ(sample(parsed, "iotawatt_energy_imported_joules_total", {{"channel", "1"}}), 1000.5 * 3600);
  EXPECT_EQ(sample(parsed, "iotawatt_energy_exported_joules_total", {{"channel", "1"}}), 2 * 3600);
  EXPECT_EQ(sample(parsed, "iotawatt_sampling_dropped_cycles_total"), 3);
  EXPECT_EQ(sample(parsed, "iotawatt_sampling_lag_seconds"), 0.0015);
  EXPECT_EQ(sample(parsed, "iotawatt_datalog_records_written_total", {{"log", "current"}}), 20);
  EXPECT_EQ(sample(parsed, "iotawatt_datalog_last_record_time_seconds", {{"log", "history"}}), 1700000040);
  EXPECT_EQ(sample(parsed, "iotawatt_mqtt_sessions_total"), 2);
  EXPECT_EQ(sample(parsed, "iotawatt_build_info", {{"version", "0.1.0"}, {"device", "Shed"}}), 1);
  // A VT has no power series, a CT no voltage series.
  for (const json& s : parsed["samples"]) {
    if (s[0] == "iotawatt_power_watts") {
      EXPECT_NE(s[1]["channel"], "0");
    }
    if (s[0] == "iotawatt_voltage_volts") {
      EXPECT_NE(s[1]["channel"], "1");
    }
  }
}

TEST(MetricsText, TheParserRefusesBrokenText) {
  // The check above means something only if the parser does refuse bad input.
  EXPECT_TRUE(iw::testing::parse_with_prometheus_client("iotawatt_power_watts{channel=\"1} 5\n").is_null());
}

}  // namespace
}  // namespace iw::server
