#include "config/config_writer.h"

#include "config/json_reader.h"
#include "config/script_defs.h"

namespace iw::config {
namespace {

using detail::number_value;
using detail::number_values;
using nlohmann::json;

json device_json(const Device& d) {
  json j = d.extra;
  j["name"] = d.name;
  j["channels"] = d.channels;
  if (d.refvolts) j["refvolts"] = number_value(*d.refvolts);
  if (d.burden) j["burden"] = number_values(*d.burden);
  if (d.chanaddr) j["chanaddr"] = *d.chanaddr;
  if (d.chanaref) j["chanaref"] = *d.chanaref;
  if (d.version) j["version"] = *d.version;
  if (d.httpsproxy) j["httpsproxy"] = *d.httpsproxy;
  return j;
}

// The entry's lead tables go into the file exactly when they are not what its model supplies
// (a generic or calibrated sensor), so that parse_config() attaches the same ones again and a
// catalog sensor's entry stays as short as the UI writes it. The static `phase` is always
// written, as the UI writes it; either way the file's value is the one that applies.
void write_lead_tables(const Input& in, const ModelCatalog& catalog, json& j) {
  const ModelEntry* model = in.is_ct() ? catalog.find_ct(in.model) : catalog.find_vt(in.model);
  const std::vector<double> none;
  if (in.p50 != (model ? model->p50 : none)) j["p50"] = number_values(in.p50);
  if (in.p60 != (model ? model->p60 : none)) j["p60"] = number_values(in.p60);
}

json input_json(const Input& in, const ModelCatalog& catalog) {
  json j = in.extra;
  j["channel"] = in.channel;
  j["name"] = in.name;
  j["type"] = to_string(in.type);
  j["model"] = in.model;
  j["cal"] = number_value(in.cal);
  if (in.turns) j["turns"] = number_value(*in.turns);
  j["phase"] = number_value(in.phase);
  write_lead_tables(in, catalog, j);
  if (in.is_ct()) {
    j["vchan"] = in.vchan;
    if (in.vphase != 0) j["vphase"] = number_value(in.vphase);
    // Input::vmult includes the x2 of `double`; the file holds the multiplier before it.
    // Halving is exact in binary floating point, so the round trip is exact.
    const double vmult = in.is_double ? in.vmult / 2 : in.vmult;
    if (vmult != 1) j["vmult"] = number_value(vmult);
  }
  if (in.is_signed) j["signed"] = true;
  if (in.is_double) j["double"] = true;
  if (in.reverse) j["reverse"] = true;
  if (in.is_ct() && in.step_watts != kDefaultStepWatts) j["step_watts"] = number_value(in.step_watts);
  if (in.role != InputRole::kUnset) j["role"] = to_string(in.role);
  return j;
}

}  // namespace

json serialize(const Config& c, const ModelCatalog& catalog) {
  json j = c.sections;
  if (c.format) j["format"] = *c.format;
  j["timezone"] = c.timezone_name.empty() ? number_value(c.timezone) : json(c.timezone_name);
  j["update"] = c.update;
  if (c.logdays) j["logdays"] = *c.logdays;
  if (c.derive3ph) j["derive3ph"] = *c.derive3ph;
  j["device"] = device_json(c.device);
  if (!c.dstrule.is_null()) j["dstrule"] = c.dstrule;
  json inputs = json::array();
  for (const auto& in : c.inputs) inputs.push_back(in ? input_json(*in, catalog) : json(nullptr));
  j["inputs"] = std::move(inputs);
  if (c.adc) {
    json adc = {{"board", c.adc->board}};
    if (!c.adc->spidev.empty()) adc["spidev"] = c.adc->spidev;
    if (c.adc->spi_hz) adc["spi_hz"] = *c.adc->spi_hz;
    j["adc"] = std::move(adc);
  }
  if (c.sampling != SamplingConfig{}) {
    json s = {{"mode", source::to_string(c.sampling.mode)}};
    if (c.sampling.conversions_per_second)
      s["conversions_per_second"] = number_value(*c.sampling.conversions_per_second);
    if (c.sampling.noise_floor_lsb) s["noise_floor_lsb"] = number_value(*c.sampling.noise_floor_lsb);
    j["sampling"] = std::move(s);
  }
  if (c.sim) {
    json s = json::object();
    if (!c.sim->scenario.empty()) s["scenario"] = c.sim->scenario;
    if (c.sim->seed) s["seed"] = *c.sim->seed;
    for (const auto& [channel, gain] : c.sim->overdrive) s["overdrive"][std::to_string(channel)] = gain;
    j["sim"] = std::move(s);
  }
  if (c.datalog != DatalogConfig{}) {
    json d = json::object();
    if (c.datalog.current_days) d["current_days"] = *c.datalog.current_days;
    if (c.datalog.history_days) d["history_days"] = *c.datalog.history_days;
    if (c.datalog.max_mb) d["max_mb"] = *c.datalog.max_mb;
    if (c.datalog.sync_seconds) d["sync_seconds"] = *c.datalog.sync_seconds;
    j["datalog"] = std::move(d);
  }
  // Always written, as the original's web app writes them.
  j["outputs"] = detail::script_defs_json(c.outputs);
  j["integrators"] = detail::script_defs_json(c.integrators);
  return j;
}

std::string serialize_text(const Config& c, int indent, const ModelCatalog& catalog) {
  return serialize(c, catalog).dump(indent) + "\n";
}

}  // namespace iw::config
