#include "views/metrics_model.h"

#include "app/version.h"
#include "base/strings.h"
#include "views/status_model.h"

namespace iw::views {
namespace {

server::ChannelMetrics channel_metrics(const config::Input& in, size_t ch, const app::SamplerSnapshot& snap) {
  server::ChannelMetrics c;
  c.channel = static_cast<int>(ch);
  c.name = in.name;
  c.voltage = in.is_vt();
  if (ch < snap.values.size()) c.live = snap.values[ch];
  if (ch < snap.counters.size()) {
    c.imported_wh = snap.counters[ch].wh_import.value();
    c.exported_wh = snap.counters[ch].wh_export.value();
  }
  return c;
}

}  // namespace

server::MetricsModel metrics_model(const config::Config& config, const app::SamplerSnapshot& snap,
                                   const std::vector<app::DatalogStatus>& datalogs, int64_t start_time,
                                   const std::optional<app::MqttStatus>& mqtt) {
  server::MetricsModel m;
  m.device_name = config.device.name;
  m.version = app::running_version();
  m.start_time = start_time;
  for (size_t ch = 0; ch < config.inputs.size(); ++ch) {
    if (const config::Input* in = config.input(static_cast<int>(ch)))
      m.channels.push_back(channel_metrics(*in, ch, snap));
  }
  m.sampling = sampling_status(snap);
  for (const app::DatalogStatus& d : datalogs) {
    m.datalogs.push_back({lower(d.id), d.interval, d.last_key.value_or(0), d.size, d.appended, d.dropped});
  }
  if (mqtt) m.mqtt = server::MqttMetrics{mqtt->connected, mqtt->sessions, mqtt->published};
  return m;
}

}  // namespace iw::views
