// Issue 13: every config the simulator writes (the one `run`, `seed` and `record` use for a
// scenario) reads back, through the real parser and model catalog and app::engine_setup, to
// exactly the measurement the panel intends, channel by channel; and so does the config the
// daemon writes back from it (GET /config, config.txt). Covered: every scenario, every
// catalog CT and VT model on a test point, and sensors with lead tables of their own.
#include <gtest/gtest.h>

#include <string>

#include "app/wiring.h"
#include "config/config_parser.h"
#include "config/config_writer.h"
#include "sim/scenarios.h"

namespace iw {
namespace {

const config::ModelCatalog& catalog() { return config::ModelCatalog::builtin(); }

// What the panel means channel `ch` to be measured with, as the engine wants it.
measure::ChannelSetup intended(const sim::Panel& panel, const sim::Channel& ch) {
  measure::ChannelSetup cs;
  const bool vt = ch.type == sim::ChannelType::kVT;
  cs.kind = vt ? measure::ChannelKind::kVoltage : measure::ChannelKind::kCurrent;
  // measurement_cal is line volts per volt at the board's VT input (the daemon assumes the
  // /13 divider), or primary amps per volt at the ADC input.
  cs.units_per_count = panel.measurement_cal(ch) * (vt ? 13.0 : 1.0) * panel.adc.vref / 4096.0;
  cs.phase = {panel.measurement_phase(ch), panel.measurement_p50(ch), panel.measurement_p60(ch)};
  cs.reverse = ch.m.reverse;
  if (!vt) {
    cs.vt = ch.m.vchan;
    cs.vphase_deg = ch.m.vphase;
    cs.vmult = ch.m.vmult * (ch.m.doubled ? 2.0 : 1.0);
    cs.allow_negative = ch.m.is_signed;
  }
  return cs;
}

void expect_same(const measure::ChannelSetup& got, const measure::ChannelSetup& want, const std::string& what) {
  EXPECT_EQ(got.kind, want.kind) << what;
  EXPECT_NEAR(got.units_per_count, want.units_per_count, 1e-12 * want.units_per_count) << what;
  EXPECT_EQ(got.phase.fixed_deg, want.phase.fixed_deg) << what;
  EXPECT_EQ(got.phase.p50, want.phase.p50) << what;
  EXPECT_EQ(got.phase.p60, want.phase.p60) << what;
  EXPECT_EQ(got.reverse, want.reverse) << what;
  EXPECT_EQ(got.vt, want.vt) << what;
  EXPECT_EQ(got.vphase_deg, want.vphase_deg) << what;
  EXPECT_EQ(got.vmult, want.vmult) << what;
  EXPECT_EQ(got.allow_negative, want.allow_negative) << what;
}

// The panel's config, parsed; and the config the daemon writes back from it, parsed again.
void expect_config_measures_as_intended(const sim::Panel& panel) {
  const std::string text = panel.iotawatt_config().dump();
  std::vector<std::string> notes;
  auto cfg = config::parse_config(text, catalog(), &notes);
  ASSERT_TRUE(cfg.ok()) << cfg.error() << "\n" << text;
  for (const std::string& note : notes) ADD_FAILURE() << "note: " << note << "\n" << text;
  auto again = config::parse_config(config::serialize_text(cfg.value()), catalog());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_TRUE(again.value() == cfg.value()) << config::serialize_text(cfg.value());

  const app::AdcScaling scaling{panel.adc.vref, 13};
  const measure::EngineSetup setup = app::engine_setup(again.value(), scaling);
  ASSERT_EQ(setup.channels.size(), static_cast<size_t>(panel.device_channels));
  size_t active = 0;
  for (const measure::ChannelSetup& cs : setup.channels) active += cs.kind != measure::ChannelKind::kUnused;
  EXPECT_EQ(active, panel.channels.size());
  for (const sim::Channel& ch : panel.channels) {
    const std::string what = panel.scenario + " input " + std::to_string(ch.input) + " " + ch.name + "\n" + text;
    expect_same(setup.channels[static_cast<size_t>(ch.input)], intended(panel, ch), what);
  }
}

sim::Panel test_point(const sim::TestPoint& tp) {
  auto panel = sim::make_test_point(tp);
  EXPECT_TRUE(panel.ok()) << panel.error();
  return panel.ok() ? std::move(panel).value() : sim::Panel{};
}

sim::CtModel ct_like(const config::ModelEntry& e) {
  sim::CtModel ct;
  ct.name = e.model;
  ct.output = e.type == config::ModelType::kVoltage ? sim::CtOutput::kVoltage : sim::CtOutput::kCurrent;
  ct.turns = e.turns.value_or(2000);
  ct.amps_per_volt = e.cal.value_or(0);
  ct.phase_deg = e.phase.value_or(0);
  ct.p50 = e.p50;
  ct.p60 = e.p60;
  return ct;
}

sim::VtModel vt_like(const config::ModelEntry& e) {
  sim::VtModel vt;
  vt.name = e.model;
  vt.ratio = e.cal.value_or(20);
  vt.phase_deg = e.phase.value_or(0);
  vt.p50 = e.p50;
  vt.p60 = e.p60;
  return vt;
}

TEST(ConfigRoundTrip, EveryScenario) {
  for (const std::string& name : sim::scenario_names()) {
    SCOPED_TRACE(name);
    auto panel = sim::make_scenario(name);
    ASSERT_TRUE(panel.ok()) << panel.error();
    expect_config_measures_as_intended(panel.value());
  }
}

TEST(ConfigRoundTrip, EveryCatalogCtModel) {
  for (const config::ModelEntry& e : catalog().cts()) {
    if (e.type == config::ModelType::kGeneric) continue;  // no values of its own
    SCOPED_TRACE(e.model);
    sim::TestPoint tp;
    tp.ct_model = ct_like(e);
    expect_config_measures_as_intended(test_point(tp));
  }
}

TEST(ConfigRoundTrip, EveryCatalogVtModel) {
  for (const config::ModelEntry& e : catalog().vts()) {
    SCOPED_TRACE(e.model);
    sim::TestPoint tp;
    tp.vt_model = vt_like(e);
    expect_config_measures_as_intended(test_point(tp));
  }
}

TEST(ConfigRoundTrip, EverySimulatorSensorName) {
  for (const std::string& name : sim::ct_model_names()) {
    SCOPED_TRACE(name);
    sim::TestPoint tp;
    tp.ct = name;
    expect_config_measures_as_intended(test_point(tp));
  }
  for (const std::string& name : sim::vt_model_names()) {
    SCOPED_TRACE(name);
    sim::TestPoint tp;
    tp.vt = name;
    expect_config_measures_as_intended(test_point(tp));
  }
}

// The case: a non-catalog CT with tables of its own is written "generic" with p50/p60.
TEST(ConfigRoundTrip, GenericSensorsWithTheirOwnTables) {
  sim::TestPoint tp;
  sim::CtModel ct;
  ct.phase_deg = 1.5;
  ct.p50 = {4.0, 2, 3.2, 10, 2.4, 40, 1.8};
  ct.p60 = {3.5, 2, 2.8, 10, 2.1};
  tp.ct_model = ct;
  sim::VtModel vt;
  vt.ratio = 19.5;
  vt.p50 = {1.3, 200, 1.1};
  tp.vt_model = vt;
  const sim::Panel panel = test_point(tp);
  const nlohmann::json load = panel.iotawatt_config().at("inputs").at(1);
  ASSERT_EQ(load.at("model"), "generic");
  ASSERT_EQ(load.at("p50"), nlohmann::json(ct.p50));
  expect_config_measures_as_intended(panel);
}

// A catalog CT calibrated by hand: the measurement's own tables win over the model's.
TEST(ConfigRoundTrip, CatalogSensorWithCalibratedTables) {
  sim::TestPoint tp;
  sim::Panel panel = test_point(tp);
  sim::Channel* load = panel.find(1);
  ASSERT_NE(load, nullptr);
  load->m.p50 = std::vector<double>{2.0, 5, 1.7, 25, 1.5};
  load->m.phase = 1.6;
  expect_config_measures_as_intended(panel);
  load->m.p60 = std::vector<double>{};  // no table: the static phase
  expect_config_measures_as_intended(panel);
}

// The home view's input roles (issue 17): written by the simulator's config, kept through a
// round trip, absent when unset, and anything but mains/solar/circuit refused with its key.
TEST(ConfigRoundTrip, InputRoles) {
  const sim::Panel panel = sim::make_scenario("household-230v-50hz").value();
  const nlohmann::json text = panel.iotawatt_config();
  ASSERT_EQ(text.at("inputs").at(1).at("role"), "mains");
  ASSERT_EQ(text.at("inputs").at(2).at("role"), "solar");
  ASSERT_EQ(text.at("inputs").at(3).at("role"), "circuit");
  ASSERT_FALSE(text.at("inputs").at(0).contains("role"));  // the VT
  auto cfg = config::parse_config(text.dump(), catalog());
  ASSERT_TRUE(cfg.ok()) << cfg.error();
  EXPECT_EQ(cfg->input(1)->role, config::InputRole::kMains);
  EXPECT_EQ(cfg->input(2)->role, config::InputRole::kSolar);
  EXPECT_EQ(cfg->input(0)->role, config::InputRole::kUnset);
  const nlohmann::json written = config::serialize(cfg.value(), catalog());
  EXPECT_EQ(written.at("inputs").at(2).at("role"), "solar");
  EXPECT_FALSE(written.at("inputs").at(0).contains("role"));

  nlohmann::json bad = text;
  bad["inputs"][4]["role"] = "kettle";
  auto refused = config::parse_config(bad.dump(), catalog());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("inputs[4].role: \"kettle\" is not \"mains\", \"solar\" or \"circuit\""),
            std::string::npos)
      << refused.error();
}

}  // namespace
}  // namespace iw
