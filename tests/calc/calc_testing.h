// Helpers for the calc tests: a small configuration and operands with fixed values.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "calc/calculator.h"
#include "calc/names.h"
#include "calc/operands.h"
#include "config/config.h"

namespace iw::calc::testing {

// Channels: 0 "Voltage" (VT), 1 "main_1", 2 "main_2", 3 "solar" (signed), 4 unused, 5 "spare".
// Integrators "grid" and "solar_int" (by name; their scripts are added by tests when needed).
inline config::Config TestConfig() {
  config::Config c;
  c.inputs.resize(config::kMaxChannels);
  auto add = [&](int channel, const char* name, config::InputType type) {
    config::Input in;
    in.channel = channel;
    in.name = name;
    in.type = type;
    in.vchan = 0;
    c.inputs[static_cast<size_t>(channel)] = in;
  };
  add(0, "Voltage", config::InputType::kVT);
  add(1, "main_1", config::InputType::kCT);
  add(2, "main_2", config::InputType::kCT);
  add(3, "solar", config::InputType::kCT);
  add(5, "spare", config::InputType::kCT);
  c.inputs[3]->is_signed = true;
  return c;
}

inline config::ScriptDef Def(std::string name, std::string text, std::string units = "Watts",
                             config::ScriptSyntax syntax = config::ScriptSyntax::kOriginal) {
  config::ScriptDef d;
  d.name = std::move(name);
  d.text = std::move(text);
  d.units = std::move(units);
  d.syntax = syntax;
  return d;
}

// Names of TestConfig(), plus integrators "grid" (0) and "export" (1); no outputs.
class TestNames final : public NameScope {
 public:
  bool has_channel(int channel) const override { return config_.input(channel) != nullptr; }
  std::optional<int> input_named(std::string_view name) const override {
    for (const auto& in : config_.inputs) {
      if (in && in->name == name) return in->channel;
    }
    return std::nullopt;
  }
  std::optional<int> integrator_named(std::string_view name) const override {
    if (name == "grid") return 0;
    if (name == "export") return 1;
    return std::nullopt;
  }
  Result<const Script*> output_named(std::string_view) const override { return static_cast<const Script*>(nullptr); }

 private:
  config::Config config_ = TestConfig();
};

// Every input reads value(channel) for every quantity; integrators read fixed parts.
class FixedOperands final : public Operands {
 public:
  std::map<int, double> inputs{{0, 230}, {1, 100}, {2, 50}, {3, -30}, {5, 0}};
  double grid_pos = 7, grid_neg = -3;

  double input(int channel, Quantity) const override {
    const auto it = inputs.find(channel);
    return it == inputs.end() ? 0 : it->second;
  }
  double integrator(int index, IntegratorPart part, Quantity) const override {
    if (index != 0) return 0;
    switch (part) {
      case IntegratorPart::kPos:
        return grid_pos;
      case IntegratorPart::kNeg:
        return grid_neg;
      case IntegratorPart::kNet:
        return grid_pos + grid_neg;
    }
    return 0;
  }
};

}  // namespace iw::calc::testing
