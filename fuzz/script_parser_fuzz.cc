// libFuzzer target: arbitrary bytes as an output script. The first byte picks the syntax (even:
// the original's, odd: readable), the rest is the text, compiled against a household config
// with outputs and integrators. A script may be rejected, but never with a crash, a hang or a
// message without its position; an accepted one evaluates to a finite value in every unit on
// finite operands, and reads only active inputs and known integrators.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "calc/calculator.h"
#include "calc/value.h"
#include "config/config_parser.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "script_parser_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

const iw::config::Config& household() {
  static const iw::config::Config config = [] {
    auto parsed = iw::config::parse_config(R"({
      "device": {"name": "fuzz", "channels": 15},
      "inputs": [
        {"channel": 0, "name": "Voltage", "type": "VT", "model": "generic240V", "cal": 20},
        {"channel": 1, "name": "main_1", "type": "CT", "model": "generic", "cal": 100, "signed": true},
        {"channel": 2, "name": "main_2", "type": "CT", "model": "generic", "cal": 100},
        {"channel": 3, "name": "solar", "type": "CT", "model": "generic", "cal": 50, "signed": true}],
      "outputs": [{"name": "house", "units": "Watts", "expr": "main_1 + main_2 - solar"},
                  {"name": "grid", "units": "Watts", "script": "@1+@2"}],
      "integrators": [{"name": "net", "units": "Wh", "script": "@1+@2+@3"}]})",
                                           iw::config::ModelCatalog::builtin());
    if (!parsed) fail("the fuzz config does not parse", parsed.error());
    return parsed.value();
  }();
  return config;
}

// Every operand a large but finite value that depends on what is read.
class Operands final : public iw::calc::Operands {
 public:
  double input(int channel, iw::calc::Quantity q) const override {
    return 1e6 * (channel + 1) - 37.5 * static_cast<int>(q);
  }
  double integrator(int index, iw::calc::IntegratorPart part, iw::calc::Quantity) const override {
    return (index + 1) * (part == iw::calc::IntegratorPart::kNeg ? -3e5 : 7e5);
  }
};

constexpr iw::calc::Unit kUnits[] = {iw::calc::Unit::kWatts, iw::calc::Unit::kVolts, iw::calc::Unit::kAmps,
                                     iw::calc::Unit::kVA,    iw::calc::Unit::kVAh,   iw::calc::Unit::kHz,
                                     iw::calc::Unit::kWh,    iw::calc::Unit::kKWh,   iw::calc::Unit::kPF,
                                     iw::calc::Unit::kVAR,   iw::calc::Unit::kVARh};

void check_error(const std::string& message, size_t text_size) {
  unsigned long position = 0;
  if (std::sscanf(message.c_str(), "position %lu:", &position) != 1 &&
      message.find("characters long") == std::string::npos) {
    fail("an error without a position", message);
  }
  if (position > text_size + 1) fail("an error position past the end", message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto syntax = data[0] % 2 == 0 ? iw::config::ScriptSyntax::kOriginal : iw::config::ScriptSyntax::kReadable;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto& config = household();
  auto script = iw::calc::Calculator::CompileOne(config, text, syntax);
  if (!script) {
    check_error(script.error(), text.size());
    return 0;
  }
  for (int ch : script->inputs()) {
    if (config.input(ch) == nullptr) fail("an accepted script reads an inactive input", std::string(text));
  }
  for (int k : script->integrators()) {
    if (k < 0 || static_cast<size_t>(k) >= config.integrators.size()) fail("an unknown integrator", std::string(text));
  }
  const Operands operands;
  for (iw::calc::Unit unit : kUnits) {
    const double v = iw::calc::value_of(script.value(), unit, operands);
    if (!std::isfinite(v)) fail("a non-finite value", std::string(text));
  }
  return 0;
}
