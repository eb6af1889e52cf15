#include "daemon/daemon.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/assembly.h"
#include "app/calibration_service.h"
#include "app/config_change.h"
#include "app/config_load.h"
#include "app/datalog_service.h"
#include "app/event_service.h"
#include "app/install_paths.h"
#include "app/logging.h"
#include "app/mqtt_service.h"
#include "app/private_files.h"
#include "app/realtime.h"
#include "app/sampler.h"
#include "app/service_notify.h"
#include "app/source_guard.h"
#include "app/source_retry.h"
#include "app/update_service.h"
#include "app/upload_service.h"
#include "app/version.h"
#include "app/webhook_service.h"
#include "app/wiring.h"
#include "calc/calculator.h"
#include "config/config_file.h"
#include "config/config_parser.h"
#include "config/config_writer.h"
#include "config/http_config.h"
#include "config/mqtt_config.h"
#include "config/webhook_config.h"
#include "datalog/settings.h"
#include "query/cost_series.h"
#include "query/integrator_recorder.h"
#include "query/output_series.h"
#include "query/series.h"
#include "query/standby_series.h"
#include "query/time_zone.h"
#include "server/auth/password_change.h"
#include "server/auth/password_store.h"
#include "server/host_allow_list.h"
#include "server/http_server.h"
#include "server/static_files.h"
#include "views/api_routes.h"
#include "views/metrics_model.h"
#include "views/script_preview.h"
#include "views/status_model.h"
#include "views/web_routes.h"

namespace iw::daemon {
namespace {

int64_t unix_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One configuration's running parts. Replaced whole when the configuration changes; readers
// hold a shared_ptr, so a request in flight finishes on the pipeline it started with.
struct Pipeline {
  config::Config config;
  std::string config_text;  // what GET /config shows
  std::shared_ptr<const calc::Calculator> calculator;
  measure::EngineSetup setup;
  datalog::Layout layout;
  std::unique_ptr<app::Sampler> sampler;
  std::unique_ptr<views::StatusContext> status;
  std::unique_ptr<query::TimeZone> zone;
  std::unique_ptr<query::IntegratorRecorder> integrators;  // set by switch_to, before the sampler starts
  std::unique_ptr<query::SeriesCatalog> catalog;           // likewise: outputs read the integrators' logs
  std::shared_ptr<const query::TariffEngine> tariff;       // prices the catalog's cost series; null: no tariff
  bool simulated_time = false;                             // the source's clock, not the wall clock, says what "now" is
  // Not Ok while the config's ADC cannot be opened (app/assembly.h): the sampler is never
  // started, the daemon serves and source_retry_ opens the board again.
  Status source_error;
  app::RealtimePlan realtime;  // the sampling thread's scheduling
  std::optional<config::MqttConfig> mqtt_config;
  std::unique_ptr<app::MqttService> mqtt;  // declared after the sampler it reads: stops first
  std::optional<config::WebhookConfig> webhook_config;
  std::unique_ptr<app::WebhookService> webhook;  // likewise
  // What /status, /metrics and the output preview show until the sampler's first checkpoint
  // (set by switch_to): the counters it was restored with, so that a Prometheus counter never
  // falls to 0 and back (a scrape would read that as a reset and count every Wh again), and
  // the previous pipeline's live values of the channels this one measures the same way.
  app::SamplerSnapshot before_first_checkpoint;
};

// The sampler's snapshot, or before its first checkpoint what stands in for it.
app::SamplerSnapshot shown_snapshot(const Pipeline& p) {
  app::SamplerSnapshot s = p.sampler->snapshot();
  return s.counters.empty() ? p.before_first_checkpoint : s;
}

// Pipeline::before_first_checkpoint of `next`, restored with `counters`.
app::SamplerSnapshot carried_snapshot(const Pipeline* previous, const Pipeline& next,
                                      std::vector<measure::ChannelCounters> counters) {
  app::SamplerSnapshot s;
  s.counters = std::move(counters);
  if (previous == nullptr) return s;
  const app::SamplerSnapshot last = shown_snapshot(*previous);
  const std::vector<measure::ChannelSetup>& before = previous->setup.channels;
  s.time_ns = last.time_ns;
  s.values.resize(next.setup.channels.size());
  s.last_cycle.resize(next.setup.channels.size());
  for (size_t ch = 0; ch < s.values.size(); ++ch) {
    const bool same = ch < before.size() && before[ch] == next.setup.channels[ch];
    if (same && ch < last.values.size() && ch < last.last_cycle.size()) {
      s.values[ch] = last.values[ch];
      s.last_cycle[ch] = last.last_cycle[ch];
    }
  }
  return s;
}

// While the ADC cannot be opened: why, and how the retrying goes.
void add_source_state(server::SamplingStatus& s, const app::SourceRetryState& retry) {
  s.error = retry.error;
  s.open_attempts = retry.attempts;
  s.retry_in_s = retry.next_in_s;
}

datalog::Layout layout_of(const measure::EngineSetup& setup) {
  datalog::Layout layout;
  for (const auto& ch : setup.channels) layout.push_back(ch.kind);
  return layout;
}

class Daemon final : public views::ApiBackend {
 public:
  explicit Daemon(app::RunOptions options)
      : options_(std::move(options)), start_time_ns_(unix_now_ns()), hosts_(options_.allowed_hosts) {}

  int run(const sigset_t& signals);

  server::StatusModel status() const override;
  std::string config_text() const override { return current()->config_text; }
  server::ConfigWriteResult replace_config(const std::string& text,
                                           const server::ConfigConfirmations& confirmed) override;
  Status restart() override;
  Result<views::Waveform> waveform(int channel) override;
  views::QueryScope query_scope() const override;
  views::EventsScope events_scope() const override;
  server::HttpResponse change_passwords(const std::string& body) override;
  server::HttpResponse preview_script(const std::string& body) const override {
    std::shared_ptr<Pipeline> p = current();
    return views::script_preview(body, p->config, *p->calculator, shown_snapshot(*p).values);
  }
  server::HttpResponse test_uploader(const std::string& body) override {
    return server::HttpResponse::json(app::test_uploader_json(body, current()->config));
  }
  server::HttpResponse calibrate(const std::string& body) override;
  std::string metrics() const override;

 private:
  // The config at start-up: --config, or <data>/config.txt when present, else the system config
  // (RunOptions::system_config) when present, else none (simulator);
  // a damaged file is set aside (config_load.h).
  Result<app::StartupConfig> load_initial() const {
    if (options_.config_path.empty()) {
      const std::string path = app::startup_config_path(app::config_path_of(options_), options_.system_config);
      return app::load_startup_config(path, path == app::config_path_of(options_));
    }
    return app::load_startup_config(options_.config_path, false);
  }
  Result<std::shared_ptr<Pipeline>> build(std::optional<config::Config> config, std::string text,
                                          int64_t start_ns) const;
  // Stops the running pipeline and starts `next` continuing its counters (or, when its ADC is
  // unavailable, serves it and waits for the device).
  void switch_to(std::shared_ptr<Pipeline> next);
  // source_retry_'s attempt: builds the running config again; when its ADC opens, switches to it.
  Status reopen_source();
  // Marks the datalog with the pipeline's source, once that source runs (source_guard.h).
  void record_source_of(const Pipeline& p) const;
  // After a config that could not start or be saved: the previous configuration runs again
  // (the config change has already stopped its sampler). Logged when even that fails.
  void roll_back_to(const Pipeline& previous, int64_t start_ns);
  // The stop sequence, readers before what they read: uploaders and MQTT, then the sampler,
  // then the datalog writers (which flush and sync the last records).
  void stop_measuring();
  // Starts the pipeline's MQTT publisher when its config has an "mqtt" section; it publishes
  // the step events from where `previous`'s publisher (stopped) left off.
  void start_mqtt(Pipeline& p, const Pipeline* previous) const;
  // Starts the pipeline's webhook when its config has a "webhook" section; it sends the step
  // events from where `previous`'s webhook (stopped) left off.
  void start_webhook(Pipeline& p, const Pipeline* previous) const;
  // `confirmed`: what an HTTP write confirmed (config_change.h); nullopt for a re-read of the
  // config file, which answers to the datalog's source mark alone, as at start-up.
  server::ConfigWriteResult apply(const std::string& text, bool save,
                                  const std::optional<server::ConfigConfirmations>& confirmed);
  std::shared_ptr<Pipeline> current() const {
    std::lock_guard lock(mu_);
    return pipeline_;
  }
  std::shared_ptr<server::StaticFiles> static_files() const;
  Status start_listeners(server::HttpServer& http);
  app::UpdateService::Probes update_probes() const;
  // The counters `next` continues from. Invariant: a channel's counters never decrease across
  // the datalog, whatever the config changes and restarts (datalog/FORMAT.md). Records hold no
  // counters for an unused channel, so each channel continues from the newest record that holds
  // it (Recorder::resume_counters: an input deleted, the daemon restarted, the input added
  // again). A channel of the running pipeline `previous` continues from its last checkpoint,
  // which is never older than the newest record: records are every 5 s, and resuming from one
  // dropped up to 5 s of energy at every config change and set /metrics' counters back.
  std::vector<measure::ChannelCounters> resume_counters(const Pipeline* previous, const datalog::Layout& next) const;

  // What applies to the whole process when the first pipeline's sampler is real-time: memory
  // locked, and with 3 or more CPUs the threads started from here on keep off the sampler's.
  void apply_realtime_process(const app::RealtimePlan& plan) const;

  const app::RunOptions options_;
  const int64_t start_time_ns_;
  // The CPUs the daemon may use, read before the main thread keeps off the sampler's.
  const std::vector<int> cpus_ = app::allowed_cpus();
  app::ServiceNotifier notifier_;  // systemd: READY=1, WATCHDOG=1 while the samplers checkpoint
  server::HostAllowList hosts_;    // --allow-host, plus the running config's http.hosts (switch_to)
  std::unique_ptr<app::DatalogService> datalog_;
  std::unique_ptr<app::EventService> events_;        // null when the event log could not open
  std::unique_ptr<query::LogRecordSource> records_;  // reads datalog_'s logs
  query::IntegratorLogCache integrator_logs_;        // switch_to only (under change_mu_ or at start)
  std::unique_ptr<app::UploadService> uploads_;      // reads records_
  std::unique_ptr<app::UpdateService> updates_;      // started once serving
  std::atomic<bool> restart_requested_{false};       // the updater asked for the launcher again
  std::unique_ptr<server::PasswordStore> passwords_;
  std::unique_ptr<server::DigestAuth> auth_;
  std::mutex passwords_mu_;  // one password change at a time
  mutable std::mutex mu_;
  std::shared_ptr<Pipeline> pipeline_;                    // guarded by mu_
  std::mutex change_mu_;                                  // one configuration change at a time
  std::atomic<const server::HttpServer*> http_{nullptr};  // while serving: its counters for /metrics
  std::atomic<int> https_port_{0};                        // set once the HTTPS listener is bound
  std::string tls_fingerprint_;                           // set before any listener serves, then read only
  // Opens an unavailable ADC again; its ticks feed the watchdog while it waits. Made in run();
  // last, so it is gone before what its attempts use.
  std::unique_ptr<app::SourceRetry> source_retry_;
};

Result<std::shared_ptr<Pipeline>> Daemon::build(std::optional<config::Config> config, std::string text,
                                                int64_t start_ns) const {
  auto a = app::assemble(options_, std::move(config), start_ns);
  if (!a) return a.status();
  auto p = std::make_shared<Pipeline>();
  p->config = std::move(a->config);
  auto zone = query::zone_of(p->config);
  if (!zone) return zone.status();
  p->zone = std::move(zone.value());
  auto calc = calc::Calculator::Compile(p->config);
  if (!calc) return calc.status();
  p->calculator = std::make_shared<const calc::Calculator>(std::move(calc.value()));
  auto mqtt = config::mqtt_config(p->config);
  if (!mqtt) return mqtt.status();
  p->mqtt_config = std::move(mqtt.value());
  auto webhook = config::webhook_config(p->config);
  if (!webhook) return webhook.status();
  p->webhook_config = std::move(webhook.value());
  p->simulated_time = a->paced;
  p->source_error = a->source_error;
  p->config_text = text.empty() ? config::serialize_text(p->config) : std::move(text);
  p->setup = app::engine_setup(p->config, a->scaling);
  p->layout = layout_of(p->setup);
  const std::string description = a->source->describe();
  app::SamplerOptions sampler_options;
  sampler_options.speed = options_.speed;
  sampler_options.paced = a->paced;
  sampler_options.source_clock = a->clock;
  // A paced simulator sleeps between blocks unless --speed 0; an ADC source waits in its reads.
  const bool sleeps = !a->paced || options_.speed > 0;
  sampler_options.realtime = app::plan_realtime(options_.realtime, !a->paced, sleeps, cpus_);
  p->realtime = sampler_options.realtime;
  p->sampler = std::make_unique<app::Sampler>(std::move(a->source), p->setup, sampler_options);
  p->status = std::make_unique<views::StatusContext>(p->config, *p->calculator, *p->zone, description,
                                                     source::to_string(p->config.sampling.mode),
                                                     start_time_ns_ / 1'000'000'000);
  return p;
}

void Daemon::switch_to(std::shared_ptr<Pipeline> next) {
  std::shared_ptr<Pipeline> previous = current();
  if (previous && previous->mqtt) previous->mqtt->stop();
  if (previous && previous->webhook) previous->webhook->stop();
  if (previous) previous->sampler->stop();
  const datalog::RecorderSettings settings = datalog::settings_of(next->config);
  datalog_->reconfigure(next->layout, settings);
  std::vector<measure::ChannelCounters> counters = resume_counters(previous.get(), next->layout);
  next->sampler->restore(counters);
  next->before_first_checkpoint = carried_snapshot(previous.get(), *next, std::move(counters));
  next->integrators = query::IntegratorRecorder::Start(options_.data_dir, next->calculator, datalog_->current(),
                                                       integrator_logs_, settings.sync_interval_s);
  datalog_->set_side_logs(next->integrators->logs());
  next->catalog = std::make_unique<query::SeriesCatalog>(query::SeriesCatalog::FromConfig(next->config));
  auto integrator_logs = std::make_shared<const query::IntegratorLogs>(next->calculator, next->integrators->by_index());
  query::add_outputs(*next->catalog, next->calculator, integrator_logs);
  query::add_standby(*next->catalog, records_.get());
  next->tariff = query::add_tariff(*next->catalog, next->config, next->zone.get(), records_.get());
  next->sampler->set_listener([this, integrators = next->integrators.get()](const measure::Checkpoint& cp) {
    datalog_->offer(cp, integrators->on_checkpoint(cp));
    notifier_.on_checkpoint();
  });
  if (events_) {
    next->sampler->set_step_listener(
        [this](std::vector<measure::StepEvent> steps) { events_->offer(std::move(steps)); });
  }
  start_mqtt(*next, previous.get());  // before it is published: readers never see `mqtt` change
  start_webhook(*next, previous.get());
  if (auto http = config::http_config(next->config)) hosts_.set_configured(http->hosts);
  {
    std::lock_guard lock(mu_);
    pipeline_ = next;
  }
  if (next->source_error.ok()) {
    next->sampler->start();
    notifier_.set_status("measuring and serving");
  } else {
    notifier_.set_status("serving, not measuring: " + next->source_error.message());
  }
  source_retry_->watch(next->source_error);
  uploads_->apply(next->config, {next->calculator, integrator_logs});
  updates_->configure(next->config);
}

Status Daemon::reopen_source() {
  std::lock_guard change(change_mu_);
  std::shared_ptr<Pipeline> waiting = current();
  if (waiting->source_error.ok()) return Status::Ok();  // a config change got there first
  auto next = build(waiting->config, waiting->config_text, unix_now_ns());
  if (!next) return next.status();
  if (!next.value()->source_error.ok()) return next.value()->source_error;
  record_source_of(*next.value());
  switch_to(next.value());
  spdlog::info("adc: opened; sampling {}", next.value()->sampler->source_description());
  return Status::Ok();
}

void Daemon::record_source_of(const Pipeline& p) const {
  // Nothing is logged until the ADC opens, so a waiting daemon leaves the mark as it is: the
  // owner may still switch to the simulator without --confirm-source.
  if (!p.source_error.ok()) return;
  app::record_source(options_.data_dir, app::source_of(options_, p.config));
}

void Daemon::roll_back_to(const Pipeline& previous, int64_t start_ns) {
  auto again = build(previous.config, previous.config_text, start_ns);
  if (!again) {
    spdlog::error("config: cannot restart the previous configuration either: {}", again.error());
    return;
  }
  switch_to(again.value());
}

void Daemon::stop_measuring() {
  // First: an attempt in progress may switch pipelines.
  if (source_retry_) source_retry_->stop();
  uploads_->stop();
  std::shared_ptr<Pipeline> p = current();
  if (p->mqtt) p->mqtt->stop();
  if (p->webhook) p->webhook->stop();
  p->sampler->stop();
  // The counters of the last checkpoint, for the next start (datalog/stop_record.h); none when
  // the sampler never reached one.
  const app::SamplerSnapshot last = p->sampler->snapshot();
  datalog_->stop(measure::Checkpoint{last.time_ns, last.counters});
  if (events_) events_->stop();
}

void Daemon::apply_realtime_process(const app::RealtimePlan& plan) const {
  if (!plan.fifo) return;
  if (Status st = app::lock_memory(); !st.ok()) spdlog::warn("sampler: {}", st.message());
  if (plan.cpu >= 0 && plan.exclusive_cpu) {
    if (Status st = app::keep_off_cpu(plan.cpu); !st.ok()) {
      spdlog::warn("cannot keep the other threads off CPU {}: {}", plan.cpu, st.message());
    } else {
      spdlog::info("CPU {} is the sampling thread's; the daemon's other threads keep off it", plan.cpu);
    }
  }
}

void Daemon::start_mqtt(Pipeline& p, const Pipeline* previous) const {
  if (!p.mqtt_config) return;
  app::MqttEventSource events;
  if (events_) events.log = &events_->log();
  if (previous != nullptr && previous->mqtt) events.after = previous->mqtt->events_after();
  auto mqtt = app::MqttService::Start(p.config, *p.mqtt_config, p.calculator, *p.sampler, *datalog_, p.tariff, events);
  if (!mqtt) {
    spdlog::error("{} (MQTT stays off until the config changes)", mqtt.error());
    return;
  }
  p.mqtt = std::move(mqtt.value());
}

void Daemon::start_webhook(Pipeline& p, const Pipeline* previous) const {
  if (!p.webhook_config) return;
  app::WebhookEventSource events;
  if (events_) events.log = &events_->log();
  if (previous != nullptr && previous->webhook) events.after = previous->webhook->events_after();
  p.webhook = app::WebhookService::Start(p.config, *p.webhook_config, *p.sampler, events);
}

std::string Daemon::metrics() const {
  std::shared_ptr<Pipeline> p = current();
  std::optional<app::MqttStatus> mqtt;
  if (p->mqtt) mqtt = p->mqtt->status();
  server::MetricsModel model =
      views::metrics_model(p->config, shown_snapshot(*p), datalog_->status(), start_time_ns_ / 1'000'000'000, mqtt);
  if (const server::HttpServer* http = http_.load()) model.http = http->counters();
  add_source_state(model.sampling, source_retry_->state());
  return server::render_metrics(model);
}

server::ConfigWriteResult Daemon::apply(const std::string& text, bool save,
                                        const std::optional<server::ConfigConfirmations>& confirmed) {
  std::lock_guard change(change_mu_);
  std::vector<std::string> notes;
  auto cfg = app::parse_and_check(text, &notes);
  if (!cfg) return {Status::InvalidArgument(cfg.error()), ""};
  // A new config (POST /config) with an uploader the uploader would refuse is refused; one
  // read again from disk (restart) runs with that uploader shown "invalid", as at start-up.
  if (save) {
    if (Status st = app::check_uploaders(cfg.value()); !st) return {st, ""};
  }
  std::shared_ptr<Pipeline> previous = current();
  const datalog::DataSource source = app::source_of(options_, cfg.value());
  if (confirmed) {
    auto refused = app::check_confirmed({previous->config, app::source_of(options_, previous->config)},
                                        {cfg.value(), source}, *confirmed);
    if (!refused.confirm.empty()) return refused;
  }
  const bool source_confirmed = options_.confirm_source || (confirmed && confirmed->source);
  if (Status st = app::check_source(options_.data_dir, source, source_confirmed); !st) return {st, ""};
  const int64_t start_ns = std::max(unix_now_ns(), previous->sampler->snapshot().time_ns);
  // The new source may need what the old one holds (an SPI device), so the old one stops first
  // and comes back when the new one cannot start.
  previous->sampler->stop();
  auto next = build(std::move(cfg.value()), text, start_ns);
  if (!next) {
    roll_back_to(*previous, start_ns);
    return {Status::InvalidArgument("cannot start with the new config: " + next.error()), ""};
  }
  if (save) {
    if (Status st = app::save_config_text(app::config_path_of(options_), text); !st) {
      roll_back_to(*previous, start_ns);
      return {st, ""};
    }
  }
  record_source_of(*next.value());
  switch_to(next.value());
  spdlog::info("config: applied a new configuration ({} bytes)", text.size());
  return {};
}

server::ConfigWriteResult Daemon::replace_config(const std::string& text,
                                                 const server::ConfigConfirmations& confirmed) {
  return apply(text, true, confirmed);
}

Status Daemon::restart() {
  auto loaded = load_initial();
  if (!loaded) return loaded.status();
  if (!loaded->config) return apply(current()->config_text, false, std::nullopt).status;
  return apply(loaded->text, false, std::nullopt).status;
}

Result<views::Waveform> Daemon::waveform(int channel) {
  std::shared_ptr<Pipeline> p = current();
  // Three cycles at 50 Hz; a real-time source delivers them in 60 ms.
  const auto blocks = p->sampler->capture(0.06, std::chrono::milliseconds(2000));
  return views::extract_waveform(blocks, p->setup, channel);
}

views::QueryScope Daemon::query_scope() const {
  std::shared_ptr<Pipeline> p = current();
  int64_t now = unix_now_ns() / 1'000'000'000;
  if (p->simulated_time) now = std::max(now, p->sampler->snapshot().time_ns / 1'000'000'000);
  return views::QueryScope{p, {p->catalog.get(), p->zone.get(), records_.get(), now, p->tariff.get()}};
}

views::EventsScope Daemon::events_scope() const {
  views::QueryScope q = query_scope();
  std::shared_ptr<Pipeline> p = current();
  views::EventsScope scope{p, events_ ? &events_->log() : nullptr, p->zone.get(), q.env.now, {}};
  for (const auto& input : p->config.inputs) scope.names.push_back(input ? input->name : "");
  return scope;
}

server::StatusModel Daemon::status() const {
  std::shared_ptr<Pipeline> p = current();
  server::StatusModel m = p->status->build(shown_snapshot(*p), datalog_->status());
  const server::Credentials creds = auth_->credentials();
  m.admin_password = creds.has_admin();
  m.user_password = creds.has_user();
  m.local_access = creds.local_access;
  m.https_port = https_port_;
  m.tls_fingerprint = tls_fingerprint_;
  m.uploaders = uploads_->status();
  add_source_state(m.sampling, source_retry_->state());
  if (p->mqtt) m.uploaders.push_back(app::mqtt_uploader_entry(p->mqtt->status()));
  if (p->webhook) m.uploaders.push_back(app::webhook_uploader_entry(p->webhook->status()));
  m.update = updates_->status();
  return m;
}

server::HttpResponse Daemon::calibrate(const std::string& body) {
  auto refuse = [](int status, const std::string& why) {
    return server::HttpResponse::json(
        nlohmann::json{{"error", why}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
  };
  std::shared_ptr<Pipeline> p = current();
  auto request = app::parse_calibration_request(body, p->config);
  if (!request) return refuse(400, request.error());
  config::Reading reading;
  double measured_wh = 0;
  if (request->from_datalog()) {
    auto wh = app::energy_between(*records_, request->channels, request->begin, request->end);
    if (!wh) return refuse(422, wh.error());
    measured_wh = wh.value();
  } else {
    const double wall_s = options_.speed > 0 ? request->seconds / std::min(options_.speed, 1.0) : request->seconds;
    auto r = app::measure_reading(*p->sampler, static_cast<size_t>(request->measured_channel()), request->seconds,
                                  std::chrono::milliseconds(static_cast<int64_t>((wall_s + 5) * 1000)));
    if (!r) return refuse(422, r.error());
    if (current() != p) return refuse(409, "the configuration changed while measuring: measure again");
    reading = r.value();
  }
  auto answer = app::propose_calibration(p->config, request.value(), reading, measured_wh);
  if (!answer) return refuse(422, answer.error());
  nlohmann::json out = std::move(answer->body);
  out["applied"] = false;
  if (request->apply) {
    const std::string text = app::config_json_with(p->config, answer->inputs).dump(2) + "\n";
    server::ConfigWriteResult applied = apply(text, true, server::ConfigConfirmations{});
    if (!applied.status) return refuse(400, "not applied: " + applied.status.message());
    out["applied"] = true;
    spdlog::info("calibrate: {} of {} applied", request->step, out["name"].get<std::string>());
  }
  return server::HttpResponse::json(out.dump());
}

server::HttpResponse Daemon::change_passwords(const std::string& body) {
  std::lock_guard lock(passwords_mu_);
  const server::AuthReply reply = server::change_passwords(
      body, auth_->credentials(), current()->config.device.name, [this](const server::Credentials& creds) {
        if (Status st = passwords_->save(creds); !st) {
          spdlog::error("auth: {}", st.message());
          return st;
        }
        auth_->set_credentials(creds);
        spdlog::info("auth: passwords changed (admin {}, user {})", creds.has_admin() ? "set" : "none",
                     creds.has_user() ? "set" : "none");
        return Status::Ok();
      });
  return server::HttpResponse::text(reply.status, reply.body);
}

std::shared_ptr<server::StaticFiles> Daemon::static_files() const {
  auto files = std::make_shared<server::StaticFiles>();
  if (options_.web_dir.empty()) {
    spdlog::error(
        "web app: not found (no share/iotawatt/web beside the program); the API answers, the pages do "
        "not: reinstall the package, or pass --web DIR");
  } else {
    files->mount("/", options_.web_dir);
    views::mount_web_vendor(*files, options_.web_dir);
  }
  for (const char* dir : {"graphs", "user"}) {
    std::error_code ec;
    std::filesystem::create_directories(options_.data_dir + "/" + dir, ec);
    files->mount(std::string("/") + dir + "/", options_.data_dir + "/" + dir);
  }
  files->mount("/iotawatt/", app::message_log_dir(options_.data_dir));
  return files;
}

// The TLS identity of --https: the admin's files, or one made and kept in <data>/tls/.
Result<server::TlsIdentity> tls_identity(const app::RunOptions& options) {
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty()) {
      return Status::InvalidArgument(
          "--tls-cert and --tls-key go together (or give neither for a self-signed certificate)");
    }
    return server::load_tls_identity(options.tls_cert, options.tls_key);
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const std::string name = host[0] ? host : "iotawatt";
  return server::self_signed_tls_identity(options.data_dir + "/tls", {name, name + ".local", "localhost"});
}

// HTTPS first: once the plain port answers (what clients and tests wait for), /status already
// names the HTTPS port and fingerprint.
Status Daemon::start_listeners(server::HttpServer& http) {
  if (!options_.https.empty()) {
    auto identity = tls_identity(options_);
    if (!identity) return Status::InvalidArgument("--https: " + identity.error());
    tls_fingerprint_ = identity.value().fingerprint;
    if (Status st = http.start_tls(options_.https, identity.value()); !st) return st;
    https_port_ = http.tls_port();
    spdlog::info("https: certificate {} SHA-256 fingerprint {}", identity.value().source, tls_fingerprint_);
  }
  return http.start(options_.http);
}

int Daemon::run(const sigset_t& signals) {
  auto loaded = load_initial();
  if (!loaded) {
    spdlog::error("refusing to start: {}", loaded.error());
    return 2;
  }
  auto first = build(std::move(loaded->config), std::move(loaded->text), unix_now_ns());
  if (!first) {
    spdlog::error("refusing to start: {}", first.error());
    return 2;
  }
  // Before anything is logged: simulated data never follows an ADC board's unconfirmed.
  const datalog::DataSource source = app::source_of(options_, first.value()->config);
  if (Status st = app::check_source(options_.data_dir, source, options_.confirm_source); !st) {
    spdlog::error("refusing to start: {}", st.message());
    return 2;
  }
  record_source_of(*first.value());
  // Before any other thread starts (datalog, uploads, HTTP): they inherit the main thread's CPUs.
  apply_realtime_process(first.value()->realtime);
  auto logs =
      app::DatalogService::Open(options_.data_dir, datalog::settings_of(first.value()->config), first.value()->layout);
  if (!logs) {
    spdlog::error("refusing to start: --data {}: {}", options_.data_dir, logs.error());
    return 2;
  }
  datalog_ = std::move(logs.value());
  // Step events are kept when their log opens; measuring and serving never depend on it.
  if (auto events = app::EventService::Open(options_.data_dir)) {
    events_ = std::move(events.value());
  } else {
    spdlog::error("events: {} (step events are not kept until the daemon starts with it fixed)", events.error());
  }
  records_ = std::make_unique<query::LogRecordSource>(&datalog_->current(), &datalog_->history());
  uploads_ = std::make_unique<app::UploadService>(options_.data_dir, *records_, *datalog_);
  if (auto resume = datalog_->resume_point()) {
    spdlog::info("datalog: continuing the counters of {} at {}",
                 datalog_->resumes_from_stop() ? "the clean stop" : "the record", resume->time);
    // Simulated time (--speed) may have run ahead of the wall clock before a restart: it
    // continues after the last record instead of waiting for the wall clock to catch up.
    const int64_t after_ns = (resume->time + 1) * 1'000'000'000;
    if (first.value()->simulated_time && after_ns > unix_now_ns()) {
      auto again = build(first.value()->config, first.value()->config_text, after_ns);
      if (!again) {
        spdlog::error("refusing to start: {}", again.error());
        return 2;
      }
      first = std::move(again);
    }
  }
  passwords_ = std::make_unique<server::PasswordStore>(options_.data_dir);
  auto creds = passwords_->load(first.value()->config.device.name);
  if (!creds) {
    spdlog::error("refusing to start: {} (remove it to clear the passwords)", creds.error());
    return 2;
  }
  auth_ = std::make_unique<server::DigestAuth>(creds.value());
  server::Routes routes = views::api_routes(*this, static_files());
  views::add_web_routes(routes, options_.data_dir + "/graphs");
  updates_ = std::make_unique<app::UpdateService>(options_.data_dir, update_probes(), [this] {
    restart_requested_ = true;
    ::kill(::getpid(), SIGTERM);  // to the process: the main thread's sigwait() takes it
  });
  // Measuring starts before serving: every request finds a pipeline, and a new integrator's
  // catch-up (switch_to) is done before the first query.
  datalog_->start();
  if (events_) events_->start();
  source_retry_ = std::make_unique<app::SourceRetry>(
      app::SourceRetryOptions{.longest = options_.adc_retry_longest}, [this] { return reopen_source(); },
      [this] { notifier_.on_source_wait(); });
  switch_to(first.value());
  server::HttpServer http(std::move(routes), views::api_authorizer(*auth_, hosts_));
  http_ = &http;
  if (Status st = start_listeners(http); !st) {
    http_ = nullptr;
    spdlog::error("refusing to start: {}", st.message());
    stop_measuring();
    return 2;
  }
  spdlog::info("iotawatt {}: {} {} ({}), serving http://{}{}", app::running_version(),
               first.value()->source_error.ok() ? "sampling" : "waiting for",
               first.value()->sampler->source_description(), first.value()->status->mode(), options_.http,
               options_.https.empty() ? "" : " and https://" + options_.https);
  notifier_.serving();
  updates_->start();

  int received = 0;
  sigwait(&signals, &received);
  const bool restart = restart_requested_;
  spdlog::info("{}, stopping", restart               ? "restarting for the updater"
                               : received == SIGTERM ? "received SIGTERM"
                                                     : "received SIGINT");
  updates_->stop();
  http.stop();
  http_ = nullptr;
  stop_measuring();
  spdlog::info("stopped cleanly");
  return restart ? kRestartForUpdate : 0;
}

std::vector<measure::ChannelCounters> Daemon::resume_counters(const Pipeline* previous,
                                                              const datalog::Layout& next) const {
  std::vector<measure::ChannelCounters> counters = datalog_->resume_counters(next.size());
  if (previous == nullptr) return counters;
  // Empty when the previous sampler never reached a checkpoint (an ADC that did not open).
  const std::vector<measure::ChannelCounters> carried = previous->sampler->snapshot().counters;
  for (size_t ch = 0; ch < next.size() && ch < carried.size(); ++ch) counters[ch] = carried[ch];
  return counters;
}

// Healthy for the updater: checkpointing, a record logged by this run, and HTTP answering.
app::UpdateService::Probes Daemon::update_probes() const {
  const int64_t started_s = start_time_ns_ / 1'000'000'000;
  return {[this] { return !current()->sampler->snapshot().values.empty(); },
          [this, started_s] {
            const std::optional<int64_t> last = datalog_->current().last_time();
            return last && *last >= started_s;
          },
          options_.http};
}

}  // namespace

// The HTTP edge admits up to EdgeLimits::connections_total connections besides the logs and
// uploaders: the soft limit of open files (often 1024) is raised to the hard one.
namespace {

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) spdlog::warn("cannot raise the open file limit: {}", strerror(errno));
}

}  // namespace

int run_daemon(const app::RunOptions& options) {
  app::create_data_dir(options.data_dir);
  app::setup_logging(options.data_dir);
  for (const std::string& note : options.startup_notes) spdlog::warn("{}", note);
  app::restrict_private_files(options);
  // Signals are taken by sigwait(); every thread started from here inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A file-size limit must fail the write (EFBIG, reported by the datalog) rather than kill
  // the daemon.
  signal(SIGXFSZ, SIG_IGN);
  raise_open_file_limit();
  Daemon daemon(options);
  return daemon.run(signals);
}

}  // namespace iw::daemon
