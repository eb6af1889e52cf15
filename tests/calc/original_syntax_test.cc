#include "calc/original_syntax.h"

#include <gtest/gtest.h>

#include "calc_testing.h"

namespace iw::calc {
namespace {

using testing::FixedOperands;
using testing::TestNames;

double Eval(const std::string& text) {
  auto script = parse_original(text, TestNames());
  EXPECT_TRUE(script.ok()) << text << ": " << (script.ok() ? "" : script.error());
  if (!script.ok()) return NAN;
  return script->evaluate(FixedOperands(), Quantity::kWatts);
}

// @0 = 230, @1 = 100, @2 = 50, @3 = -30, @5 = 0; grid: pos 7, neg -3.
TEST(OriginalSyntax, StrictLeftToRightWithoutPrecedence) {
  const std::pair<const char*, double> cases[] = {
      {"@1", 100},
      {"@1+@2", 150},
      {"@1+@2*#3", 450},  // (100 + 50) * 3, not 250
      {"@1+(@2*#3)", 250},
      {"@1-@2-@3", 80},  // (100 - 50) - (-30)
      {"@1/@2*#4", 8},
      {"#2*@1", 200},
      {"-@1", -100},  // a leading '-' subtracts from 0
      {"+@1", 100},
      {"@3|", 30},  // postfix absolute value
      {"@1+@3|", 130},
      {"(@1+@3)|", 70},
      {"(@2+@3)>#0", 20},  // max(.., 0): the reference's clip-at-zero example
      {"(@3)>#0", 0},
      {"@1<@2", 50},           // min
      {"@1>@2", 100},          // max
      {"@1+@2-(@3>#0)", 150},  // grid = main_1 + main_2 - max(solar, 0)
      {"@1/@5", 0},            // division by zero gives 0
      {"#-3.5", -3.5},
      {"#240", 240},
      {"#0.", 0},
      {"#.5*@1", 50},
      {"((@1))", 100},
      {"!grid", 4},
      {"!+grid", 7},
      {"!-grid", -3},
      {"@1-!-grid", 103},
      {"#1/#3", 1.0 / 3},
  };
  for (const auto& [text, want] : cases) EXPECT_DOUBLE_EQ(Eval(text), want) << text;
}

TEST(OriginalSyntax, ErrorsNameThePosition) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "position 1: the script is empty"},
      {"@1+", "position 4: the script ends with an operator"},
      {"@1++@2", "position 4: operator '+' follows another operator"},
      {"*@1", "position 1: operator '*' has nothing before it"},
      {"(@1", "position 1: '(' is never closed"},
      {"@1+(@2", "position 4: '(' is never closed"},
      {"@1)", "position 3: ')' without a matching '('"},
      {"()", "position 2: empty parentheses"},
      {"@99", "position 1: input @99 is not an active input"},
      {"@4", "position 1: input @4 is not an active input"},
      {"@1@2", "position 3: an operand follows another operand without an operator"},
      {"@1(@2)", "position 3: an operand follows another operand without an operator"},
      {"@", "position 1: '@' must be followed by a channel number"},
      {"#", "position 1: '#' must be followed by a number"},
      {"#-", "position 1: '#' must be followed by a number"},
      {"!nope", "position 1: no integrator named \"nope\" can be used here"},
      {"!", "position 1: '!' must be followed by an integrator name"},
      {"|@1", "position 1: '|' (absolute value) needs an operand before it"},
      {"@1/#0", "position 4: division by the constant 0"},
      {"@1/#0.0", "position 4: division by the constant 0"},
      {"@1=@2", "position 3: unexpected character '='"},
      {"~0",
       "position 1: '~' (the original's simulated solar input) is not supported; run the panel simulator (iotawatt run "
       "--sim) instead"},
      {"@1 + @2",
       "position 3: unexpected ' ': the original's script syntax has no names or spaces (readable scripts go in "
       "\"expr\")"},
      {"main_1",
       "position 1: unexpected 'm': the original's script syntax has no names or spaces (readable scripts go in "
       "\"expr\")"},
      {"@1+\xff", "position 4: unexpected byte 0xff"},
  };
  for (const auto& [text, want] : cases) {
    auto script = parse_original(text, TestNames());
    ASSERT_FALSE(script.ok()) << text;
    EXPECT_EQ(script.error(), want) << text;
  }
}

TEST(OriginalSyntax, NaNOperandsCountAsZero) {
  FixedOperands ops;
  ops.inputs[2] = NAN;
  auto script = parse_original("@1+@2", TestNames());
  ASSERT_TRUE(script.ok());
  EXPECT_EQ(script->evaluate(ops, Quantity::kWatts), 100);
}

TEST(OriginalSyntax, ReadsListTheInputsAndIntegrators) {
  auto script = parse_original("@1+@2-@1+!grid", TestNames());
  ASSERT_TRUE(script.ok());
  EXPECT_EQ(script->inputs(), (std::vector<int>{1, 2}));
  EXPECT_EQ(script->integrators(), (std::vector<int>{0}));
}

}  // namespace
}  // namespace iw::calc
