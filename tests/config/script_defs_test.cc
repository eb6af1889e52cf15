#include <gtest/gtest.h>

#include "config/config_parser.h"
#include "config/config_writer.h"

namespace iw::config {
namespace {

std::string with_scripts(const std::string& outputs, const std::string& integrators = "[]") {
  return R"({"device":{"channels":3},"inputs":[
      {"channel":0,"name":"V","type":"VT","model":"generic","cal":11},
      {"channel":1,"name":"main","type":"CT","model":"generic","cal":100},
      {"channel":2,"name":"solar","type":"CT","model":"generic","cal":50,"signed":true}],
      "outputs":)" +
         outputs + R"(, "integrators":)" + integrators + "}";
}

TEST(ScriptDefs, BothSyntaxesAreTypedAndRoundTrip) {
  auto c = parse_config(with_scripts(R"([{"name":"grid","units":"Watts","script":"@1+@2"},
      {"name":"house","units":"kWh","expr":"main - solar","color":"blue"}])",
                                     R"([{"name":"exp","units":"Wh","expr":"-solar"}])"),
                        ModelCatalog::builtin());
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_EQ(c->outputs.size(), 2u);
  EXPECT_EQ(c->outputs[0].syntax, ScriptSyntax::kOriginal);
  EXPECT_EQ(c->outputs[1].syntax, ScriptSyntax::kReadable);
  EXPECT_EQ(c->outputs[1].text, "main - solar");
  EXPECT_EQ(c->outputs[1].units, "kWh");
  EXPECT_EQ(c->outputs[1].extra, nlohmann::json({{"color", "blue"}}));
  ASSERT_EQ(c->integrators.size(), 1u);
  const nlohmann::json written = serialize(c.value());
  EXPECT_EQ(written["outputs"][1],
            nlohmann::json::parse(R"({"name":"house","units":"kWh","expr":"main - solar","color":"blue"})"));
  auto again = parse_config(written, ModelCatalog::builtin());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(again.value() == c.value());
}

TEST(ScriptDefs, ProblemsNameTheKey) {
  auto c = parse_config(with_scripts(R"([{"name":"a","script":"@1","expr":"main"},
      {"name":"b"}, {"units":"Watts","script":"@1"}, {"name":"main","script":"@1"},
      {"name":"x.y","script":"@1"}, {"name":"d","script":"@1"}, {"name":"d","script":"@2"}, 7,
      {"name":"e","script":5}])",
                                     R"([{"name":"i","units":"kWh","script":"@1"}, {"name":"9lives","script":"@1"}])"),
                        ModelCatalog::builtin());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(),
            "outputs[0]: has both \"script\" (original syntax) and \"expr\" (readable syntax); keep one\n"
            "outputs[1]: has no \"script\" (original syntax) or \"expr\" (readable syntax)\n"
            "outputs[2].name: missing\n"
            "outputs[3].name: \"main\" is also the name of input 1\n"
            "outputs[4].name: \"x.y\" must be 1-64 characters without control characters or , . [ ] \" \\\n"
            "outputs[6].name: \"d\" is already used by outputs[5]\n"
            "outputs[7]: 7 is not an object with name, units and script\n"
            "outputs[8].script: 5 is not a string\n"
            "integrators[0].units: \"kWh\" is not Wh: integrators integrate watt-hours\n"
            "integrators[1].name: \"9lives\" is not 1-16 letters, digits or '_' starting with a letter");
}

TEST(ScriptDefs, SectionsMustBeArrays) {
  auto c = parse_config(with_scripts(R"({"name":"a"})", "3"), ModelCatalog::builtin());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "outputs: an object is not an array\nintegrators: 3 is not an array");
}

}  // namespace
}  // namespace iw::config
