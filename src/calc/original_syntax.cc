#include "calc/original_syntax.h"

#include "calc/script_reader.h"

#include <charconv>
#include <string>

#include <fmt/format.h>

namespace iw::calc {
namespace {

using detail::is_name_char;

std::optional<Op> binary_op(char c) {
  switch (c) {
    case '+':
      return Op::kAdd;
    case '-':
      return Op::kSub;
    case '*':
      return Op::kMul;
    case '/':
      return Op::kDiv;
    case '<':
      return Op::kMin;
    case '>':
      return Op::kMax;
    default:
      return std::nullopt;
  }
}

class Parser : detail::ScriptReader {
 public:
  Parser(std::string_view text, const NameScope& names) : ScriptReader(text, names) {}

  Result<Script> run() {
    if (text_.empty()) fail(0, "the script is empty");
    return finish(error_.empty() ? group(0) : -1);
  }

 private:
  enum class Last { kStart, kOperand, kOperator };

  // One parenthesised level (or the whole script), folded left to right. `open` is the
  // position of its '(' (0 for the whole script). Returns the id of its result.
  int group(size_t open) {
    int result = script_.constant(0);
    Op pending = Op::kAdd;
    int operand = script_.constant(0);
    bool operand_is_zero_constant = false;
    Last last = Last::kStart;
    while (error_.empty() && pos_ < text_.size()) {
      const size_t at = pos_;
      const char c = text_[pos_];
      if (c == ')') {
        if (open == 0) return fail(at, "')' without a matching '('");
        ++pos_;
        return close(at, result, pending, operand, last);
      }
      if (c == '|') {
        if (last != Last::kOperand) return fail(at, "'|' (absolute value) needs an operand before it");
        ++pos_;
        operand = script_.unary(Op::kAbs, operand);
        continue;
      }
      if (auto op = binary_op(c)) {
        if (last == Last::kOperator) return fail(at, fmt::format("operator '{}' follows another operator", c));
        if (last == Last::kStart && *op != Op::kAdd && *op != Op::kSub) {
          return fail(at, fmt::format("operator '{}' has nothing before it", c));
        }
        ++pos_;
        result = script_.binary(pending, result, operand);
        pending = *op;
        operand = script_.constant(*op == Op::kMul || *op == Op::kDiv ? 1 : 0);
        last = Last::kOperator;
        continue;
      }
      const bool starts_operand = std::string_view("@#!~(").find(c) != std::string_view::npos;
      if (last == Last::kOperand && starts_operand) {
        return fail(at, "an operand follows another operand without an operator");
      }
      const int value = c == '(' ? nested(at) : operand_at(at, &operand_is_zero_constant);
      if (!error_.empty()) return -1;
      if (pending == Op::kDiv && last == Last::kOperator && operand_is_zero_constant) {
        return fail(at, "division by the constant 0");
      }
      operand = value;
      last = Last::kOperand;
    }
    if (!error_.empty()) return -1;
    if (open != 0) return fail(open - 1, "'(' is never closed");
    return close(pos_, result, pending, operand, last);
  }

  int close(size_t at, int result, Op pending, int operand, Last last) {
    if (last == Last::kOperator) return fail(at, "the script ends with an operator");
    if (last == Last::kStart) return fail(at, "empty parentheses");
    return script_.binary(pending, result, operand);
  }

  int nested(size_t at) {
    ++pos_;
    return group(at + 1);
  }

  int operand_at(size_t at, bool* zero_constant) {
    *zero_constant = false;
    switch (text_[at]) {
      case '@':
        return channel(at);
      case '#':
        return number(at, zero_constant);
      case '!':
        return integrator(at);
      case '~':
        return fail(at,
                    "'~' (the original's simulated solar input) is not supported; run the panel "
                    "simulator (iotawatt run --sim) instead");
      default: {
        const char c = text_[at];
        if (is_name_char(c) || c == ' ' || c == '.') {
          return fail(at, fmt::format("unexpected '{}': the original's script syntax has no names or "
                                      "spaces (readable scripts go in \"expr\")",
                                      c));
        }
        return fail(at, unexpected_char(c));
      }
    }
  }

  int number(size_t at, bool* zero) {
    ++pos_;
    const size_t begin = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    size_t digits = 0;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_, ++digits;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_, ++digits;
    }
    double v = 0;
    std::string literal(text_.substr(begin, pos_ - begin));
    if (!literal.empty() && literal.back() == '.') literal.pop_back();  // "#0." is 0
    const auto [end, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), v);
    if (digits == 0 || ec != std::errc() || end != literal.data() + literal.size()) {
      return fail(at, "'#' must be followed by a number");
    }
    *zero = v == 0;
    return script_.constant(v);
  }

  int integrator(size_t at) {
    ++pos_;
    IntegratorPart part = IntegratorPart::kNet;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
      part = text_[pos_] == '+' ? IntegratorPart::kPos : IntegratorPart::kNeg;
      ++pos_;
    }
    const size_t begin = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    const std::string_view name = text_.substr(begin, pos_ - begin);
    if (name.empty()) return fail(at, "'!' must be followed by an integrator name");
    const auto index = names_.integrator_named(name);
    if (!index) return fail(at, fmt::format("no integrator named \"{}\" can be used here", name));
    return script_.integrator(*index, part);
  }
};

}  // namespace

Result<Script> parse_original(std::string_view text, const NameScope& names) { return Parser(text, names).run(); }

}  // namespace iw::calc
