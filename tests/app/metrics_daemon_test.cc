// GET /metrics on the running daemon (simulator): parsed with the Prometheus client's parser,
// values equal to /status, energy counters that only grow and match the datalog.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/daemon_process.h"
#include "app/metrics_testing.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"

namespace iw {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The value of `name` for input `channel`; NaN when absent.
double channel_sample(const json& parsed, const std::string& name, int channel) {
  for (const json& s : parsed["samples"]) {
    if (s[0] == name && s[1].value("channel", "") == std::to_string(channel) && !s[2].is_null()) return s[2];
  }
  return std::nan("");
}

class MetricsDaemon : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::free_port();
    data_ = testing::temp_path("metrics-data");
    daemon_ = std::make_unique<testing::DaemonProcess>(
        std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_},
        testing::temp_path("metrics.log"));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    // Until the first record is written and the live values and rates exist (they need two
    // one-second checkpoints; the first record can come with the first one).
    for (int i = 0; i < 600; ++i) {
      auto res = client_->Get("/status?datalogs&stats");
      if (res && res->status == 200) {
        const json j = json::parse(res->body);
        if (j["datalogs"][0]["lastkey"].get<int64_t>() > 0 &&
            j["stats"]["sampling"]["conversions_per_second"].get<double>() > 1000) {
          return;
        }
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << daemon_->log();
  }
  json status() { return json::parse(client_->Get("/status?inputs")->body)["inputs"]; }

  int port_ = 0;
  std::string data_;
  std::unique_ptr<testing::DaemonProcess> daemon_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(MetricsDaemon, TheScrapeParsesAndEqualsStatus) {
  const json before = status();
  auto res = client_->Get("/metrics");
  const json after = status();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const json parsed = testing::parse_with_prometheus_client(res->body);
  ASSERT_TRUE(parsed.is_object()) << res->body;
  int compared = 0;
  for (size_t i = 0; i < before.size(); ++i) {
    const int ch = before[i]["channel"];
    if (before[i].contains("Vrms") && !before[i].contains("Watts")) {
      const double v = channel_sample(parsed, "iotawatt_voltage_volts", ch);
      EXPECT_GE(v, std::min(before[i]["Vrms"].get<double>(), after[i]["Vrms"].get<double>()) - 0.5) << ch;
      EXPECT_LE(v, std::max(before[i]["Vrms"].get<double>(), after[i]["Vrms"].get<double>()) + 0.5) << ch;
      EXPECT_NEAR(channel_sample(parsed, "iotawatt_frequency_hertz", ch), before[i]["Hz"].get<double>(), 0.1);
    } else {
      const double w1 = std::stod(before[i]["Watts"].get<std::string>());
      const double w2 = std::stod(after[i]["Watts"].get<std::string>());
      const double w = channel_sample(parsed, "iotawatt_power_watts", ch);
      const double tol = 3 + 0.01 * std::max(std::abs(w1), std::abs(w2));
      EXPECT_GE(w, std::min(w1, w2) - tol) << ch << " " << before[i] << after[i];
      EXPECT_LE(w, std::max(w1, w2) + tol) << ch << " " << before[i] << after[i];
      const double pf = channel_sample(parsed, "iotawatt_power_factor_ratio", ch);
      EXPECT_LE(std::abs(pf), 1.0) << ch;
      EXPECT_FALSE(std::isnan(channel_sample(parsed, "iotawatt_current_amperes", ch))) << ch;
    }
    ++compared;
  }
  EXPECT_GE(compared, 2);
  // Daemon health.
  bool rate = false, records = false;
  for (const json& s : parsed["samples"]) {
    if (s[0] == "iotawatt_sampling_conversions_per_second") rate = s[2].get<double>() > 1000;
    if (s[0] == "iotawatt_datalog_records_written_total" && s[1]["log"] == "current") records = s[2].get<double>() >= 1;
  }
  EXPECT_TRUE(rate) << res->body;
  EXPECT_TRUE(records) << res->body;
}

TEST_F(MetricsDaemon, EnergyCountersOnlyGrowAndStartFromTheDatalog) {
  auto log = datalog::Log::OpenReadOnly(datalog::current_log_dir(data_));
  ASSERT_TRUE(log.ok()) << log.error();
  auto last = log.value()->last();
  ASSERT_TRUE(last.ok() && last.value());
  const datalog::Record record = *last.value();
  const json first = testing::parse_with_prometheus_client(client_->Get("/metrics")->body);
  std::this_thread::sleep_for(2s);
  const json second = testing::parse_with_prometheus_client(client_->Get("/metrics")->body);
  int counted = 0;
  for (const json& s : first["samples"]) {
    if (s[0] != "iotawatt_energy_imported_joules_total" && s[0] != "iotawatt_energy_exported_joules_total") continue;
    const int ch = std::stoi(s[1]["channel"].get<std::string>());
    const bool import = s[0] == "iotawatt_energy_imported_joules_total";
    const auto& c = record.channels.at(static_cast<size_t>(ch));
    const double record_wh = import ? c.wh_import.value() : c.wh_export.value();
    const double wh = s[2].get<double>() / 3600;
    // At most a few seconds beyond the record, at the panel's power (well under 20 kW).
    EXPECT_GE(wh, record_wh - 1e-6) << s;
    EXPECT_LE(wh - record_wh, 20000.0 * 10 / 3600) << s;
    EXPECT_GE(channel_sample(second, s[0], ch), s[2].get<double>()) << s;
    ++counted;
  }
  EXPECT_GE(counted, 2);
}

// A config change (here the same config saved again) restarts the sampler. Before, /metrics
// showed every energy counter as 0 until the new sampler's first checkpoint, and then set it
// back to the newest record's (up to 5 s old): a scrape read either as a counter reset, and
// Prometheus counted the whole total again. /status showed 0 W for up to two seconds.
TEST_F(MetricsDaemon, AConfigChangeNeitherSetsCountersBackNorZeroesLiveValues) {
  const std::string config = client_->Get("/config")->body;
  const json inputs = status();
  int mains = -1;
  for (const json& in : inputs) {
    if (in.contains("Watts") && std::stod(in["Watts"].get<std::string>()) > 100) mains = in["channel"];
  }
  ASSERT_GE(mains, 0) << inputs;
  // The counter's value in a scrape (parsed here: the Prometheus client takes 0.1 s a scrape).
  const std::string line = "iotawatt_energy_imported_joules_total{channel=\"" + std::to_string(mains) + "\"";
  const auto imported = [&] {
    const std::string text = client_->Get("/metrics")->body;
    const size_t at = text.find(line);
    if (at == std::string::npos) return std::nan("");
    return std::stod(text.substr(text.find("} ", at) + 2));
  };
  double last = imported();
  int scrapes = 0;
  for (int change = 0; change < 3; ++change) {  // 1.3 s apart: at different offsets from the 5 s records
    auto posted = client_->Post("/config", config, "application/json");
    ASSERT_TRUE(posted && posted->status == 200) << (posted ? posted->body : "no answer");
    for (auto end = std::chrono::steady_clock::now() + 1300ms; std::chrono::steady_clock::now() < end; ++scrapes) {
      const double joules = imported();
      EXPECT_GE(joules, last) << "scrape " << scrapes << " after change " << change;
      last = joules;
      const json now = status();
      for (const json& in : now) {
        if (in["channel"] == mains) {
          EXPECT_GT(std::stod(in["Watts"].get<std::string>()), 100) << in;
        }
      }
      std::this_thread::sleep_for(50ms);
    }
  }
  EXPECT_GE(scrapes, 10);
}

// A clean restart (an update, systemctl restart). Before, the new run continued the counters
// of the newest record, up to 5 s older than the last checkpoint: /metrics set every energy
// counter back (a scrape read a counter reset) and the energy after that record was lost. Now
// the stop record carries the last checkpoint's counters over (datalog/stop_record.h).
TEST_F(MetricsDaemon, ARestartNeitherSetsCountersBackNorLosesEnergy) {
  const std::string line = "iotawatt_energy_imported_joules_total{channel=\"";
  // Every channel's imported joules in one scrape.
  const auto imported = [&](httplib::Client& client) {
    std::map<int, double> out;
    auto res = client.Get("/metrics");
    if (!res || res->status != 200) return out;
    for (size_t at = res->body.find(line); at != std::string::npos; at = res->body.find(line, at + 1)) {
      const int ch = std::stoi(res->body.substr(at + line.size()));
      out[ch] = std::stod(res->body.substr(res->body.find("} ", at) + 2));
    }
    return out;
  };
  auto log = datalog::Log::OpenReadOnly(datalog::current_log_dir(data_));
  ASSERT_TRUE(log.ok()) << log.error();
  // A scrape that holds energy the newest record does not (so the old code fails whatever the
  // moment of the stop): more than 0.01 Wh past it on some channel.
  std::map<int, double> before;
  for (int i = 0; i < 100; ++i) {
    before = imported(*client_);
    auto last = log.value()->last();
    ASSERT_TRUE(last.ok() && last.value());
    bool ahead = false;
    for (const auto& [ch, joules] : before) {
      ahead |= joules / 3600 > last.value()->channels.at(static_cast<size_t>(ch)).wh_import.value() + 0.01;
    }
    if (ahead) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_GE(before.size(), 2u);
  ASSERT_EQ(daemon_->stop(), 0) << daemon_->log();
  daemon_ = std::make_unique<testing::DaemonProcess>(
      std::vector<std::string>{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_},
      testing::temp_path("metrics-restarted.log"));
  std::map<int, double> after;
  for (int i = 0; i < 600 && after.size() < before.size(); ++i) {
    after = imported(*client_);
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(after.size(), before.size()) << daemon_->log();
  for (const auto& [ch, joules] : before) {
    EXPECT_GE(after[ch], joules) << "channel " << ch << " set back by the restart";
  }
  EXPECT_NE(daemon_->log().find("continuing the counters of the clean stop"), std::string::npos) << daemon_->log();
}

}  // namespace
}  // namespace iw
