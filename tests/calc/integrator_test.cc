#include "calc/integrator.h"

#include <gtest/gtest.h>

#include "calc/original_syntax.h"
#include "calc/readable_syntax.h"
#include "calc_testing.h"

namespace iw::calc {
namespace {

std::optional<ExactForm> Exact(const char* text, bool readable = false) {
  testing::TestNames names;
  auto s = readable ? parse_readable(text, names) : parse_original(text, names);
  EXPECT_TRUE(s.ok()) << text;
  return s.ok() ? exact_form(s.value()) : std::nullopt;
}

TEST(Integrator, ExactFormOfOneInputTimesAConstant) {
  EXPECT_EQ(Exact("@3"), (ExactForm{3, 1}));
  EXPECT_EQ(Exact("-@3"), (ExactForm{3, -1}));
  EXPECT_EQ(Exact("@3*#0.5"), (ExactForm{3, 0.5}));
  EXPECT_EQ(Exact("#2*@3"), (ExactForm{3, 2}));
  EXPECT_EQ(Exact("@3/#4"), (ExactForm{3, 0.25}));
  EXPECT_EQ(Exact("@3+@3"), (ExactForm{3, 2}));
  EXPECT_EQ(Exact("-(2 * solar) / 4", true), (ExactForm{3, -0.5}));
  EXPECT_EQ(Exact("(#1+#1)*@3"), (ExactForm{3, 2}));
}

TEST(Integrator, OtherScriptsAreLogged) {
  EXPECT_FALSE(Exact("@1+@2"));
  EXPECT_FALSE(Exact("@3-@3"));  // coefficient 0
  EXPECT_FALSE(Exact("@3+#5"));  // an offset is not one input's import/export
  EXPECT_FALSE(Exact("@3|"));    // not linear
  EXPECT_FALSE(Exact("@3>#0"));
  EXPECT_FALSE(Exact("@3*@3"));
  EXPECT_FALSE(Exact("#1/@3"));
  EXPECT_FALSE(Exact("!grid"));
  EXPECT_FALSE(Exact("#5"));
}

measure::ChannelCounters Counters(double import, double exported) {
  measure::ChannelCounters c;
  c.wh_import.add(import);
  c.wh_export.add(exported);
  return c;
}

TEST(Integrator, ExactDeltaSwapsImportAndExportForNegativeCoefficients) {
  const auto o = Counters(10, 4);
  const auto n = Counters(25, 9);  // +15 Wh import, +5 Wh export over the interval
  auto d = exact_delta({3, 1}, o, n);
  EXPECT_DOUBLE_EQ(d.pos, 15);
  EXPECT_DOUBLE_EQ(d.neg, -5);
  d = exact_delta({3, -2}, o, n);
  EXPECT_DOUBLE_EQ(d.pos, 10);
  EXPECT_DOUBLE_EQ(d.neg, -30);
}

TEST(Integrator, TotalsSplitSignsAndIgnoreNonFinite) {
  IntegratorTotals t;
  t.add(5);
  t.add(-2);
  t.add(0);
  t.add(NAN);
  t.add(INFINITY);
  t.add(-0.5);
  EXPECT_DOUBLE_EQ(t.pos().value(), 5);
  EXPECT_DOUBLE_EQ(t.neg_magnitude().value(), 2.5);
  t.restore(1'000'000, 3'000'000);
  t.add(1);
  EXPECT_DOUBLE_EQ(t.pos().value(), 2);
  EXPECT_DOUBLE_EQ(t.neg_magnitude().value(), 3);
}

}  // namespace
}  // namespace iw::calc
