#include "upload/http_uploader.h"

#include "config/config.h"
#include "query/units.h"
#include "upload/curl_transport.h"
#include "upload/influx1.h"
#include "upload/influx2.h"
#include "upload/measurement.h"

namespace iw::upload {
namespace {

std::vector<MeasurementInfo> infos_of(const config::UploaderConfig& uc) {
  std::vector<MeasurementInfo> out;
  for (const config::ScriptOutput& o : uc.outputs) {
    const query::Unit unit = query::parse_unit_name(o.units).value_or(query::Unit::kWatts);
    out.push_back({o.name, o.units, query::script_precision(unit)});
  }
  return out;
}

Result<std::vector<LogIntervalSource::Measurement>> measurements_of(const config::UploaderConfig& uc,
                                                                    const config::Config& config) {
  std::vector<LogIntervalSource::Measurement> out;
  for (size_t i = 0; i < uc.outputs.size(); ++i) {
    const config::ScriptOutput& o = uc.outputs[i];
    const auto unit = query::parse_unit_name(o.units);
    const std::string path = uc.key + ".outputs[" + std::to_string(i) + "]";
    if (!unit) return Status::Error(path + ".units: \"" + o.units + "\" is not a unit");
    auto series = measurement_series(config, o.name, o.script);
    if (!series) return Status::Error(path + ": " + series.error());
    out.push_back({std::move(series.value()), *unit});
  }
  return out;
}

}  // namespace

Result<BuiltProtocol> make_protocol(const config::UploaderConfig& uc, const config::Config& config) {
  const std::string& device = config.device.name;
  if (uc.type == "influxdb") {
    auto ic = config::influx1_config(uc);
    if (!ic) return ic.status();
    auto url = parse_base_url(uc.url, 8086);
    if (!url) return Status::Error(uc.key + "." + url.error());
    BuiltProtocol b;
    b.target = "influxdb " + url->str() + " db=" + ic->database + " rp=" + ic->retention_policy;
    b.protocol = std::make_unique<Influx1Protocol>(url.value(), std::move(ic.value()), device, infos_of(uc));
    return b;
  }
  if (uc.type == "influxdb2") {
    auto ic = config::influx2_config(uc);
    if (!ic) return ic.status();
    auto url = parse_base_url(uc.url, 8086);
    if (!url) return Status::Error(uc.key + "." + url.error());
    BuiltProtocol b;
    b.target = "influxdb2 " + url->str() + " org=" + ic->orgid + " bucket=" + ic->bucket;
    b.protocol = std::make_unique<Influx2Protocol>(url.value(), std::move(ic.value()), device, infos_of(uc));
    return b;
  }
  return Status::Error(uc.key + ".type: \"" + uc.type + "\" is not an uploader this build has");
}

Result<std::unique_ptr<UploadRunner>> start_http_uploader(const config::UploaderConfig& uc,
                                                          const config::Config& config,
                                                          const UploadEnvironment& env) {
  auto built = make_protocol(uc, config);
  if (!built) return built.status();
  auto measurements = measurements_of(uc, config);
  if (!measurements) return measurements.status();
  UploaderSettings s;
  s.name = uc.key;
  s.type = uc.type;
  s.target = built->target;
  s.cursor_path = env.data_dir + "/upload/" + uc.key + ".json";
  s.interval_s = uc.post_interval;
  s.bulksend = uc.bulksend;
  s.stopped = uc.stop;
  s.begdate = uc.begdate;
  s.seed = std::hash<std::string>()(uc.key + built->target);
  auto abort = std::make_shared<std::atomic<bool>>(false);
  TransportOptions t;
  t.cafile = uc.cafile;
  t.abort = abort;
  auto source = std::make_unique<LogIntervalSource>(*env.records, env.last_time, std::move(measurements.value()));
  return std::make_unique<UploadRunner>(std::move(s), std::move(built->protocol), std::make_unique<CurlTransport>(t),
                                        std::move(source), abort);
}

ConnectionTest test_connection(const config::UploaderConfig& uc, const config::Config& config) {
  ConnectionTest out;
  auto built = make_protocol(uc, config);
  if (!built) {
    out.message = built.error();
    return out;
  }
  auto request = built->protocol->last_point_request();
  if (!request) {
    out.message = uc.type + " has no last-point question; the configuration is valid";
    out.ok = true;
    return out;
  }
  TransportOptions t;
  t.cafile = uc.cafile;
  t.total_timeout_ms = 10000;
  CurlTransport transport(t);
  auto response = transport.send(*request);
  if (!response) {
    out.message = response.error();
    return out;
  }
  auto last = built->protocol->parse_last_point(response.value());
  if (!last) {
    out.message = last.error();
    return out;
  }
  out.ok = true;
  out.last_point = last.value();
  out.message = last.value() ? "connected; newest point at " + std::to_string(*last.value())
                             : "connected; the server holds no points of these measurements yet";
  return out;
}

}  // namespace iw::upload
