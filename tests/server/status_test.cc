#include "server/status.h"

#include <gtest/gtest.h>

#include "server/http_server.h"

namespace iw::server {
namespace {

StatusModel Model() {
  StatusModel m;
  m.device_name = "Panel1";
  m.timediff_minutes = -300;
  m.timezone = "America/Chicago";
  m.utc_offset_s = -18000;
  m.mac = "A4:CF:12:34:56:78";
  InputStatus vt;
  vt.channel = 0;
  vt.is_voltage = true;
  vt.live.volts = 121.43;
  vt.live.hz = 59.98;
  InputStatus ct;
  ct.channel = 3;
  ct.live.watts = 1432.4;
  ct.live.va = 1489;  // Pf 0.962
  ct.reversed = true;
  ct.clipped = 812;
  InputStatus idle;
  idle.channel = 4;
  idle.live.watts = -1.5;
  m.inputs = {vt, ct, idle};
  return m;
}

TEST(Status, OnlyRequestedSections) {
  const auto j = render_status(Model(), {"inputs"});
  EXPECT_TRUE(j.contains("inputs"));
  EXPECT_FALSE(j.contains("stats"));
  EXPECT_FALSE(j.contains("wifi"));
}

TEST(Status, SamplingErrorWithItsRetryOnlyWhileNotMeasuring) {
  StatusModel m = Model();
  const auto healthy = render_status(m, {"stats"})["stats"]["sampling"];
  EXPECT_EQ(healthy["error"], "");
  EXPECT_FALSE(healthy.contains("open_attempts"));
  m.sampling.error = "cannot open /dev/spidev0.0: Permission denied (add user iotawatt to group spi)";
  m.sampling.open_attempts = 4;
  m.sampling.retry_in_s = 15.04;
  const auto waiting = render_status(m, {"stats"})["stats"]["sampling"];
  EXPECT_EQ(waiting["error"], m.sampling.error);
  EXPECT_EQ(waiting["open_attempts"], 4);
  EXPECT_DOUBLE_EQ(waiting["retry_in_s"].get<double>(), 15.0);
}

TEST(Status, WattsIsAStringClampedNearZero) {
  const auto j = render_status(Model(), {"inputs"});
  EXPECT_EQ(j["inputs"][1]["Watts"], "1432");
  EXPECT_EQ(j["inputs"][2]["Watts"], "0");
  EXPECT_TRUE(j["inputs"][1]["reversed"].get<bool>());
  EXPECT_FALSE(j["inputs"][2].contains("reversed"));
  EXPECT_DOUBLE_EQ(j["inputs"][0]["Vrms"].get<double>(), 121.43);
  EXPECT_FALSE(j["inputs"][0].contains("Watts"));
}

TEST(Status, PfIsRealOverApparentPower) {
  const auto j = render_status(Model(), {"inputs"});
  EXPECT_DOUBLE_EQ(j["inputs"][1]["Pf"].get<double>(), 0.962);
  EXPECT_DOUBLE_EQ(j["inputs"][1]["VA"].get<double>(), 1489);
  EXPECT_EQ(j["inputs"][2]["Pf"].get<double>(), 0) << "no apparent power: no power factor";
}

TEST(Status, InputsCarryClippedSamplesNextToTheOriginalsFields) {
  const auto j = render_status(Model(), {"inputs"});
  EXPECT_EQ(j["inputs"][1]["clipped"].get<uint64_t>(), 812u);
  EXPECT_EQ(j["inputs"][0]["clipped"].get<uint64_t>(), 0u);
  EXPECT_EQ(j["inputs"][2]["clipped"].get<uint64_t>(), 0u);
  EXPECT_EQ(j["inputs"][1]["Watts"], "1432") << "the original's fields stay as they were";
  EXPECT_TRUE(j["inputs"][1]["reversed"].get<bool>());
}

TEST(Status, WifiAlwaysCarriesMac) {
  const auto j = render_status(Model(), {"wifi"});
  EXPECT_EQ(j["wifi"]["mac"], "A4:CF:12:34:56:78");
}

TEST(Status, DeviceTimediffInMinutes) {
  const auto j = render_status(Model(), {"device"});
  EXPECT_EQ(j["device"]["timediff"], -300);
  EXPECT_EQ(j["device"]["timezone"], "America/Chicago");
  EXPECT_EQ(j["device"]["utc_offset"], -18000);
  EXPECT_EQ(j["device"]["name"], "Panel1");
}

TEST(Status, LegacyUploaderSectionsSayNotRunning) {
  const auto j = render_status(Model(), {"influx1", "pvoutput"});
  EXPECT_EQ(j["influx1"]["state"], "not running");
  EXPECT_EQ(j["pvoutput"]["state"], "not running");
}

TEST(Status, UploadersInOursAndTheOriginalsShapes) {
  StatusModel m = Model();
  m.uploaders.push_back({"influxdb", "influxdb", "live", 1732486390, 5, 0, "", {}, {}});
  m.uploaders.push_back(
      {"influxdb2", "influxdb2", "rejected", 0, 3600, 360, "authentication failed, HTTP 401", {}, {}});
  const auto j = render_status(m, {"uploaders", "influx1", "influx2", "emoncms"});
  ASSERT_EQ(j["uploaders"].size(), 2u);
  const auto& a = j["uploaders"][0];
  EXPECT_EQ(a["id"], "influxDB");
  EXPECT_EQ(a["status"], "running");
  EXPECT_EQ(a["lastpost"], 1732486390);
  EXPECT_FALSE(a.contains("message"));
  EXPECT_EQ(a["state"], "live");
  EXPECT_EQ(a["backlog_s"], 5);
  const auto& b = j["uploaders"][1];
  EXPECT_EQ(b["id"], "influxDB2");
  EXPECT_EQ(b["message"], "authentication failed, HTTP 401");
  EXPECT_EQ(b["backlog_intervals"], 360);
  EXPECT_EQ(j["influx1"], (nlohmann::json{{"status", "running"}, {"lastpost", 1732486390}}));
  EXPECT_EQ(j["influx2"]["message"], "authentication failed, HTTP 401");
  EXPECT_EQ(j["emoncms"]["state"], "not running");
}

TEST(HostPort, Splits) {
  std::string host;
  int port = 0;
  EXPECT_TRUE(split_host_port("127.0.0.1:8080", &host, &port));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8080);
  EXPECT_TRUE(split_host_port("[::1]:80", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(split_host_port("localhost", &host, &port));
  EXPECT_FALSE(split_host_port("a:99999", &host, &port));
  EXPECT_FALSE(split_host_port("a:8x", &host, &port));
}

}  // namespace
}  // namespace iw::server
