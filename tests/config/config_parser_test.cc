#include "config/config_parser.h"

#include "config/config_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace iw::config {
namespace {

const ModelCatalog& catalog() { return ModelCatalog::builtin(); }

Config parse_ok(const std::string& text, std::vector<std::string>* notes = nullptr) {
  Result<Config> r = parse_config(text, catalog(), notes);
  EXPECT_TRUE(r.ok()) << r.error();
  return r.ok() ? std::move(r).value() : Config{};
}

std::string parse_error(const std::string& text) {
  Result<Config> r = parse_config(text, catalog());
  EXPECT_FALSE(r.ok());
  return r.ok() ? std::string() : r.error();
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

constexpr const char* kVt = R"({"channel":0,"name":"V","type":"VT","model":"Jameco/112336","cal":11.43})";

std::string with_inputs(const std::string& inputs,
                        const std::string& device = R"({"channels":4,"burden":[0,20,20,20]})") {
  return R"({"device":)" + device + R"(,"inputs":[)" + inputs + "]}";
}

// A CT's step_watts sets its step events' threshold (0: none), is written back only when not
// the default, and is refused out of range or on a VT, naming the key.
TEST(ConfigParser, StepWattsIsACtsEventThreshold) {
  const Config c = parse_ok(with_inputs(std::string(kVt) + R"(,
      {"channel":1,"name":"A","type":"CT","model":"generic","cal":50,"step_watts":100},
      {"channel":2,"name":"B","type":"CT","model":"generic","cal":50,"step_watts":0},
      {"channel":3,"name":"C","type":"CT","model":"generic","cal":50})"));
  EXPECT_DOUBLE_EQ(c.input(1)->step_watts, 100);
  EXPECT_DOUBLE_EQ(c.input(2)->step_watts, 0);
  EXPECT_DOUBLE_EQ(c.input(3)->step_watts, kDefaultStepWatts);
  const std::string text = serialize_text(c);
  EXPECT_NE(text.find("\"step_watts\": 100"), std::string::npos) << text;
  EXPECT_NE(text.find("\"step_watts\": 0"), std::string::npos) << text;
  EXPECT_EQ(parse_ok(text), c);
  EXPECT_NE(
      parse_error(with_inputs(std::string(kVt) +
                              R"(,{"channel":1,"name":"A","type":"CT","model":"generic","cal":50,"step_watts":-1})"))
          .find("inputs[1].step_watts"),
      std::string::npos);
  EXPECT_NE(
      parse_error(
          with_inputs(R"({"channel":0,"name":"V","type":"VT","model":"Jameco/112336","cal":11.43,"step_watts":30})"))
          .find("inputs[0].step_watts: a VT"),
      std::string::npos);
}

TEST(ConfigParser, AcceptsNumbersAndBooleansAsStrings) {
  const Config c = parse_ok(R"({"timezone":"-5","logdays":"30",
      "device":{"channels":"3","refvolts":"2.5","burden":["0","20","24"]},
      "inputs":[{"channel":"0","name":"V","type":"VT","model":"generic","cal":"11.5","phase":"1.5"},
                {"channel":1,"name":"A","type":"CT","model":"generic","turns":"2000","vchan":"0",
                 "signed":"true","reverse":1,"double":"false","vmult":"1.5"},
                {"channel":2,"name":"B","type":"CT","model":"generic","cal":" 50 ","vchan":0}]})");
  EXPECT_DOUBLE_EQ(c.timezone, -5);
  EXPECT_EQ(c.logdays, 30);
  EXPECT_EQ(c.device.channels, 3);
  EXPECT_DOUBLE_EQ(*c.device.refvolts, 2.5);
  EXPECT_EQ(*c.device.burden, (std::vector<double>{0, 20, 24}));
  ASSERT_NE(c.input(0), nullptr);
  EXPECT_DOUBLE_EQ(c.input(0)->cal, 11.5);
  EXPECT_DOUBLE_EQ(c.input(0)->phase, 1.5);
  const Input& a = *c.input(1);
  EXPECT_DOUBLE_EQ(a.cal, 100);  // turns/burden with burden[1] = 20
  EXPECT_TRUE(a.is_signed);
  EXPECT_TRUE(a.reverse);
  EXPECT_FALSE(a.is_double);
  EXPECT_DOUBLE_EQ(a.vmult, 1.5);
  EXPECT_DOUBLE_EQ(c.input(2)->cal, 50);
}

TEST(ConfigParser, NullAndNonObjectEntriesAreInactiveAndInputsArePadded) {
  std::vector<std::string> notes;
  const Config c = parse_ok(with_inputs(std::string(kVt) + R"(,null,"off")"), &notes);
  ASSERT_EQ(c.inputs.size(), 4u);
  EXPECT_TRUE(c.inputs[0].has_value());
  EXPECT_FALSE(c.inputs[1].has_value());
  EXPECT_FALSE(c.inputs[2].has_value());
  EXPECT_FALSE(c.inputs[3].has_value());  // padded to device.channels
  EXPECT_TRUE(has_line(notes, "inputs[2]: \"off\" is not an object; channel inactive"));
}

TEST(ConfigParser, MissingDeviceAndInputsGiveDefaults) {
  const Config c = parse_ok("{}");
  EXPECT_EQ(c.device.name, "IotaWatt");
  EXPECT_EQ(c.device.channels, kMaxChannels);
  EXPECT_EQ(c.inputs.size(), size_t{kMaxChannels});
  EXPECT_EQ(c.update, "NONE");
  EXPECT_FALSE(c.adc.has_value());
  EXPECT_FALSE(c.sim.has_value());
  EXPECT_FALSE(c.dst.has_value());
  EXPECT_TRUE(c.dstrule.is_null());
}

TEST(ConfigParser, TurnsWithBurdenReplaceCal) {
  std::vector<std::string> notes;
  const Config c =
      parse_ok(with_inputs(std::string(kVt) +
                           R"(,{"channel":1,"name":"A","type":"CT","model":"generic","turns":3000,"cal":80})"),
               &notes);
  EXPECT_DOUBLE_EQ(c.input(1)->cal, 150);
  EXPECT_DOUBLE_EQ(*c.input(1)->turns, 3000);
  EXPECT_TRUE(has_line(notes, "inputs[1].cal: 80 replaced by turns/burden = 3000/20 = 150"));
}

TEST(ConfigParser, TurnsWithoutBurdenUseCal) {
  const Config c =
      parse_ok(with_inputs(std::string(kVt) + R"(,{"channel":1,"name":"A","type":"CT","turns":3000,"cal":80})",
                           R"({"channels":2,"burden":[0,0]})"));
  EXPECT_DOUBLE_EQ(c.input(1)->cal, 80);
  EXPECT_EQ(c.input(1)->model, "generic");
  EXPECT_EQ(c.input(1)->vchan, 0);  // default reference
}

TEST(ConfigParser, NoBurdenListMeansNoBurden) {
  // Decision: without device.burden the cal written by the UI is trusted (the firmware's
  // code default of 24 ohms is not applied to files that never stated it).
  const Config c = parse_ok(R"({"device":{"channels":2},"inputs":[)" + std::string(kVt) +
                            R"(,{"channel":1,"name":"A","type":"CT","model":"SCT013-000","turns":2000,"cal":83.3}]})");
  EXPECT_DOUBLE_EQ(c.input(1)->cal, 83.3);
  EXPECT_DOUBLE_EQ(c.device.burden_ohms(1), 0);
}

TEST(ConfigParser, CatalogFillsWhatTheEntryLeavesOut) {
  const Config c = parse_ok(with_inputs(R"({"channel":0,"name":"V","type":"VT","model":"Jameco/112336"},
      {"channel":1,"name":"A","type":"CT","model":"ECS24200"},
      {"channel":2,"name":"B","type":"CT","model":"SCT013-000","cal":90,"phase":2.0})",
                                        R"({"channels":4,"burden":[0,20,20,0]})"));
  const Input& v = *c.input(0);
  EXPECT_DOUBLE_EQ(v.cal, 11.43);
  EXPECT_DOUBLE_EQ(v.phase, 0.6);
  EXPECT_EQ(v.p60, std::vector<double>{0.6});
  EXPECT_EQ(v.vchan, 0);
  const Input& a = *c.input(1);
  EXPECT_DOUBLE_EQ(*a.turns, 4000);
  EXPECT_DOUBLE_EQ(a.cal, 200);  // reference §2.5: 4000 turns on 20 ohm
  EXPECT_DOUBLE_EQ(a.phase, 0.2);
  EXPECT_EQ(a.p50, (std::vector<double>{0.8, 10, 0.7, 20, 0.6, 55, 0.55}));
  const Input& b = *c.input(2);
  EXPECT_DOUBLE_EQ(b.cal, 90);  // own cal kept: no turns in the entry
  EXPECT_FALSE(b.turns.has_value());
  EXPECT_DOUBLE_EQ(b.phase, 2.0);  // config phase wins over the table's 2.3
  EXPECT_FALSE(b.p60.empty());     // but the level-dependent arrays still apply
  EXPECT_DOUBLE_EQ(b.phase_table().lead_deg(5, 60), 2.6);
  EXPECT_DOUBLE_EQ(b.phase_table().lead_deg(5, 50), 3.0);
}

TEST(ConfigParser, VoltageOutputCtTakesCatalogCal) {
  const Config c =
      parse_ok(with_inputs(std::string(kVt) + R"(,{"channel":1,"name":"A","type":"CT","model":"SCT013-030"})",
                           R"({"channels":2,"burden":[0,0]})"));
  EXPECT_DOUBLE_EQ(c.input(1)->cal, 30);
  EXPECT_FALSE(c.input(1)->turns.has_value());
}

TEST(ConfigParser, DoubleAndDerivedThreePhase) {
  const Config c = parse_ok(with_inputs(std::string(kVt) + R"(,
      {"channel":1,"name":"Dryer","type":"CT","model":"generic","cal":100,"double":true},
      {"channel":2,"name":"AB","type":"CT","model":"generic","cal":100,"vphase":-30,"vmult":1.732},
      {"channel":3,"name":"Odd","type":"CT","model":"generic","cal":100,"vmult":1.5,"double":true})"));
  EXPECT_DOUBLE_EQ(c.input(1)->vmult, 2);
  EXPECT_TRUE(c.input(1)->is_double);
  EXPECT_DOUBLE_EQ(c.input(2)->vphase, -30);
  EXPECT_DOUBLE_EQ(c.input(2)->vmult, 1.732);
  EXPECT_DOUBLE_EQ(c.input(3)->vmult, 3);
}

// vphase shifts a CT's reference; on a VT it is ignored (and noted), as the writer drops it.
TEST(ConfigParser, VphaseOnAVtIsIgnored) {
  std::vector<std::string> notes;
  const Config c = parse_ok(
      with_inputs(R"({"channel":0,"name":"V","type":"VT","model":"generic","cal":11.5,"vphase":-150})"), &notes);
  EXPECT_DOUBLE_EQ(c.input(0)->vphase, 0);
  EXPECT_TRUE(has_line(notes, "inputs[0].vphase: ignored on a VT")) << notes.size();
}

TEST(ConfigParser, LegacyModelIsRenamed) {
  std::vector<std::string> notes;
  const Config c =
      parse_ok(with_inputs(R"j({"channel":0,"name":"V","type":"VT","model":"TDC DA-10-09(USA)","cal":11.1})j"), &notes);
  EXPECT_EQ(c.input(0)->model, "TDC DA-10-09");
  EXPECT_TRUE(has_line(notes, "inputs[0].model: legacy model \"TDC DA-10-09(USA)\" renamed to \"TDC DA-10-09\""));
}

TEST(ConfigParser, ChannelMayBeOmitted) {
  const Config c = parse_ok(with_inputs(R"({"name":"V","type":"VT","model":"generic","cal":11})"));
  EXPECT_EQ(c.input(0)->channel, 0);
}

TEST(ConfigParser, KeepsUnknownKeysAndTypesScripts) {
  std::vector<std::string> notes;
  const Config c = parse_ok(R"({"device":{"channels":1,"name":"Box","color":"red"},
      "inputs":[{"channel":0,"name":"V","type":"VT","model":"generic","cal":11,"vref":0,"label":"x"}],
      "outputs":[{"name":"T","units":"Watts","script":"@0"}], "integrators":[],
      "mqtt":{"broker":"x"}, "influxdb":null, "futurething":{"a":[1,2]}})",
                            &notes);
  EXPECT_EQ(c.device.extra, nlohmann::json({{"color", "red"}}));
  EXPECT_EQ(c.input(0)->extra, nlohmann::json({{"vref", 0}, {"label", "x"}}));
  ASSERT_EQ(c.outputs.size(), 1u);
  EXPECT_EQ(c.outputs[0].text, "@0");
  EXPECT_EQ(c.outputs[0].syntax, ScriptSyntax::kOriginal);
  EXPECT_TRUE(c.integrators.empty());
  EXPECT_NE(c.section("mqtt"), nullptr);
  EXPECT_EQ(c.section("influxdb"), nullptr);  // null counts as absent
  EXPECT_NE(c.section("futurething"), nullptr);
  EXPECT_TRUE(has_line(notes, "futurething: unknown key, kept as is"));
  EXPECT_TRUE(has_line(notes, "device.color: unknown key, kept as is"));
  EXPECT_TRUE(has_line(notes, "inputs[0].label: unknown key, kept as is"));
  EXPECT_FALSE(has_line(notes, "vref"));
  EXPECT_FALSE(has_line(notes, "outputs"));
}

TEST(ConfigParser, DstRuleIsTypedAndKeptRaw) {
  const Config c = parse_ok(R"({"dstrule":{"adj":"60","utc":true,
      "begin":{"month":3,"weekday":1,"instance":-1,"time":60},
      "end":{"month":10,"weekday":1,"instance":-1,"time":60}}})");
  ASSERT_TRUE(c.dst.has_value());
  EXPECT_EQ(c.dst->adj, 60);
  EXPECT_TRUE(c.dst->utc);
  EXPECT_EQ(c.dst->begin, (DstPoint{3, 1, -1, 60}));
  EXPECT_EQ(c.dst->end.month, 10);
  EXPECT_EQ(c.dstrule["adj"], "60");  // as written
}

TEST(ConfigParser, OurSections) {
  const Config c = parse_ok(R"({"adc":{"board":"iotawatt-pi-hat","spidev":["/dev/spidev0.0"],"spi_hz":"2000000"},
      "sampling":{"mode":"round-robin","conversions_per_second":77000,"noise_floor_lsb":1.5},
      "sim":{"scenario":"house","seed":"18446744073709"}})");
  ASSERT_TRUE(c.adc.has_value());
  EXPECT_EQ(c.adc->board, "iotawatt-pi-hat");
  EXPECT_EQ(c.adc->spidev, std::vector<std::string>{"/dev/spidev0.0"});
  EXPECT_EQ(c.adc->spi_hz, 2000000);
  EXPECT_EQ(c.sampling.mode, SamplingMode::kRoundRobin);
  EXPECT_DOUBLE_EQ(*c.sampling.conversions_per_second, 77000);
  EXPECT_DOUBLE_EQ(*c.sampling.noise_floor_lsb, 1.5);
  ASSERT_TRUE(c.sim.has_value());
  EXPECT_EQ(c.sim->scenario, "house");
  EXPECT_EQ(c.sim->seed, 18446744073709u);

  const Config none = parse_ok(R"({"adc":null})");
  EXPECT_FALSE(none.adc.has_value());
  EXPECT_EQ(none.sampling, SamplingConfig{});
}

TEST(ConfigParser, SimOverdriveGainsPerInputChannel) {
  const Config c = parse_ok(R"({"sim":{"overdrive":{"1":200,"4":1.5}}})");
  ASSERT_TRUE(c.sim.has_value());
  EXPECT_EQ(c.sim->overdrive, (std::map<int, double>{{1, 200}, {4, 1.5}}));
  const std::string e = parse_error(R"({"sim":{"overdrive":{"x":2,"3":0,"5":"big"}}})");
  EXPECT_NE(e.find("sim.overdrive.x: is not an input channel number"), std::string::npos) << e;
  EXPECT_NE(e.find("sim.overdrive.3: 0 is not a gain in (0, 1000]"), std::string::npos) << e;
  EXPECT_NE(e.find("sim.overdrive.5: "), std::string::npos) << e;
}

TEST(ConfigParser, UpdateClassIsCaseInsensitive) { EXPECT_EQ(parse_ok(R"({"update":"beta"})").update, "BETA"); }

TEST(ConfigParser, CollectsAllProblemsOneLineEach) {
  const std::string e = parse_error(R"({"timezone":20,"update":"X","device":{"channels":3,"burden":[0,20,20]},
      "inputs":[{"channel":0,"name":"V","type":"VT","model":"generic","cal":400},
                {"channel":1,"name":"A","type":"XT"},
                {"channel":2,"name":"A","type":"CT","model":"Nope-123","cal":10,"vchan":1}],
      "adc":{"board":""}, "sim":{"seed":"x"}})");
  const std::string expected =
      "timezone: 20 is more than 14 (hours)\n"
      "update: \"X\" is not one of NONE, MAJOR, MINOR, BETA, ALPHA, TEST\n"
      "inputs[0].cal: 400 is more than 300 (a VT cal must be 5 to 300)\n"
      "inputs[1].type: \"XT\" is not \"VT\" or \"CT\"\n"
      "inputs[2].model: \"Nope-123\" is not a known CT model; use \"generic\" with cal (and turns, phase), "
      "or add "
      "the model to a tables file\n"
      "inputs[2].name: \"A\" is already used by inputs[1]\n"
      "adc.board: is empty; name the board profile\n"
      "sim.seed: \"x\" is not a whole number";
  EXPECT_EQ(e, expected);
}

TEST(ConfigParser, AcceptsCommentsAndReportsSyntaxErrorsWithPosition) {
  parse_ok("// a comment\n{ /* another */ \"timezone\": 1 }");
  EXPECT_EQ(parse_error("{\n  \"timezone\": 1,\n}"),
            "config: JSON syntax error at line 3, column 1: syntax error while parsing object key - "
            "unexpected '}'; "
            "expected string literal");
}

// Issue 12: 100 000 levels under an unknown key were built, then copied recursively to keep
// the key verbatim, and the copy overflowed the stack (SIGSEGV). Now the parse stops.
TEST(ConfigParser, RefusesNestingDeeperThan64Levels) {
  std::string text = "{\"device\": {\"name\": \"A\"}, \"unknown\": ";
  // The config's own object is level 1: the 64th nested "{" is the one too many.
  const std::string at = std::to_string(text.size() + 5 * 63 + 1);
  for (int i = 0; i < 100000; ++i) text += "{\"a\":";
  EXPECT_EQ(parse_error(text), "config: nesting deeper than 64 levels at byte " + at + " (line 1, column " + at + ")");
  // 64 levels in all (the config object is the first) are kept verbatim, as any unknown key.
  std::string deep = "{\"unknown\": " + std::string(63, '[') + std::string(63, ']') + "}";
  EXPECT_TRUE(parse_config(deep, catalog()).ok());
}

TEST(ConfigParser, AcceptsParsedJsonToo) {
  const nlohmann::json doc = {{"timezone", 5.5}, {"device", {{"channels", 1}}}};
  Result<Config> r = parse_config(doc, catalog());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_DOUBLE_EQ(r->timezone, 5.5);
}

TEST(ConfigParser, UsesTheCatalogItIsGiven) {
  auto user = ModelCatalog::parse(R"({"CT":[{"model":"Shop-CT","type":"C","turns":2500,"phase":0.9}]})");
  ASSERT_TRUE(user.ok()) << user.error();
  const ModelCatalog merged = catalog().merged_with(user.value());
  const std::string text = with_inputs(std::string(kVt) + R"(,{"channel":1,"name":"A","type":"CT","model":"Shop-CT"})");
  Result<Config> r = parse_config(text, merged);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_DOUBLE_EQ(r->input(1)->cal, 125);
  EXPECT_DOUBLE_EQ(r->input(1)->phase, 0.9);
  EXPECT_FALSE(parse_config(text, catalog()).ok());
}

}  // namespace
}  // namespace iw::config
