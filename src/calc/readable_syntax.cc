#include "calc/readable_syntax.h"

#include "calc/script_reader.h"

#include <charconv>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace iw::calc {
namespace {

using detail::is_name_char;
using detail::is_name_start;
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Recursive descent over
//   expr  := term (('+' | '-') term)*
//   term  := unary (('*' | '/') unary)*
//   unary := ('-' | '+') unary | primary
//   primary := number | '@' digits | name ['.' part] | name '(' args ')' | '(' expr ')'
// Every function returns a node id, or -1 with error_ set.
class Parser : detail::ScriptReader {
 public:
  Parser(std::string_view text, const NameScope& names) : ScriptReader(text, names) {}

  Result<Script> run() {
    skip_space();
    if (pos_ == text_.size()) return Status::InvalidArgument("position 1: the script is empty");
    const int root = expr(0);
    if (root >= 0 && (skip_space(), pos_ < text_.size())) leftover(pos_);
    return finish(root);
  }

 private:
  static constexpr int kMaxDepth = 200;  // nesting beyond this is not a script anyone writes

  int expr(int depth) {
    if (depth > kMaxDepth) return fail(pos_, "the script nests too deeply");
    int lhs = term(depth);
    while (lhs >= 0 && peek_any("+-")) {
      const Op op = text_[pos_++] == '+' ? Op::kAdd : Op::kSub;
      const int rhs = term(depth);
      if (rhs < 0) return -1;
      lhs = script_.binary(op, lhs, rhs);
    }
    return lhs;
  }

  int term(int depth) {
    int lhs = unary(depth);
    while (lhs >= 0 && peek_any("*/")) {
      const Op op = text_[pos_++] == '*' ? Op::kMul : Op::kDiv;
      skip_space();
      const size_t at = pos_;
      const int rhs = unary(depth);
      if (rhs < 0) return -1;
      if (op == Op::kDiv && is_zero_constant(rhs)) return fail(at, "division by the constant 0");
      lhs = script_.binary(op, lhs, rhs);
    }
    return lhs;
  }

  int unary(int depth) {
    if (depth > kMaxDepth) return fail(pos_, "the script nests too deeply");
    if (peek_any("-")) {
      ++pos_;
      const int operand = unary(depth + 1);
      return operand < 0 ? -1 : script_.unary(Op::kNeg, operand);
    }
    if (peek_any("+")) {
      ++pos_;
      return unary(depth + 1);
    }
    return primary(depth);
  }

  int primary(int depth) {
    skip_space();
    if (pos_ == text_.size()) return fail(pos_, "an operand is missing at the end");
    const size_t at = pos_;
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      const int inner = expr(depth + 1);
      if (inner < 0) return -1;
      if (!peek_any(")")) return fail(at, "'(' is never closed");
      ++pos_;
      return inner;
    }
    if (is_digit(c) || c == '.') return number(at);
    if (c == '@') return channel(at);
    if (is_name_start(c)) return named(at, depth);
    return unexpected(at, "");
  }

  int number(size_t at) {
    while (pos_ < text_.size() && (is_digit(text_[pos_]) || text_[pos_] == '.')) ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    double v = 0;
    const char* first = text_.data() + at;
    const char* last = text_.data() + pos_;
    const auto [end, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || end != last) {
      return fail(at, fmt::format("\"{}\" is not a number", text_.substr(at, pos_ - at)));
    }
    return script_.constant(v);
  }

  int named(size_t at, int depth) {
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    const std::string_view name = text_.substr(at, pos_ - at);
    skip_space();
    if (peek_any("(")) return function(at, name, depth);
    if (pos_ < text_.size() && text_[pos_] == '.') return integrator_part(at, name);
    if (auto ch = names_.input_named(name)) return script_.input(*ch);
    auto output = names_.output_named(name);
    if (!output.ok()) return fail(at, output.error());
    if (output.value() != nullptr) return script_.graft(*output.value());
    if (auto index = names_.integrator_named(name)) return script_.integrator(*index, IntegratorPart::kNet);
    return fail(at, fmt::format("unknown name \"{}\" (not an input, output or integrator)", name));
  }

  int integrator_part(size_t at, std::string_view name) {
    ++pos_;
    const size_t begin = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    const std::string_view part = text_.substr(begin, pos_ - begin);
    IntegratorPart p;
    if (part == "net") {
      p = IntegratorPart::kNet;
    } else if (part == "pos") {
      p = IntegratorPart::kPos;
    } else if (part == "neg") {
      p = IntegratorPart::kNeg;
    } else {
      return fail(begin, fmt::format("\"{}.{}\": an integrator has .net, .pos and .neg", name, part));
    }
    const auto index = names_.integrator_named(name);
    if (!index) return fail(at, fmt::format("no integrator named \"{}\" can be used here", name));
    return script_.integrator(*index, p);
  }

  int function(size_t at, std::string_view name, int depth) {
    Op op;
    if (name == "min") {
      op = Op::kMin;
    } else if (name == "max") {
      op = Op::kMax;
    } else if (name == "abs") {
      op = Op::kAbs;
    } else {
      return fail(at, fmt::format("unknown function \"{}\" (there are min, max and abs)", name));
    }
    ++pos_;  // '('
    std::vector<int> args;
    for (;;) {
      const int arg = expr(depth + 1);
      if (arg < 0) return -1;
      args.push_back(arg);
      if (peek_any(",")) {
        ++pos_;
        continue;
      }
      if (peek_any(")")) break;
      return fail(at, fmt::format("{}( is never closed", name));
    }
    ++pos_;
    if (op == Op::kAbs) {
      if (args.size() != 1) return fail(at, fmt::format("abs takes 1 argument, not {}", args.size()));
      return script_.unary(Op::kAbs, args[0]);
    }
    if (args.size() < 2) return fail(at, fmt::format("{} takes 2 or more arguments", name));
    int result = args[0];
    for (size_t k = 1; k < args.size(); ++k) result = script_.binary(op, result, args[k]);
    return result;
  }

  bool is_zero_constant(int id) const {
    const Node& n = script_.nodes()[static_cast<size_t>(id)];
    return n.op == Op::kConstant && n.value == 0;
  }

  // Skips blanks; true when the next character is one of `chars`.
  bool peek_any(std::string_view chars) {
    skip_space();
    return pos_ < text_.size() && chars.find(text_[pos_]) != std::string_view::npos;
  }
  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  // Text after a complete expression.
  int leftover(size_t at) {
    const char c = text_[at];
    if (c == ')') return fail(at, "')' without a matching '('");
    if (is_name_char(c) || c == '@' || c == '(' || c == '.') {
      return fail(at, fmt::format("expected an operator before '{}'", c));
    }
    return unexpected(at, "");
  }

  int unexpected(size_t at, std::string_view what) {
    if (!what.empty()) return fail(at, what);
    const char c = text_[at];
    if (c == '#' || c == '!' || c == '<' || c == '>' || c == '|') {
      return fail(at, fmt::format("unexpected '{}': that is the original's script syntax, which goes in "
                                  "\"script\" (here: min(), max(), abs(), plain numbers)",
                                  c));
    }
    if (c == ')' || c == ',') return fail(at, fmt::format("an operand is missing before '{}'", c));
    return fail(at, unexpected_char(c));
  }
};

}  // namespace

Result<Script> parse_readable(std::string_view text, const NameScope& names) { return Parser(text, names).run(); }

}  // namespace iw::calc
