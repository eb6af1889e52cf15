#include "calc/calculator.h"

#include <fmt/format.h>

#include <functional>
#include <map>

#include "calc/original_syntax.h"
#include "calc/readable_syntax.h"

namespace iw::calc {
namespace {

std::string key_of(const config::ScriptDef& def) {
  return def.syntax == config::ScriptSyntax::kOriginal ? "script" : "expr";
}

Result<Script> parse(std::string_view text, config::ScriptSyntax syntax, const NameScope& names) {
  if (text.size() > kMaxScriptLength) {
    return Status::InvalidArgument(
        fmt::format("the script is {} characters long; at most {} are accepted", text.size(), kMaxScriptLength));
  }
  return syntax == config::ScriptSyntax::kOriginal ? parse_original(text, names) : parse_readable(text, names);
}

}  // namespace

std::vector<InputInfo> input_infos(const config::Config& config) {
  std::vector<InputInfo> infos(config.inputs.size());
  for (size_t ch = 0; ch < config.inputs.size(); ++ch) {
    const auto& in = config.inputs[ch];
    if (!in) continue;
    infos[ch] = {true, in->is_vt(), in->is_vt() ? in->channel : in->vchan};
  }
  return infos;
}

// Compiles outputs on demand, in whatever order they refer to each other, so an output may
// use one defined after it; a reference back to an output still being compiled is a cycle.
class Compiler final : public NameScope {
 public:
  explicit Compiler(const config::Config& config) : config_(config) {
    for (size_t i = 0; i < config.integrators.size(); ++i)
      integrator_index_[config.integrators[i].name] = static_cast<int>(i);
    for (size_t i = 0; i < config.outputs.size(); ++i) output_index_[config.outputs[i].name] = i;
    states_.resize(config.outputs.size());
    scripts_.resize(config.outputs.size());
  }

  bool has_channel(int channel) const override { return config_.input(channel) != nullptr; }
  std::optional<int> input_named(std::string_view name) const override {
    for (const auto& in : config_.inputs) {
      if (in && in->name == name) return in->channel;
    }
    return std::nullopt;
  }
  std::optional<int> integrator_named(std::string_view name) const override {
    if (!integrators_allowed_) return std::nullopt;
    const auto it = integrator_index_.find(name);
    if (it == integrator_index_.end()) return std::nullopt;
    return it->second;
  }
  Result<const Script*> output_named(std::string_view name) const override {
    const auto it = output_index_.find(name);
    if (it == output_index_.end()) return static_cast<const Script*>(nullptr);
    return output_script(it->second, name);
  }

  // Compiles output `i` (memoised). Its own error is recorded once under its key path.
  Result<const Script*> output_script(size_t i, std::string_view name) const {
    switch (states_[i]) {
      case State::kDone:
        return &scripts_[i];
      case State::kFailed:
        return Status::InvalidArgument(fmt::format("output \"{}\" has an error of its own", name));
      case State::kCompiling:
        return Status::InvalidArgument(
            fmt::format("output \"{}\" uses itself (outputs may not refer to each other in a cycle)", name));
      case State::kNew:
        break;
    }
    states_[i] = State::kCompiling;
    const config::ScriptDef& def = config_.outputs[i];
    auto script = parse(def.text, def.syntax, *this);
    if (!script) {
      states_[i] = State::kFailed;
      problems_.push_back(fmt::format("outputs[{}].{}: {}", i, key_of(def), script.error()));
      return Status::InvalidArgument(fmt::format("output \"{}\" has an error of its own", name));
    }
    scripts_[i] = std::move(script.value());
    states_[i] = State::kDone;
    return &scripts_[i];
  }

  Result<Calculator> run(std::vector<std::string>* notes) {
    Calculator calc;
    calc.inputs_ = input_infos(config_);
    for (size_t i = 0; i < config_.outputs.size(); ++i) {
      const config::ScriptDef& def = config_.outputs[i];
      auto compiled = output_script(i, def.name);
      if (!compiled.ok()) continue;
      calc.outputs_.push_back({def.name, unit_of(def, i, notes), *compiled.value()});
    }
    integrators_allowed_ = false;
    for (size_t i = 0; i < config_.integrators.size(); ++i) compile_integrator(i, calc);
    if (!problems_.empty()) return Status::InvalidArgument(fmt::format("{}", fmt::join(problems_, "\n")));
    return calc;
  }

 private:
  enum class State { kNew, kCompiling, kDone, kFailed };

  Unit unit_of(const config::ScriptDef& def, size_t i, std::vector<std::string>* notes) const {
    if (def.units.empty()) return Unit::kWatts;
    if (auto u = parse_unit_name(def.units)) return *u;
    if (notes)
      notes->push_back(fmt::format("outputs[{}].units: \"{}\" is not a known unit; Watts is used", i, def.units));
    return Unit::kWatts;
  }

  void compile_integrator(size_t i, Calculator& calc) {
    const config::ScriptDef& def = config_.integrators[i];
    auto script = parse(def.text, def.syntax, *this);
    const std::string path = fmt::format("integrators[{}].{}", i, key_of(def));
    if (!script) {
      problems_.push_back(fmt::format("{}: {}", path, script.error()));
      return;
    }
    // Outputs reached through names were compiled with integrators allowed.
    if (!script->integrators().empty()) {
      problems_.push_back(
          fmt::format("{}: it uses an output that reads integrators; an integrator cannot read "
                      "integrators",
                      path));
      return;
    }
    Integrator integrator{def.name, std::move(script.value()), std::nullopt};
    if (auto exact = exact_form(integrator.script)) {
      const config::Input* in = config_.input(exact->channel);
      if (in != nullptr && in->is_ct()) integrator.exact = exact;
    }
    calc.integrators_.push_back(std::move(integrator));
  }

  const config::Config& config_;
  std::map<std::string, int, std::less<>> integrator_index_;
  std::map<std::string, size_t, std::less<>> output_index_;
  // Filled in while names are resolved, which NameScope's const interface does.
  mutable std::vector<State> states_;
  mutable std::vector<Script> scripts_;
  mutable std::vector<std::string> problems_;
  bool integrators_allowed_ = true;
};

Result<Calculator> Calculator::Compile(const config::Config& config, std::vector<std::string>* notes) {
  return Compiler(config).run(notes);
}

Result<Script> Calculator::CompileOne(const config::Config& config, std::string_view text,
                                      config::ScriptSyntax syntax) {
  Compiler compiler(config);
  return parse(text, syntax, compiler);
}

const Output* Calculator::output(std::string_view name) const {
  for (const Output& o : outputs_) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

}  // namespace iw::calc
