// The configuration's outputs and integrators, compiled and checked against its inputs.
//
// Built once per configuration (the daemon rebuilds it with the config); read-only after
// that, so any number of threads may evaluate with it at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "calc/input_value.h"
#include "calc/integrator.h"
#include "calc/script.h"
#include "calc/units.h"
#include "config/config.h"

namespace iw::calc {

struct Output {
  std::string name;
  Unit unit = Unit::kWatts;  // the configured units; absent or unknown: Watts (as the original)
  Script script;
};

struct Integrator {
  std::string name;
  Script script;                   // evaluated in Wh; reads no integrator
  std::optional<ExactForm> exact;  // set: read from the engine's import/export counters
};

// Longest script text accepted: far beyond any real one, short enough that no tree built from
// it nests deep enough to matter.
inline constexpr size_t kMaxScriptLength = 2000;

class Calculator {
 public:
  // Compiles every output and integrator of `config`. Errors list every problem, one per
  // line, by key path: `outputs[2].expr: position 7: unknown name "foo" ...`. `notes`, when
  // given, receives things accepted but worth logging (unknown units read as Watts).
  static Result<Calculator> Compile(const config::Config& config, std::vector<std::string>* notes = nullptr);
  // Compiles one script against `config`'s names, as the web app's preview asks.
  static Result<Script> CompileOne(const config::Config& config, std::string_view text, config::ScriptSyntax syntax);

  const std::vector<InputInfo>& inputs() const { return inputs_; }
  const std::vector<Output>& outputs() const { return outputs_; }
  const std::vector<Integrator>& integrators() const { return integrators_; }
  const Output* output(std::string_view name) const;

 private:
  friend class Compiler;
  std::vector<InputInfo> inputs_;
  std::vector<Output> outputs_;
  std::vector<Integrator> integrators_;
};

// The channel layout of `config`'s inputs, as input_quantity() reads it.
std::vector<InputInfo> input_infos(const config::Config& config);

}  // namespace iw::calc
