// assemble() on an ADC board: a device that cannot be opened is a state the daemon waits in
// (a placeholder source and the reason), a config that is wrong stays an error.
#include "app/assembly.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "config/config_parser.h"
#include "measure/sample_block.h"

namespace iw::app {
namespace {

config::Config board_config(const std::string& board, const std::string& spidev) {
  std::ifstream in(std::string(IOTAWATT_SOURCE_DIR) + "/examples/pi-mcp3008-1vt6ct.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["adc"] = {{"board", board}, {"spidev", {spidev}}};
  auto parsed = config::parse_config(doc, config::ModelCatalog::builtin());
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return parsed.value();
}

TEST(Assembly, AMissingDeviceIsUnavailableAndServedByAPlaceholder) {
  auto a = assemble(RunOptions{}, board_config("pi-mcp3008-1vt6ct", "/dev/spidev-iotawatt-test.0"), 0);
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_TRUE(a->source_error.is_unavailable());
  EXPECT_NE(a->source_error.message().find("cannot open /dev/spidev-iotawatt-test.0: No such file or directory"),
            std::string::npos)
      << a->source_error.message();
  EXPECT_NE(a->source->describe().find("not open"), std::string::npos) << a->source->describe();
  EXPECT_FALSE(a->paced);
  measure::SampleBlock block;
  EXPECT_EQ(a->source->read(block).message(), a->source_error.message());
  EXPECT_EQ(a->config.inputs.size(), 7u) << "the config is kept, so /config and /status show it";
}

TEST(Assembly, AWrongBoardIsStillAnError) {
  auto a = assemble(RunOptions{}, board_config("no-such-board", "/dev/spidev-iotawatt-test.0"), 0);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().find("adc.board"), std::string::npos) << a.error();
}

}  // namespace
}  // namespace iw::app
