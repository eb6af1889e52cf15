#include "calc/calculator.h"

#include <gtest/gtest.h>

#include "calc_testing.h"
#include "config/config_parser.h"

namespace iw::calc {
namespace {

using config::ScriptSyntax;
using testing::Def;
using testing::FixedOperands;
using testing::TestConfig;

constexpr auto kReadable = ScriptSyntax::kReadable;

TEST(Calculator, CompilesOutputsAndIntegrators) {
  auto config = TestConfig();
  config.outputs = {Def("house", "@1+@2"), Def("net", "house + solar", "Watts", kReadable),
                    Def("grid_import", "grid.pos", "Wh", kReadable)};
  config.integrators = {Def("grid", "house + solar", "Wh", kReadable), Def("solar_only", "@3", "Wh")};
  auto calc = Calculator::Compile(config);
  ASSERT_TRUE(calc.ok()) << calc.error();
  ASSERT_EQ(calc->outputs().size(), 3u);
  EXPECT_EQ(calc->outputs()[2].unit, Unit::kWh);
  const FixedOperands ops;
  EXPECT_EQ(calc->output("net")->script.evaluate(ops, Quantity::kWatts), 120);
  EXPECT_EQ(calc->output("grid_import")->script.evaluate(ops, Quantity::kWatts), 7);
  ASSERT_EQ(calc->integrators().size(), 2u);
  EXPECT_FALSE(calc->integrators()[0].exact) << "two inputs: logged";
  ASSERT_TRUE(calc->integrators()[1].exact) << "one CT: read from the engine's counters";
  EXPECT_EQ(calc->integrators()[1].exact->channel, 3);
  EXPECT_EQ(calc->output("nosuch"), nullptr);
}

TEST(Calculator, OutputsMayUseLaterOutputs) {
  auto config = TestConfig();
  config.outputs = {Def("a", "b * 2", "Watts", kReadable), Def("b", "@1", "Watts")};
  auto calc = Calculator::Compile(config);
  ASSERT_TRUE(calc.ok()) << calc.error();
  EXPECT_EQ(calc->output("a")->script.evaluate(FixedOperands(), Quantity::kWatts), 200);
}

TEST(Calculator, EveryProblemByKeyPath) {
  auto config = TestConfig();
  config.outputs = {Def("ok", "@1"),
                    Def("bad1", "@1+nosuch", "Watts", kReadable),
                    Def("bad2", "@1/#0"),
                    Def("a", "b + 1", "Watts", kReadable),
                    Def("b", "a + 1", "Watts", kReadable),
                    Def("c", "bad1 + 1", "Watts", kReadable)};
  config.integrators = {Def("i1", "grid.pos", "Wh", kReadable), Def("i2", "!i1"), Def("i3", "c", "Wh", kReadable)};
  auto calc = Calculator::Compile(config);
  ASSERT_FALSE(calc.ok());
  EXPECT_EQ(calc.error(),
            "outputs[1].expr: position 4: unknown name \"nosuch\" (not an input, output or integrator)\n"
            "outputs[2].script: position 4: division by the constant 0\n"
            "outputs[4].expr: position 1: output \"a\" uses itself (outputs may not refer to each other in a cycle)\n"
            "outputs[3].expr: position 1: output \"b\" has an error of its own\n"
            "outputs[5].expr: position 1: output \"bad1\" has an error of its own\n"
            "integrators[0].expr: position 1: no integrator named \"grid\" can be used here\n"
            "integrators[1].script: position 1: no integrator named \"i1\" can be used here\n"
            "integrators[2].expr: position 1: output \"c\" has an error of its own");
}

TEST(Calculator, IntegratorsCannotReadIntegratorsThroughOutputs) {
  auto config = TestConfig();
  config.outputs = {Def("uses_int", "i1.pos", "Watts", kReadable)};
  config.integrators = {Def("i1", "@1+@2", "Wh"), Def("i2", "uses_int", "Wh", kReadable)};
  auto calc = Calculator::Compile(config);
  ASSERT_FALSE(calc.ok());
  EXPECT_EQ(calc.error(),
            "integrators[1].expr: it uses an output that reads integrators; an integrator cannot read integrators");
}

TEST(Calculator, UnknownUnitsReadAsWattsWithANote) {
  auto config = TestConfig();
  config.outputs = {Def("x", "@1", "Furlongs"), Def("y", "@1", "kwh"), Def("z", "@1", "")};
  std::vector<std::string> notes;
  auto calc = Calculator::Compile(config, &notes);
  ASSERT_TRUE(calc.ok()) << calc.error();
  EXPECT_EQ(calc->outputs()[0].unit, Unit::kWatts);
  EXPECT_EQ(calc->outputs()[1].unit, Unit::kKWh);
  EXPECT_EQ(calc->outputs()[2].unit, Unit::kWatts);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "outputs[0].units: \"Furlongs\" is not a known unit; Watts is used");
}

TEST(Calculator, OverlongScriptIsRefused) {
  auto config = TestConfig();
  std::string text = "@1";
  while (text.size() <= kMaxScriptLength) text += "+@1";
  config.outputs = {Def("long", text)};
  auto calc = Calculator::Compile(config);
  ASSERT_FALSE(calc.ok());
  EXPECT_NE(calc.error().find("at most 2000 are accepted"), std::string::npos) << calc.error();
}

TEST(Calculator, CompileOneUsesTheConfigsNames) {
  auto config = TestConfig();
  config.outputs = {Def("house", "@1+@2")};
  auto script = Calculator::CompileOne(config, "house - 10", kReadable);
  ASSERT_TRUE(script.ok()) << script.error();
  EXPECT_EQ(script->evaluate(FixedOperands(), Quantity::kWatts), 140);
  EXPECT_FALSE(Calculator::CompileOne(config, "house +", kReadable).ok());
}

// The original's example configurations: every output script of the golden configs compiles.
TEST(Calculator, OriginalExampleConfigsCompile) {
  for (const char* name : {"us_120v", "eu_230v", "derived_3ph"}) {
    const std::string path = std::string(IOTAWATT_SOURCE_DIR) + "/tests/config/data/golden/" + name + ".json";
    std::FILE* f = std::fopen(path.c_str(), "rb");
    ASSERT_NE(f, nullptr) << path;
    std::string text;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
    auto config = config::parse_config(text, config::ModelCatalog::builtin());
    ASSERT_TRUE(config.ok()) << name << ": " << config.error();
    auto calc = Calculator::Compile(config.value());
    ASSERT_TRUE(calc.ok()) << name << ": " << calc.error();
    EXPECT_EQ(calc->outputs().size(), config->outputs.size()) << name;
  }
}

}  // namespace
}  // namespace iw::calc
