// app::parse_and_check: what the daemon refuses before it stops the running config (a load at
// start-up, POST /config) includes the typed sections, tariffs among them.
#include "app/config_load.h"

#include <gtest/gtest.h>

namespace iw::app {
namespace {

constexpr const char* kInputs = R"("device": {"channels": 2}, "inputs": [
    {"name": "Voltage", "type": "VT", "model": "generic", "cal": 10},
    {"name": "Mains", "type": "CT", "model": "generic", "cal": 20, "vchan": 0}])";

TEST(ConfigCheck, ABadTariffIsRefusedNamingItsField) {
  auto bad = parse_and_check(std::string("{") + kInputs + R"(, "tariffs": [{"name": "home", "currency": "EUR",
      "meter": "Kitchen", "import": {"price": 0.3, "schedule": [{"from": "7:00", "price": 0.4}]}}]})",
                             nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("tariffs[0].meter: \"Kitchen\" is not a CT input or an integrator"), std::string::npos)
      << bad.error();
  EXPECT_NE(bad.error().find("tariffs[0].import.schedule[0].from: \"7:00\" is not a time hh:mm"), std::string::npos)
      << bad.error();
  auto good = parse_and_check(
      std::string("{") + kInputs + R"(, "tariffs": [{"name": "flat", "currency": "EUR", "import": {"price": 0.30}}]})",
      nullptr);
  EXPECT_TRUE(good.ok()) << good.error();
}

}  // namespace
}  // namespace iw::app
