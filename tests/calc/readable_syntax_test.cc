#include "calc/readable_syntax.h"

#include <gtest/gtest.h>

#include <random>

#include "calc/original_syntax.h"
#include "calc_testing.h"

namespace iw::calc {
namespace {

using testing::FixedOperands;
using testing::TestNames;

double Eval(const std::string& text, const FixedOperands& ops = FixedOperands()) {
  auto script = parse_readable(text, TestNames());
  EXPECT_TRUE(script.ok()) << text << ": " << (script.ok() ? "" : script.error());
  if (!script.ok()) return NAN;
  return script->evaluate(ops, Quantity::kWatts);
}

// main_1 = @1 = 100, main_2 = @2 = 50, solar = @3 = -30, spare = @5 = 0, Voltage = 230.
TEST(ReadableSyntax, UsualPrecedence) {
  const std::pair<const char*, double> cases[] = {
      {"main_1", 100},
      {"main_1 + main_2 * 3", 250},
      {"(main_1 + main_2) * 3", 450},
      {"main_1 - main_2 - solar", 80},
      {"main_1 / main_2 * 4", 8},
      {"2 * main_1", 200},
      {"-main_1", -100},
      {"--main_1", 100},
      {"+main_1", 100},
      {"main_1 * -2", -200},
      {"abs(solar)", 30},
      {"max(main_2 + solar, 0)", 20},
      {"max(solar, 0)", 0},
      {"min(main_1, main_2)", 50},
      {"min(main_1, main_2, solar)", -30},
      {"max(main_1, main_2, solar, 7)", 100},
      {"main_1 + main_2 - max(solar, 0)", 150},
      {"main_1 / spare", 0},
      {"@1 + @2", 150},
      {"3.5", 3.5},
      {".5 * @1", 50},
      {"1e3", 1000},
      {"2.5e-1 * main_1", 25},
      {"\t main_1\n+\r\nmain_2 ", 150},
      {"grid", 4},
      {"grid.net", 4},
      {"grid.pos", 7},
      {"grid.neg", -3},
      {"main_1 - grid.neg", 103},
      {"1 / 3", 1.0 / 3},
      {"Voltage", 230},
  };
  for (const auto& [text, want] : cases) EXPECT_DOUBLE_EQ(Eval(text), want) << text;
}

TEST(ReadableSyntax, ErrorsNameThePosition) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "position 1: the script is empty"},
      {"   ", "position 1: the script is empty"},
      {"main_1 +", "position 9: an operand is missing at the end"},
      {"main_1 + * main_2", "position 10: unexpected character '*'"},
      {"(main_1", "position 1: '(' is never closed"},
      {"main_1)", "position 7: ')' without a matching '('"},
      {"()", "position 2: an operand is missing before ')'"},
      {"nosuch + 1", "position 1: unknown name \"nosuch\" (not an input, output or integrator)"},
      {"sqrt(main_1)", "position 1: unknown function \"sqrt\" (there are min, max and abs)"},
      {"max(main_1)", "position 1: max takes 2 or more arguments"},
      {"abs(main_1, main_2)", "position 1: abs takes 1 argument, not 2"},
      {"max(main_1, 0", "position 1: max( is never closed"},
      {"main_1 / 0", "position 10: division by the constant 0"},
      {"main_1 / (0)", "position 10: division by the constant 0"},
      {"@9", "position 1: input @9 is not an active input"},
      {"grid.imp", "position 6: \"grid.imp\": an integrator has .net, .pos and .neg"},
      {"main_1.pos", "position 1: no integrator named \"main_1\" can be used here"},
      {"@1+#3",
       "position 4: unexpected '#': that is the original's script syntax, which goes in \"script\" (here: min(), "
       "max(), abs(), plain numbers)"},
      {"@3|",
       "position 3: unexpected '|': that is the original's script syntax, which goes in \"script\" (here: min(), "
       "max(), abs(), plain numbers)"},
      {"main_1 main_2", "position 8: expected an operator before 'm'"},
      {"1.2.3", "position 1: \"1.2.3\" is not a number"},
      {"main_1 + \x01", "position 10: unexpected byte 0x01"},
  };
  for (const auto& [text, want] : cases) {
    auto script = parse_readable(text, TestNames());
    ASSERT_FALSE(script.ok()) << text;
    EXPECT_EQ(script.error(), want) << text;
  }
}

TEST(ReadableSyntax, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  auto script = parse_readable(deep, TestNames());
  ASSERT_FALSE(script.ok());
  EXPECT_NE(script.error().find("nests too deeply"), std::string::npos);
  const std::string negations = std::string(5000, '-') + "1";
  EXPECT_FALSE(parse_readable(negations, TestNames()).ok());
}

// The two syntaxes are not confused: the same text means different things, and each form of
// one formula gives the same value on any operands.
TEST(ReadableSyntax, SameFormulaInBothSyntaxesAgrees) {
  const std::pair<const char*, const char*> pairs[] = {
      {"@1+@2*#3", "(@1 + @2) * 3"},
      {"@1+(@2*#3)", "@1 + @2 * 3"},
      {"(@1+@2+@3)>#0", "max(@1 + @2 + @3, 0)"},
      {"@1-(@3|)", "@1 - abs(@3)"},
      {"@1/@2<@5", "min(@1 / @2, @5)"},
      {"-@1+@2", "-@1 + @2"},
      {"!+grid-!-grid", "grid.pos - grid.neg"},
  };
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> value(-500, 500);
  for (const auto& [original, readable] : pairs) {
    auto a = parse_original(original, TestNames());
    auto b = parse_readable(readable, TestNames());
    ASSERT_TRUE(a.ok() && b.ok()) << original << " / " << readable;
    for (int trial = 0; trial < 200; ++trial) {
      FixedOperands ops;
      for (auto& [ch, v] : ops.inputs) v = trial % 10 == 0 ? 0 : value(rng);
      ops.grid_pos = std::abs(value(rng));
      ops.grid_neg = -std::abs(value(rng));
      EXPECT_DOUBLE_EQ(a->evaluate(ops, Quantity::kWatts), b->evaluate(ops, Quantity::kWatts))
          << original << " / " << readable;
    }
  }
}

}  // namespace
}  // namespace iw::calc
