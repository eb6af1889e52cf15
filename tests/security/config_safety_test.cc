// Issue 12, finding 6: POST /config with {} was accepted and dropped every input and uploader;
// on hardware a config without "adc" switched to the simulator and logged simulated data as
// measurements. Such a change now needs an explicit confirmation (409 without it), and the
// daemon will not start the simulator on a datalog an ADC board has been writing.
#include <gtest/gtest.h>

#include "security/state_testing.h"

namespace iw::testing {
namespace {

constexpr const char* kBoard = R"({"board": "pi-mcp3008-1vt6ct"})";

std::string header(const httplib::Result& res, const std::string& name) {
  return res->has_header(name) ? res->get_header_value(name) : "";
}

size_t active_inputs(const std::string& config_text) {
  const nlohmann::json config = nlohmann::json::parse(config_text);
  size_t n = 0;
  for (const auto& in : config["inputs"]) n += in.is_object() ? 1 : 0;
  return n;
}

class ConfigSafetyTest : public RunningDaemonTest {
 protected:
  ConfigSafetyTest() : RunningDaemonTest("config-safety") {}
  void SetUp() override {
    RunningDaemonTest::SetUp();
    if (HasFatalFailure()) return;
    config_ = daemon_.client()->Get("/config")->body;
  }
  // Refused: nothing saved, the running config unchanged, the daemon measuring.
  void ExpectUnchanged() {
    EXPECT_EQ(daemon_.client()->Get("/config")->body, config_);
    EXPECT_FALSE(std::filesystem::exists(daemon_.data() + "/config.txt"));
    ExpectUnharmed();
  }
  std::string source_mark() const { return file_text(daemon_.data() + "/datalog/SOURCE"); }
  std::string config_;
};

TEST_F(ConfigSafetyTest, AnEmptyConfigIsRefusedWith409UntilConfirmed) {
  const size_t inputs = active_inputs(config_);
  ASSERT_GT(inputs, 0u);
  auto res = daemon_.client()->Post("/config", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(header(res, "X-Config-Confirm"), "inputs");
  EXPECT_EQ(res->body, "config not applied; the running config is unchanged:\nit has no inputs: the " +
                           std::to_string(inputs) +
                           " inputs measured now would no longer be measured, logged or uploaded.\n"
                           "To apply it anyway, send it again to POST /config?confirm=inputs");
  ExpectUnchanged();

  auto confirmed = daemon_.client()->Post("/config?confirm=inputs", "{}", "application/json");
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->status, 200) << confirmed->body;
  EXPECT_EQ(daemon_.client()->Get("/config")->body, "{}");
  EXPECT_EQ(file_text(daemon_.data() + "/config.txt"), "{}");
  EXPECT_TRUE(daemon_.alive());
  EXPECT_TRUE(sampling_goes_on(daemon_, daemon_.cycles()));
}

TEST_F(ConfigSafetyTest, ASourceSwitchIsRefusedWith409UntilConfirmed) {
  EXPECT_EQ(source_mark(), "simulator\n");  // a fresh data directory takes the daemon's source
  nlohmann::json with_adc = nlohmann::json::parse(config_);
  with_adc["adc"] = nlohmann::json::parse(kBoard);
  auto res = daemon_.client()->Post("/config", with_adc.dump(), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(header(res, "X-Config-Confirm"), "source");
  EXPECT_NE(res->body.find("it switches the sample source from the simulator to an ADC board: the board's data "
                           "would follow simulated data in the log.\n"
                           "To apply it anyway, send it again to POST /config?confirm=source"),
            std::string::npos)
      << res->body;
  ExpectUnchanged();

  // Confirmed, the switch is made; this machine has no SPI device, so the daemon serves and
  // waits for the board (app/source_retry.h), saying what is missing. Nothing was measured by
  // the board, so the datalog is still the simulator's.
  auto confirmed = daemon_.client()->Post("/config?confirm=source", with_adc.dump(), "application/json");
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->status, 200) << confirmed->body;
  EXPECT_TRUE(std::filesystem::exists(daemon_.data() + "/config.txt"));
  const auto status = nlohmann::json::parse(daemon_.client()->Get("/status?stats")->body);
  const std::string error = status["stats"]["sampling"]["error"];
  EXPECT_NE(error.find("/dev/spidev"), std::string::npos) << status;
  EXPECT_TRUE(daemon_.alive());
  EXPECT_EQ(source_mark(), "simulator\n");
}

TEST_F(ConfigSafetyTest, BothAreNamedWhenAConfigDoesBoth) {
  auto res = daemon_.client()->Post("/config", std::string(R"({"adc": )") + kBoard + "}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(header(res, "X-Config-Confirm"), "inputs,source");
  EXPECT_NE(res->body.find("POST /config?confirm=inputs,source"), std::string::npos) << res->body;
  // Confirming one of the two is not enough.
  auto half = daemon_.client()->Post(std::string("/config?confirm=inputs"), std::string(R"({"adc": )") + kBoard + "}",
                                     "application/json");
  ASSERT_TRUE(half);
  EXPECT_EQ(half->status, 409);
  EXPECT_EQ(header(half, "X-Config-Confirm"), "source");
  ExpectUnchanged();
}

// On a data directory whose datalog an ADC board has been writing, the simulator does not
// start without --confirm-source, and nothing is logged.
TEST(ConfigSafetyAtStart, TheSimulatorRefusesAHardwareDatalog) {
  const std::string data = temp_path("hardware-data");
  put_file(data + "/datalog/SOURCE", "adc\n");
  DaemonProcess refused({"run", "--http", "127.0.0.1:" + std::to_string(free_port()), "--data", data},
                        temp_path("hardware-data.log"));
  EXPECT_EQ(refused.wait(std::chrono::seconds(30)), 2) << refused.log();
  const std::string log = refused.log();
  EXPECT_NE(log.find("refusing to start: --data " + data + ": its datalog holds measurements from an ADC board (" +
                     data + "/datalog/SOURCE says adc)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("pass --confirm-source to log simulator data there anyway"), std::string::npos) << log;
  EXPECT_FALSE(std::filesystem::exists(data + "/datalog/current"));
  EXPECT_EQ(file_text(data + "/datalog/SOURCE"), "adc\n");
}

TEST(ConfigSafetyAtStart, ConfirmSourceLetsTheSimulatorRunAndRecordsIt) {
  SecurityDaemon d("hardware-confirmed", {"--confirm-source"});
  put_file(d.data() + "/datalog/SOURCE", "adc\n");
  std::string why;
  ASSERT_TRUE(d.start(&why)) << why;
  EXPECT_TRUE(sampling_goes_on(d, d.cycles()));
  EXPECT_EQ(file_text(d.data() + "/datalog/SOURCE"), "simulator\n");
  EXPECT_NE(d.process().log().find("holds measurements from an ADC board; simulator data follows them, as confirmed"),
            std::string::npos)
      << d.process().log();
}

}  // namespace
}  // namespace iw::testing
