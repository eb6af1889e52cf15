#include "calc/integrator.h"

#include <cmath>

#include "calc/input_value.h"

namespace iw::calc {
namespace {

// A linear function of at most one input: coefficient * input + nothing. `channel` < 0 means
// the constant 0 (no input yet).
struct Linear {
  int channel = -1;
  double coefficient = 0;
};

std::optional<Linear> linear(const Script& s, int id);

std::optional<Linear> sum(const Script& s, int lhs, int rhs, double sign) {
  const auto a = linear(s, lhs);
  const auto b = linear(s, rhs);
  if (!a || !b) return std::nullopt;
  if (a->channel >= 0 && b->channel >= 0 && a->channel != b->channel) return std::nullopt;
  return Linear{a->channel >= 0 ? a->channel : b->channel, a->coefficient + sign * b->coefficient};
}

std::optional<Linear> scaled(const Script& s, int operand, double factor) {
  auto a = linear(s, operand);
  if (!a) return std::nullopt;
  a->coefficient *= factor;
  return a;
}

std::optional<Linear> linear(const Script& s, int id) {
  if (auto k = s.constant_value(id)) {
    if (*k == 0) return Linear{};
    return std::nullopt;  // a constant offset is not import or export of an input
  }
  const Node& n = s.nodes()[static_cast<size_t>(id)];
  switch (n.op) {
    case Op::kInput:
      return Linear{n.index, 1};
    case Op::kNeg:
      return scaled(s, n.lhs, -1);
    case Op::kAdd:
      return sum(s, n.lhs, n.rhs, 1);
    case Op::kSub:
      return sum(s, n.lhs, n.rhs, -1);
    case Op::kMul:
      if (auto k = s.constant_value(n.lhs)) return scaled(s, n.rhs, *k);
      if (auto k = s.constant_value(n.rhs)) return scaled(s, n.lhs, *k);
      return std::nullopt;
    case Op::kDiv:
      if (auto k = s.constant_value(n.rhs); k && *k != 0) return scaled(s, n.lhs, 1 / *k);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

double negative(double magnitude) { return magnitude == 0 ? 0 : -magnitude; }

std::optional<ExactForm> exact_form(const Script& script) {
  if (script.root() < 0) return std::nullopt;
  const auto l = linear(script, script.root());
  if (!l || l->channel < 0 || l->coefficient == 0 || !std::isfinite(l->coefficient)) return std::nullopt;
  return ExactForm{l->channel, l->coefficient};
}

IntegratorDelta exact_delta(const ExactForm& form, const measure::ChannelCounters& older,
                            const measure::ChannelCounters& newer) {
  const double import = counter_delta(newer.wh_import, older.wh_import);
  const double exported = counter_delta(newer.wh_export, older.wh_export);
  const double k = form.coefficient;
  if (k > 0) return {k * import, negative(k * exported)};
  return {-k * exported, negative(-k * import)};
}

void IntegratorTotals::add(double wh) {
  if (!std::isfinite(wh)) return;
  if (wh >= 0) {
    pos_.add(wh);
  } else {
    neg_.add(-wh);
  }
}

void IntegratorTotals::restore(int64_t pos_micros, int64_t neg_magnitude_micros) {
  pos_.set(pos_micros);
  neg_.set(neg_magnitude_micros);
}

}  // namespace iw::calc
