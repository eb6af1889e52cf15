#include "upload/http_uploader.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "config/config.h"
#include "config/emoncms_config.h"
#include "config/pvoutput_config.h"
#include "query/time_zone.h"
#include "query/units.h"
#include "upload/curl_transport.h"
#include "upload/emoncms.h"
#include "upload/influx1.h"
#include "upload/influx2.h"
#include "upload/pvoutput.h"
#include "upload/pvoutput_policy.h"
#include "upload/test_report.h"
#include "upload/url.h"

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

// One value per output in its own units, over the interval (InfluxDB, Emoncms).
Result<std::vector<MeasurementSpec>> specs_in_units(const std::string& key,
                                                    const std::vector<config::ScriptOutput>& outputs) {
  std::vector<MeasurementSpec> out;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const auto unit = query::parse_unit_name(outputs[i].units);
    if (!unit) {
      return Status::InvalidArgument(key + ".outputs[" + std::to_string(i) + "].units: \"" + outputs[i].units +
                                     "\" is not a unit");
    }
    out.push_back({i, outputs[i], *unit, nullptr});
  }
  return out;
}

// The common fields of `uc` for the protocols whose config is the common one (InfluxDB).
Status take_common(const config::UploaderConfig& uc, BuiltProtocol& b) {
  auto specs = specs_in_units(uc.key, uc.outputs);
  if (!specs) return specs.status();
  b.measurements = std::move(specs.value());
  b.interval_s = uc.post_interval;
  b.bulksend = uc.bulksend;
  b.begdate = uc.begdate;
  b.stop = uc.stop;
  return Status::Ok();
}

// InfluxDB 1.x or 2.x: `ic` typed from `uc`, `describe` names the target of a cursor.
template <typename InfluxProtocol, typename InfluxConfig, typename Describe>
Result<BuiltProtocol> influx_protocol(const config::UploaderConfig& uc, const std::string& device,
                                      Result<InfluxConfig> ic, Describe describe) {
  if (!ic) return ic.status();
  auto url = parse_base_url(uc.url, 8086);
  if (!url) return Status::InvalidArgument(uc.key + "." + url.error());
  BuiltProtocol b;
  if (Status s = take_common(uc, b); !s) return s;
  b.target = describe(url->str(), ic.value());
  b.protocol = std::make_unique<InfluxProtocol>(url.value(), std::move(ic.value()), device, infos_of(uc));
  return b;
}

Result<BuiltProtocol> influx1_protocol(const config::UploaderConfig& uc, const std::string& device) {
  return influx_protocol<Influx1Protocol>(
      uc, device, config::influx1_config(uc), [](const std::string& url, const config::Influx1Config& c) {
        return "influxdb " + url + " db=" + c.database + " rp=" + c.retention_policy;
      });
}

Result<BuiltProtocol> influx2_protocol(const config::UploaderConfig& uc, const std::string& device) {
  return influx_protocol<Influx2Protocol>(uc, device, config::influx2_config(uc),
                                          [](const std::string& url, const config::Influx2Config& c) {
                                            return "influxdb2 " + url + " org=" + c.orgid + " bucket=" + c.bucket;
                                          });
}

Result<BuiltProtocol> emoncms_protocol(const config::UploaderConfig& uc) {
  auto settings = config::parse_emoncms_settings(uc.section);
  if (!settings) return settings.status();
  std::vector<config::ScriptOutput> outputs;
  for (const config::EmoncmsOutput& o : settings->outputs) outputs.push_back(o.output);
  auto specs = specs_in_units(uc.key, outputs);
  if (!specs) return specs.status();
  auto protocol = EmoncmsProtocol::create(settings.value());
  if (!protocol) return protocol.status();
  BuiltProtocol b;
  b.target = "emoncms " + settings->url + " node=" + settings->node;
  b.measurements = std::move(specs.value());
  b.interval_s = settings->post_interval_s;
  b.bulksend = settings->bulksend;
  b.begdate = settings->begdate;
  b.stop = settings->stop;
  b.protocol = std::move(protocol.value());  // one request in flight at a time: the engine's rule
  return b;
}

Result<BuiltProtocol> pvoutput_protocol(const config::UploaderConfig& uc, const config::Config& config,
                                        std::function<int64_t()> unix_clock) {
  auto settings = config::parse_pvoutput_settings(uc.section);
  if (!settings) return settings.status();
  auto zone = query::zone_of(config);
  if (!zone) return Status::InvalidArgument("timezone: " + zone.error() + " (PVOutput statuses are in local time)");
  std::shared_ptr<const query::TimeZone> shared_zone = std::move(zone.value());
  auto protocol = PvoutputProtocol::create(settings.value(), shared_zone);
  if (!protocol) return protocol.status();
  PvoutputSchedule schedule(shared_zone, settings->status_interval_s, settings->donation);
  using SpanStart = std::function<int64_t(int64_t)>;
  const SpanStart midnight = [schedule](int64_t t) { return schedule.local_midnight(t); };
  BuiltProtocol b;
  b.target = "pvoutput " + settings->url + " system=" + settings->systemid;
  for (const PvoutputColumn& c : protocol.value()->columns()) {
    b.measurements.push_back({c.output, settings->outputs[c.output].output, c.unit,
                              c.span == PvoutputSpan::kSinceLocalMidnight ? midnight : SpanStart()});
  }
  b.interval_s = settings->status_interval_s;
  b.bulksend = 1;
  b.begdate = settings->begdate;
  b.stop = settings->stop;
  b.policy = std::make_unique<PvoutputPolicy>(std::move(schedule), settings->reload, std::move(unix_clock));
  b.protocol = std::move(protocol.value());
  return b;
}

Result<std::vector<LogIntervalSource::Measurement>> measurements_of(const BuiltProtocol& built,
                                                                    const config::UploaderConfig& uc,
                                                                    const config::Config& config,
                                                                    const MeasurementContext& context) {
  std::vector<LogIntervalSource::Measurement> out;
  for (const MeasurementSpec& m : built.measurements) {
    auto series = measurement_series(config, context, m.output);
    if (!series)
      return Status::InvalidArgument(uc.key + ".outputs[" + std::to_string(m.index) + "]: " + series.error());
    out.push_back({std::move(series.value()), m.unit, m.span_start});
  }
  return out;
}

}  // namespace

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Result<BuiltProtocol> make_protocol(const config::UploaderConfig& uc, const config::Config& config,
                                    std::function<int64_t()> unix_clock) {
  const std::string& device = config.device.name;
  if (uc.type == "influxdb") return influx1_protocol(uc, device);
  if (uc.type == "influxdb2") return influx2_protocol(uc, device);
  if (uc.type == "emoncms") return emoncms_protocol(uc);
  if (uc.type == "pvoutput") return pvoutput_protocol(uc, config, std::move(unix_clock));
  return Status::InvalidArgument(uc.key + ".type: \"" + uc.type +
                                 "\" is not an uploader this build has (influxdb, influxdb2, emoncms, pvoutput)");
}

Status check_http_uploader(const config::UploaderConfig& uc, const config::Config& config) {
  auto built = make_protocol(uc, config);
  if (!built) return built.status();
  for (const MeasurementSpec& m : built->measurements) {
    if (Status s = check_measurement(config, m.output); !s)
      return Status::InvalidArgument(uc.key + ".outputs[" + std::to_string(m.index) + "]: " + s.message());
  }
  return Status::Ok();
}

Result<std::unique_ptr<UploadRunner>> start_http_uploader(const config::UploaderConfig& uc,
                                                          const config::Config& config, const UploadEnvironment& env) {
  auto built = make_protocol(uc, config);
  if (!built) return built.status();
  auto measurements = measurements_of(built.value(), uc, config, env.measurements);
  if (!measurements) return measurements.status();
  UploaderSettings s;
  s.name = uc.key;
  s.type = uc.type;
  s.target = built->target;
  s.cursor_path = env.data_dir + "/upload/" + uc.key + ".json";
  s.interval_s = built->interval_s;
  s.bulksend = built->bulksend;
  s.stopped = built->stop;
  s.begdate = built->begdate;
  s.seed = std::hash<std::string>()(uc.key + built->target);
  auto abort = std::make_shared<std::atomic<bool>>(false);
  TransportOptions t;
  t.cafile = uc.cafile;
  t.abort = abort;
  auto source = std::make_unique<LogIntervalSource>(*env.records, env.last_time, std::move(measurements.value()));
  return std::make_unique<UploadRunner>(std::move(s), std::move(built->protocol), std::make_unique<CurlTransport>(t),
                                        std::move(source), std::move(built->policy), abort);
}

Result<ConnectionTest> test_connection(const config::UploaderConfig& uc, const config::Config& config) {
  auto built = make_protocol(uc, config);
  if (!built) return built.status();
  auto request = built->protocol->last_point_request();
  if (!request) return ConnectionTest{uc.type + " has no last-point question; the configuration is valid", {}};
  TransportOptions t;
  t.cafile = uc.cafile;
  t.total_timeout_ms = 10000;
  CurlTransport transport(t);
  auto response = transport.send(*request);
  const auto base = parse_base_url(request->url);
  const std::string host = base ? base->authority() : "the server";
  if (!response) {
    spdlog::info("upload test ({}): {}", uc.type, response.error());
    return Status::Unavailable(transport_failure_report(host, transport.last_failure()));
  }
  auto last = built->protocol->parse_last_point(response.value());
  if (!last) {
    spdlog::info("upload test ({}): {}", uc.type, last.error());
    return Status::Unavailable(http_answer_report(host, response->status, uc.type));
  }
  ConnectionTest out;
  out.last_point = last.value();
  out.message = last.value() ? "connected; newest point at " + std::to_string(*last.value())
                             : "connected; the server holds no points of these measurements yet";
  return out;
}

}  // namespace iw::upload
