#include "upload/measurement.h"

#include <charconv>

#include "config/config.h"

namespace iw::upload {
namespace {

// An input's values under the measurement's own name.
class NamedInput final : public query::Series {
 public:
  NamedInput(std::string name, const config::Input& input) : name_(std::move(name)), input_(input) {}
  const std::string& name() const override { return name_; }
  query::Unit unit() const override { return input_.unit(); }
  std::optional<double> value(const query::Interval& interval, query::Unit unit) const override {
    return input_.value(interval, unit);
  }

 private:
  std::string name_;
  query::InputSeries input_;
};

}  // namespace

Result<std::unique_ptr<query::Series>> measurement_series(const config::Config& config, const std::string& name,
                                                          const std::string& script) {
  int channel = -1;
  const char* begin = script.data();
  const char* end = begin + script.size();
  const bool one_input = script.size() >= 2 && script[0] == '@' &&
                         std::from_chars(begin + 1, end, channel).ptr == end;
  if (!one_input) {
    return Status::Error("measurement \"" + name + "\": script \"" + script +
                         "\" is not supported yet (only one input, @n)");
  }
  const config::Input* input = config.input(channel);
  if (!input) {
    return Status::Error("measurement \"" + name + "\": script \"" + script + "\" names input " +
                         std::to_string(channel) + ", which is not configured");
  }
  return std::unique_ptr<query::Series>(std::make_unique<NamedInput>(name, *input));
}

}  // namespace iw::upload
