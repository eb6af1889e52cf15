#include "sim/scenarios.h"

#include <functional>
#include <initializer_list>
#include <numbers>
#include <utility>

namespace iw::sim {
namespace {

CtModel ct(const std::string& name) { return ct_model(name).value(); }
VtModel vt(const std::string& name) { return vt_model(name).value(); }

// Peaky rectifier-input currents: harmonics in phase at the voltage peak.
std::vector<CurrentHarmonic> led_harmonics() { return {{3, 0.20, 180}, {5, 0.10, 0}, {7, 0.05, 180}}; }
std::vector<CurrentHarmonic> smps_harmonics() { return {{3, 0.70, 180}, {5, 0.45, 0}, {7, 0.25, 180}, {9, 0.10, 0}}; }

// A panel sampled by the real ADC model. `utc_offset_s` places the interval model's days.
Panel real_adc_panel(std::string scenario, double utc_offset_s, Mains mains) {
  Panel p;
  p.scenario = std::move(scenario);
  p.utc_offset_s = utc_offset_s;
  p.mains = std::move(mains);
  p.adc.mode = AdcMode::kReal;
  return p;
}

// Daily and seasonal patterns (daily_model.h): the seeded history and the live simulation with realism.
void set_usage(Panel& p, std::initializer_list<int> load_ids, Usage usage) {
  for (int id : load_ids) p.loads[static_cast<size_t>(id)].usage = usage;
}

Panel household() {
  Panel p = real_adc_panel("household-230v-50hz", 3600,
                           {.wiring = Wiring::kSinglePhase,
                            .volts = 230,
                            .hz = 50,
                            .drift_hz = 0.05,
                            .drift_period_s = 600,
                            .harmonics = {{3, 0.015, 0}, {5, 0.025, 180}}});

  const int solar_id = p.add_load(solar("solar", 5000, 6.5, 20.5));
  const int oven = p.add_load(switched(resistive("oven", 2400), {20, 60, 20, 90}));
  const int kettle = p.add_load(switched(resistive("kettle", 2200), {120, 180, 600, 1200}));
  const int fridge = p.add_load(switched(motor("fridge", 150, 0.7), {300, 600, 600, 1200}));
  const int heat_pump = p.add_load(motor("heat pump", 1800, 0.8));
  const int led = p.add_load(nonlinear("LED lighting", 120, led_harmonics(), 0.95));
  p.loads.back().leading = true;
  const int computers = p.add_load(nonlinear("computers", 300, smps_harmonics(), 0.98));
  p.loads.back().leading = true;
  const int washer = p.add_load(switched(motor("washer", 500, 0.6), {30, 120, 10, 60}));
  const int dryer = p.add_load(switched(resistive("dryer", 2000), {60, 240, 30, 120}));
  const int ev = p.add_load(nonlinear("EV charger", 7360, {{3, 0.03, 0}, {5, 0.02, 0}}, 0.99));
  const int hob = p.add_load(switched(resistive("hob", 1800), {1, 3, 1, 3}));
  const int lights = p.add_load(resistive("lights", 200));
  const int sockets = p.add_load(capacitive("sockets", 250, 0.8));

  set_usage(p, {oven, kettle, hob}, Usage::kCooking);
  set_usage(p, {led, lights}, Usage::kLighting);
  set_usage(p, {washer, dryer}, Usage::kLaundry);
  set_usage(p, {heat_pump}, Usage::kHeating);
  set_usage(p, {computers}, Usage::kComputing);
  set_usage(p, {ev}, Usage::kEvCharging);

  p.add_vt(0, "Voltage", vt("Ideal 77DE-06-09(EU)"));
  p.add_mains_ct(1, "Mains", ct("SCT013-000"));
  p.add_ct(2, "Solar", ct("AcuCT-H040-50"), {solar_id}).m.is_signed = true;
  p.add_ct(3, "Oven", ct("AcuCT-H040-50"), {oven});
  p.add_ct(4, "Kettle", ct("AcuCT-H040-50"), {kettle});
  p.add_ct(5, "Fridge", ct("SCT013-030"), {fridge});
  p.add_ct(6, "HeatPump", ct("ECS1050-L72"), {heat_pump});
  p.add_ct(7, "LED_Lights", ct("SCT013-030"), {led});
  p.add_ct(8, "Computers", ct("SCT013-030"), {computers});
  p.add_ct(9, "Washer", ct("AcuCT-H040-50"), {washer});
  p.add_ct(10, "Dryer", ct("AcuCT-H040-50"), {dryer});
  p.add_ct(11, "EV_Charger", ct("SCT013-000"), {ev});
  p.add_ct(12, "Hob", ct("AcuCT-H040-50"), {hob});
  p.add_ct(13, "Lights", ct("SCT013-030"), {lights});
  p.add_ct(14, "Sockets", ct("SCT013-030"), {sockets});
  return p;
}

Panel split_phase() {
  Panel p = real_adc_panel("split-phase-120v-60hz", -5 * 3600,
                           {.wiring = Wiring::kSplitPhase,
                            .volts = 120,
                            .hz = 60,
                            .drift_hz = 0.02,
                            .drift_period_s = 900,
                            .harmonics = {{3, 0.01, 0}, {5, 0.02, 180}}});

  const int dryer = p.add_load(switched(resistive("dryer", 5000, Line::kAB), {60, 300, 30, 120}));
  const int ac = p.add_load(motor("air conditioner", 3500, 0.85, Line::kAB));
  const int solar_id = p.add_load(solar("solar", 6000, 6.5, 19.5, Line::kAB));
  const int ev = p.add_load(nonlinear("EV charger", 7680, {{3, 0.03, 0}}, 0.99, Line::kAB));
  const int fridge = p.add_load(switched(motor("fridge", 150, 0.7, Line::kB), {300, 600, 600, 1200}));
  const int kitchen = p.add_load(switched(resistive("kitchen", 1500, Line::kA), {60, 180, 300, 900}));
  const int lights = p.add_load(nonlinear("LED lights", 150, led_harmonics(), 0.95, Line::kB));
  p.loads.back().leading = true;
  const int computers = p.add_load(nonlinear("computers", 250, smps_harmonics(), 0.98, Line::kA));
  p.loads.back().leading = true;

  set_usage(p, {dryer}, Usage::kLaundry);
  set_usage(p, {ac}, Usage::kCooling);
  set_usage(p, {ev}, Usage::kEvCharging);
  set_usage(p, {kitchen}, Usage::kCooking);
  set_usage(p, {lights}, Usage::kLighting);
  set_usage(p, {computers}, Usage::kComputing);

  auto l240 = [&p](int input, const std::string& name, const std::string& model, int load) -> Channel& {
    Channel& ch = p.add_ct(input, name, ct(model), {load}, Line::kA);
    ch.m.doubled = true;
    ch.truth_line = Line::kAB;
    return ch;
  };
  auto l2 = [&p](int input, const std::string& name, const std::string& model, int load) -> Channel& {
    Channel& ch = p.add_ct(input, name, ct(model), {load}, Line::kB);
    ch.flipped = true;  // reads positive against the L1 reference
    return ch;
  };
  p.add_vt(0, "Voltage", vt("Jameco/112336"));
  p.add_mains_ct(1, "Mains_L1", ct("ECS24200"), Line::kA);
  p.add_mains_ct(2, "Mains_L2", ct("ECS24200"), Line::kB).flipped = true;
  l240(3, "Dryer", "AcuCT-H040-50", dryer);
  l240(4, "AC", "AcuCT-H040-50", ac);
  l240(5, "Solar", "AcuCT-H040-50", solar_id).m.is_signed = true;
  l240(6, "EV_Charger", "SCT013-000", ev);
  l2(7, "Fridge", "SCT013-030", fridge);
  p.add_ct(8, "Kitchen", ct("AcuCT-H040-50"), {kitchen}, Line::kA);
  l2(9, "Lights", "SCT013-030", lights);
  p.add_ct(10, "Computers", ct("SCT013-030"), {computers}, Line::kA);
  return p;
}

Panel three_phase() {
  Panel p = real_adc_panel("three-phase-400v", 3600,
                           {.wiring = Wiring::kThreePhase,
                            .volts = 230,
                            .hz = 50,
                            .drift_hz = 0.03,
                            .drift_period_s = 600,
                            .harmonics = {{5, 0.02, 180}, {7, 0.01, 0}}});

  // Line-to-line loads carry a pure fundamental current: the derived sqrt(3)/-30 degree
  // reference matches the true A-B voltage in the fundamental only.
  const int compressor = p.add_load(motor("compressor", 4000, 0.85, Line::kAB));
  const int heat_pump = p.add_load(motor("heat pump", 2000, 0.8, Line::kB));
  const int oven = p.add_load(switched(resistive("oven", 3000, Line::kC), {20, 60, 20, 90}));
  const int lights = p.add_load(nonlinear("LED lighting", 150, led_harmonics(), 0.95, Line::kA));
  p.loads.back().leading = true;
  const int sockets = p.add_load(capacitive("sockets", 300, 0.8, Line::kB));
  const int computers = p.add_load(nonlinear("computers", 400, smps_harmonics(), 0.98, Line::kC));
  p.loads.back().leading = true;
  const int solar_id = p.add_load(solar("solar", 4000, 6.5, 20.5, Line::kA));
  const int kettle = p.add_load(switched(resistive("kettle", 2200, Line::kA), {120, 180, 600, 1200}));

  set_usage(p, {heat_pump}, Usage::kHeating);
  set_usage(p, {oven, kettle}, Usage::kCooking);
  set_usage(p, {lights}, Usage::kLighting);
  set_usage(p, {computers}, Usage::kComputing);

  auto on = [&p](int input, const std::string& name, const std::string& model, int load, Line line) -> Channel& {
    Channel& ch = p.add_ct(input, name, ct(model), {load}, line);
    ch.m.vphase = line == Line::kB ? 120 : line == Line::kC ? 240 : 0;
    return ch;
  };
  p.add_vt(0, "Voltage", vt("Ideal 77DE-06-09(EU)"));
  p.add_mains_ct(1, "Mains_A", ct("SCT013-000"), Line::kA);
  p.add_mains_ct(2, "Mains_B", ct("SCT013-000"), Line::kB).m.vphase = 120;
  p.add_mains_ct(3, "Mains_C", ct("SCT013-000"), Line::kC).m.vphase = 240;
  Channel& ll = on(4, "Compressor", "AcuCT-H040-50", compressor, Line::kA);
  ll.m.vphase = -30;
  ll.m.vmult = std::numbers::sqrt3;
  ll.truth_line = Line::kAB;
  on(5, "HeatPump", "AcuCT-H040-50", heat_pump, Line::kB);
  on(6, "Oven", "AcuCT-H040-50", oven, Line::kC);
  on(7, "Lights", "SCT013-030", lights, Line::kA);
  on(8, "Sockets", "SCT013-030", sockets, Line::kB);
  on(9, "Computers", "SCT013-030", computers, Line::kC);
  on(10, "Solar", "AcuCT-H040-50", solar_id, Line::kA).m.is_signed = true;
  on(11, "Kettle", "AcuCT-H040-50", kettle, Line::kA);
  return p;
}

// A calibration bench (issue 13): steady loads a user calibrates against. A kettle and a
// heater (resistive, PF 1) for the phase steps, a motor at PF 0.5 where a phase error shows
// most, and the mains CT over all three. The VT and two CTs have static leads (no level
// tables), so a config's phase is the whole story; the heater's CT has level tables.
Panel calibration_bench() {
  Panel p = real_adc_panel(
      "calibration-bench-230v-50hz", 3600,
      {.wiring = Wiring::kSinglePhase, .volts = 230, .hz = 50, .harmonics = {{3, 0.015, 0}, {5, 0.025, 180}}});
  p.device_name = "Bench";
  p.device_channels = 5;

  const int kettle = p.add_load(resistive("kettle", 2000));
  const int heater = p.add_load(resistive("heater", 2000));
  const int motor_id = p.add_load(motor("motor", 1150, 0.5));
  p.add_vt(0, "Voltage", vt("generic240V"));
  p.add_mains_ct(1, "Mains", ct("SCT013-000"));
  p.add_ct(2, "Kettle", ct("AcuCT-H040-50"), {kettle});
  p.add_ct(3, "Heater", ct("SCT013-000"), {heater});
  p.add_ct(4, "Motor", ct("AcuCT-H040-50"), {motor_id});
  return p;
}

// Scripted appliances (issue 18): every switch has a known cycle and size (TrueStep), for the
// step events' benchmark (bench/events_bench.cc). Runs repeat within the hour, so a short run
// already holds a few hundred steps. The kettle, EV charger and heat pump start their first run
// at the simulation start, so a few seconds of it carry power (tests/app/scenario_test.cc).
Program program(double first_s, double every_s, double jitter_s, std::vector<ProgramStep> steps) {
  return Program{first_s, every_s, jitter_s, std::move(steps)};
}

Load programmed(Load load, Program p) {
  load.program = std::move(p);
  return load;
}

// A washer's drum: 24 tumbles (15 s on, 10 s off), then a spin at 2.2x that ramps up over 3 s.
Program washer_drum() {
  std::vector<ProgramStep> steps;
  for (int k = 0; k < 24; ++k) {
    steps.push_back({30.0 + 25 * k, 1});
    steps.push_back({45.0 + 25 * k, 0});
  }
  steps.push_back({700, 2.2, 3});
  steps.push_back({820, 0});
  return program(100, 1800, 0, std::move(steps));
}

Panel appliance_events() {
  Panel p = real_adc_panel("appliance-events-230v-50hz", 3600,
                           {.wiring = Wiring::kSinglePhase,
                            .volts = 230,
                            .hz = 50,
                            .drift_hz = 0.05,
                            .drift_period_s = 600,
                            .harmonics = {{3, 0.015, 0}, {5, 0.025, 180}}});
  p.device_name = "Events";
  const int kettle = p.add_load(programmed(resistive("kettle", 2000), program(0, 900, 300, {{0, 1}, {180, 0}})));
  // The washer's drum motor and its heater, on one circuit; the heater switches between tumbles.
  const int drum = p.add_load(programmed(motor("washer drum", 250, 0.6), washer_drum()));
  const int heater =
      p.add_load(programmed(resistive("washer heater", 2000), program(100, 1800, 0, {{42, 1}, {642, 0}})));
  // Fridge compressor: 6x current at start, decaying with 0.1 s; on 10 of every ~25 minutes.
  const int fridge = p.add_load(
      programmed(motor("fridge", 120, 0.75), program(200, 1500, 300, {{0, 1, 0, 6, 0.1}, {600, 0}})));
  // EV charger: ramps up over 5 s, halves its current after 15 minutes (over 2 s), stops.
  const int ev = p.add_load(programmed(nonlinear("EV charger", 7360, {{3, 0.03, 0}, {5, 0.02, 0}}, 0.99),
                                       program(0, 3600, 0, {{0, 1, 5}, {900, 0.5, 2}, {1500, 0, 0.2}})));
  // Heat pump: 3x current at start (0.5 s), modulates down to 60 % after 15 minutes.
  const int heat_pump = p.add_load(programmed(motor("heat pump", 1800, 0.85),
                                              program(0, 2400, 600, {{0, 1, 0, 3, 0.5}, {900, 0.6, 1}, {1500, 0}})));
  // LED lighting: a driver with odd harmonics and a capacitor-charging inrush of a cycle or so.
  Load led_load = nonlinear("LED lighting", 80, led_harmonics(), 0.95);
  led_load.leading = true;
  const int led = p.add_load(programmed(std::move(led_load), program(30, 2400, 600, {{0, 1, 0, 3, 0.02}, {1200, 0}})));
  // Computers: always on, +-5 % from cycle to cycle (+-15 W): fluctuation that must not fire.
  Load computers_load = nonlinear("computers", 300, smps_harmonics(), 0.98);
  computers_load.leading = true;
  computers_load.fluctuation = 0.05;
  const int computers = p.add_load(std::move(computers_load));

  p.add_vt(0, "Voltage", vt("Ideal 77DE-06-09(EU)"));
  p.add_ct(1, "Kettle", ct("AcuCT-H040-50"), {kettle});
  p.add_ct(2, "Washer", ct("AcuCT-H040-50"), {drum, heater});
  p.add_ct(3, "Fridge", ct("SCT013-030"), {fridge});
  p.add_ct(4, "EV_Charger", ct("SCT013-000"), {ev});
  p.add_ct(5, "HeatPump", ct("ECS1050-L72"), {heat_pump});
  p.add_ct(6, "LED_Lights", ct("SCT013-030"), {led});
  p.add_ct(7, "Computers", ct("SCT013-030"), {computers});
  // Idle inputs: a CT on a circuit that draws nothing (ADC noise only).
  p.add_ct(8, "Spare_8", ct("SCT013-000"), {});
  p.add_ct(9, "Spare_9", ct("AcuCT-H040-50"), {});
  p.add_ct(10, "Spare_10", ct("SCT013-030"), {});
  return p;
}

const std::vector<std::pair<std::string, std::function<Panel()>>>& registry() {
  static const std::vector<std::pair<std::string, std::function<Panel()>>> all = {
      {"household-230v-50hz", household},
      {"split-phase-120v-60hz", split_phase},
      {"three-phase-400v", three_phase},
      {"calibration-bench-230v-50hz", calibration_bench},
      {"appliance-events-230v-50hz", appliance_events},
  };
  return all;
}

}  // namespace

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

Result<Panel> make_scenario(const std::string& name) {
  for (const auto& [key, build] : registry()) {
    if (key == name) return build();
  }
  std::string known;
  for (const std::string& n : scenario_names()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown scenario \"" + name + "\"; known scenarios: " + known);
}

Result<Panel> make_test_point(const TestPoint& tp) {
  Panel p;
  p.scenario = tp.name;
  p.mains.wiring = Wiring::kSinglePhase;
  p.mains.volts = tp.volts;
  p.mains.hz = tp.hz;
  p.mains.hz_offset = tp.hz_offset;
  p.mains.volts_scale = tp.volts_scale;
  p.mains.drift_hz = tp.drift_hz;
  p.mains.drift_period_s = tp.drift_period_s;
  p.mains.harmonics = tp.voltage_harmonics;
  p.adc = tp.adc;

  CtModel ct_hw;
  if (tp.ct_model) {
    ct_hw = *tp.ct_model;
  } else {
    auto found = ct_model(tp.ct);
    if (!found) return found.status();
    ct_hw = found.value();
  }
  VtModel vt_hw;
  if (tp.vt_model) {
    vt_hw = *tp.vt_model;
  } else {
    auto found = vt_model(tp.vt);
    if (!found) return found.status();
    vt_hw = found.value();
  }

  Load load =
      tp.resistive ? resistive("load", 0) : current_load("load", tp.amps, tp.pf, tp.leading, tp.current_harmonics);
  if (tp.resistive) load.amps = tp.amps;
  load.switching = tp.switching;
  const int id = p.add_load(std::move(load));
  p.add_vt(0, "Voltage", vt_hw);
  p.add_ct(1, "Load", ct_hw, {id}).m.is_signed = true;
  if (Status s = p.validate(); !s) return s;
  return p;
}

}  // namespace iw::sim
