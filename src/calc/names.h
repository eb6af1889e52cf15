// What the names in a script refer to, as the compiler (calculator.h) knows them. The parsers
// ask; they never see the config.
#pragma once

#include <optional>
#include <string_view>

#include "base/status.h"
#include "calc/script.h"

namespace iw::calc {

class NameScope {
 public:
  virtual ~NameScope() = default;
  // Whether `channel` is an active input.
  virtual bool has_channel(int channel) const = 0;
  // The channel of the input named `name` (case-sensitive).
  virtual std::optional<int> input_named(std::string_view name) const = 0;
  // The number of the integrator named `name`; nullopt when there is none or when the script
  // being compiled may not use integrators (an integrator's own script).
  virtual std::optional<int> integrator_named(std::string_view name) const = 0;
  // The compiled script of the output named `name`, nullptr when there is no such output; an
  // error when it cannot be used here (it uses the output being compiled, or is broken).
  virtual Result<const Script*> output_named(std::string_view name) const = 0;
};

}  // namespace iw::calc
