// A compiled output script: a tree of operations over inputs, integrators and constants.
//
// Both syntaxes compile to this one form (original_syntax.h, readable_syntax.h), so everything
// after parsing (evaluation, integrators, printing) is the same for both. The tree is stored
// flat, children before parents, so a Script is a plain value: cheap to copy, no pointers, and
// evaluating it allocates nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "calc/operands.h"

namespace iw::calc {

enum class Op : uint8_t {
  kConstant,    // value
  kInput,       // input channel `index`
  kIntegrator,  // integrator `index`, `part`
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMin,
  kMax,  // the original's '<' and '>' operators
  kAbs,  // the original's postfix '|'
  kNeg,
};

struct Node {
  Op op = Op::kConstant;
  IntegratorPart part = IntegratorPart::kNet;
  int index = 0;     // channel (kInput) or integrator number (kIntegrator)
  double value = 0;  // kConstant
  int lhs = -1;      // operand of unary ops; left operand of binary ops
  int rhs = -1;      // right operand of binary ops
};

class Script {
 public:
  // Builders. Each returns the new node's id; operands must be ids this script returned.
  int constant(double v);
  int input(int channel);
  int integrator(int index, IntegratorPart part);
  int unary(Op op, int operand);
  int binary(Op op, int lhs, int rhs);
  // Copies `other`'s whole tree into this one (an output used by another output) and returns
  // the id of its root.
  int graft(const Script& other);
  void set_root(int id) { root_ = id; }

  bool empty() const { return nodes_.empty(); }
  int root() const { return root_; }
  const std::vector<Node>& nodes() const { return nodes_; }

  // The script's value with every operand read as `quantity` (operands.h). Follows the
  // original's arithmetic: division by zero gives 0, and a NaN operand or intermediate result
  // counts as 0, so the result is always finite unless an operand is infinite.
  double evaluate(const Operands& operands, Quantity quantity) const;

  // The value of the subtree at `id` when it reads no input or integrator (constant folding).
  std::optional<double> constant_value(int id) const;

  // Channels and integrators the script reads, each once, in order of first use.
  std::vector<int> inputs() const;
  std::vector<int> integrators() const;
  bool operator==(const Script&) const = default;

 private:
  int add(Node node);

  std::vector<Node> nodes_;
  int root_ = -1;
};

}  // namespace iw::calc
