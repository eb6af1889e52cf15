// app::parse_calibration_request: the body of POST /calibrate names real channels of the
// running config, or is refused naming the field.
#include "app/calibration_service.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/config_load.h"

namespace iw::app {
namespace {

config::Config two_inputs() {
  auto parsed = parse_and_check(R"({"device": {"channels": 2}, "inputs": [
      {"name": "Voltage", "type": "VT", "model": "generic", "cal": 10},
      {"name": "Mains", "type": "CT", "model": "generic", "cal": 20, "vchan": 0}]})",
                                nullptr);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return parsed.value();
}

TEST(CalibrationRequest, NamesTheChannelsOfTheConfig) {
  const config::Config config = two_inputs();
  auto r = parse_calibration_request(
      R"({"step": "ct_ratio", "channel": 1, "channels": [1], "reference": {"amps": 9.87}})", config);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value().channel, 1);
  EXPECT_EQ(r.value().channels, std::vector<int>{1});
}

// 4294967297 is 2^32 + 1: read as an int it wrapped to channel 1, a real CT.
TEST(CalibrationRequest, ANumberThatIsNotAChannelIsRefused) {
  const config::Config config = two_inputs();
  for (const char* channel : {"4294967297", "18446744073709551617", "1e300", "1.0", "-1", "\"1\""}) {
    auto r = parse_calibration_request(
        std::string(R"({"step": "ct_ratio", "reference": {"amps": 9.87}, "channel": )") + channel + "}", config);
    ASSERT_FALSE(r.ok()) << channel;
    EXPECT_NE(r.error().find("channel: "), std::string::npos) << r.error();
    EXPECT_NE(r.error().find("is not a channel number"), std::string::npos) << r.error();
    auto list = parse_calibration_request(
        std::string(R"({"step": "ct_ratio", "reference": {"amps": 9.87}, "channel": 1, "channels": [1, )") + channel +
            "]}",
        config);
    ASSERT_FALSE(list.ok()) << channel;
    EXPECT_NE(list.error().find("channels: "), std::string::npos) << list.error();
  }
}

}  // namespace
}  // namespace iw::app
