#include "calc/script.h"

#include <algorithm>
#include <cmath>

namespace iw::calc {
namespace {

// NaN counts as 0, as in the original.
double clean(double v) { return std::isnan(v) ? 0 : v; }

double apply(Op op, double a, double b) {
  switch (op) {
    case Op::kAdd:
      return a + b;
    case Op::kSub:
      return a - b;
    case Op::kMul:
      return a * b;
    case Op::kDiv:
      return b == 0 ? 0 : a / b;
    case Op::kMin:
      return std::min(a, b);
    case Op::kMax:
      return std::max(a, b);
    case Op::kAbs:
      return std::abs(a);
    case Op::kNeg:
      return -a;
    default:
      return 0;
  }
}

bool is_unary(Op op) { return op == Op::kAbs || op == Op::kNeg; }

void add_once(std::vector<int>& list, int v) {
  if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

}  // namespace

int Script::add(Node node) {
  nodes_.push_back(node);
  return static_cast<int>(nodes_.size()) - 1;
}

int Script::constant(double v) { return add({.op = Op::kConstant, .value = v}); }

int Script::input(int channel) { return add({.op = Op::kInput, .index = channel}); }

int Script::integrator(int index, IntegratorPart part) {
  return add({.op = Op::kIntegrator, .part = part, .index = index});
}

int Script::unary(Op op, int operand) { return add({.op = op, .lhs = operand}); }

int Script::binary(Op op, int lhs, int rhs) { return add({.op = op, .lhs = lhs, .rhs = rhs}); }

int Script::graft(const Script& other) {
  const int offset = static_cast<int>(nodes_.size());
  for (Node n : other.nodes_) {
    if (n.lhs >= 0) n.lhs += offset;
    if (n.rhs >= 0) n.rhs += offset;
    nodes_.push_back(n);
  }
  return other.root_ < 0 ? constant(0) : other.root_ + offset;
}

double Script::evaluate(const Operands& operands, Quantity quantity) const {
  if (root_ < 0) return 0;
  // Children precede their parents, so one pass in order evaluates every node once. The
  // buffer is small (a script has tens of nodes) and lives on the stack when it fits.
  constexpr size_t kInline = 64;
  // Zeroed: GCC 12 for armhf cannot see that values[root_] is always written by the loop
  // (root_ < nodes_.size()) and warns -Wmaybe-uninitialized at -O2.
  double inline_values[kInline]{};
  std::vector<double> heap_values;
  double* values = inline_values;
  if (nodes_.size() > kInline) {
    heap_values.resize(nodes_.size());
    values = heap_values.data();
  }
  for (size_t k = 0; k < nodes_.size(); ++k) {
    const Node& n = nodes_[k];
    double v = 0;
    switch (n.op) {
      case Op::kConstant:
        v = n.value;
        break;
      case Op::kInput:
        v = operands.input(n.index, quantity);
        break;
      case Op::kIntegrator:
        v = operands.integrator(n.index, n.part, quantity);
        break;
      default:
        v = is_unary(n.op) ? apply(n.op, values[n.lhs], 0) : apply(n.op, values[n.lhs], values[n.rhs]);
    }
    values[k] = clean(v);
  }
  return values[root_];
}

std::optional<double> Script::constant_value(int id) const {
  const Node& n = nodes_[static_cast<size_t>(id)];
  switch (n.op) {
    case Op::kConstant:
      return n.value;
    case Op::kInput:
    case Op::kIntegrator:
      return std::nullopt;
    default:
      break;
  }
  const auto a = constant_value(n.lhs);
  if (!a) return std::nullopt;
  if (is_unary(n.op)) return clean(apply(n.op, *a, 0));
  const auto b = constant_value(n.rhs);
  if (!b) return std::nullopt;
  return clean(apply(n.op, *a, *b));
}

std::vector<int> Script::inputs() const {
  std::vector<int> out;
  for (const Node& n : nodes_) {
    if (n.op == Op::kInput) add_once(out, n.index);
  }
  return out;
}

std::vector<int> Script::integrators() const {
  std::vector<int> out;
  for (const Node& n : nodes_) {
    if (n.op == Op::kIntegrator) add_once(out, n.index);
  }
  return out;
}

}  // namespace iw::calc
