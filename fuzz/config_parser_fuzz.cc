// libFuzzer target: arbitrary bytes as a config.txt. The parser may reject the input, but it
// must not crash, leak, hang or trip a sanitizer; and a config it accepts must survive the
// round trip through the writer (config_writer.h promises parse(serialize(c)) == c with the
// same catalog), so a config the daemon saves can always be loaded again. An accepted config's
// "tariffs" section is typed too (tariff_config.h): it must type the same after the round trip.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_parser.h"
#include "config/config_writer.h"
#include "config/model_catalog.h"
#include "config/tariff_config.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "config_parser_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();  // libFuzzer keeps the input that got here
}

void check_round_trip(const iw::config::Config& config, const iw::config::ModelCatalog& catalog) {
  const std::string text = iw::config::serialize_text(config, 2, catalog);
  auto again = iw::config::parse_config(text, catalog);
  if (!again) fail("a config it accepted was rejected after serialize()", again.error());
  if (!(again.value() == config)) fail("serialize() then parse_config() changed the config", text);
  auto tariffs = iw::config::tariff_config(config);
  auto tariffs_again = iw::config::tariff_config(again.value());
  if (tariffs.ok() != tariffs_again.ok() || (tariffs.ok() && !(tariffs.value() == tariffs_again.value()))) {
    fail("the tariffs section typed differently after the round trip", text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const iw::config::ModelCatalog& catalog = iw::config::ModelCatalog::builtin();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> notes;
  auto config = iw::config::parse_config(text, catalog, &notes);
  if (config) check_round_trip(config.value(), catalog);
  return 0;
}
