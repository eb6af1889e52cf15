// libFuzzer target: arbitrary bytes as a config.txt. The parser may reject the input, but it
// must not crash, leak, hang or trip a sanitizer; and a config it accepts must survive the
// round trip through the writer (config_writer.h promises parse(serialize(c)) == c with the
// same catalog), so a config the daemon saves can always be loaded again.
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
