// Every config in examples/ (the ones the README points to) parses without errors, its typed
// sections included (tariffs).
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config_file.h"
#include "config/tariff_config.h"

namespace iw {
namespace {

TEST(Examples, EveryExampleConfigIsValid) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(IOTAWATT_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".json") continue;
    ++seen;
    auto cfg = config::load_config_file(entry.path().string(), config::ModelCatalog::builtin());
    EXPECT_TRUE(cfg.ok()) << entry.path() << ": " << (cfg.ok() ? "" : cfg.error());
    if (!cfg.ok()) continue;
    auto tariffs = config::tariff_config(cfg.value());
    EXPECT_TRUE(tariffs.ok()) << entry.path() << ": " << (tariffs.ok() ? "" : tariffs.error());
  }
  EXPECT_GE(seen, 3);
}

}  // namespace
}  // namespace iw
