#include "app/webhook_service.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "upload/curl_transport.h"
#include "upload/url.h"
#include "upload/webhook_request.h"

namespace iw::app {
namespace {

using std::chrono::milliseconds;

// How often an idle service looks for new events: steps are seconds apart at most speeds.
constexpr milliseconds kIdleWait{250};
// After the event log could not be read (a disk error), before trying again.
constexpr milliseconds kReadErrorWait{5000};
// The connection's share of a request's time, at most.
constexpr long kConnectTimeoutMs = 5000;  // NOLINT(runtime/int): libcurl's type

std::vector<std::string> input_names(const config::Config& config) {
  std::vector<std::string> names;
  for (const auto& input : config.inputs) names.push_back(input ? input->name : "");
  return names;
}

// host:port of the URL (never its path or query, which may hold a token), for messages.
std::string where_of(const std::string& url) {
  auto base = upload::parse_base_url(url);
  return base ? base.value().authority() : "the webhook";
}

int64_t unix_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::unique_ptr<WebhookService> WebhookService::Start(const config::Config& config,
                                                      const config::WebhookConfig& webhook, const Sampler& sampler,
                                                      WebhookEventSource events) {
  upload::TransportOptions options;
  options.cafile = webhook.ca_file;
  options.total_timeout_ms = webhook.timeout_s * 1000L;
  options.connect_timeout_ms = std::min(kConnectTimeoutMs, options.total_timeout_ms);
  options.abort = std::make_shared<std::atomic<bool>>(false);
  auto abort = options.abort;
  std::unique_ptr<WebhookService> s(new WebhookService(
      config, webhook, sampler, events, std::make_unique<upload::CurlTransport>(std::move(options)), abort));
  s->thread_ = std::thread([p = s.get()] { p->run(); });
  spdlog::info("webhook: posting step events to {}{}", s->where_, webhook.secret.empty() ? "" : ", signed");
  return s;
}

WebhookService::WebhookService(const config::Config& config, const config::WebhookConfig& webhook,
                               const Sampler& sampler, WebhookEventSource events,
                               std::unique_ptr<upload::Transport> transport, std::shared_ptr<std::atomic<bool>> abort)
    : webhook_(webhook),
      device_(config.device.name),
      names_(input_names(config)),
      where_(where_of(webhook.url)),
      sampler_(sampler),
      events_(events.log),
      transport_(std::move(transport)),
      backoff_(kRetryMinMs, kRetryMaxMs, std::random_device{}()),
      abort_(std::move(abort)) {
  // Events already in the log at start were the previous run's to deliver: a restart does not
  // send them again (a config change hands the previous service's place over).
  if (events_ != nullptr) events_after_ = events.after.value_or(events_->end());
}

WebhookService::~WebhookService() { stop(); }

void WebhookService::stop() {
  {
    std::lock_guard lock(wait_mu_);
    stop_ = true;
  }
  abort_->store(true);
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

WebhookStatus WebhookService::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

datalog::EventLogPosition WebhookService::events_after() const {
  std::lock_guard lock(status_mu_);
  return events_after_;
}

void WebhookService::run() {
  if (events_ == nullptr) return;  // no event log: nothing will ever be sent
  milliseconds wait{0};
  while (true) {
    {
      std::unique_lock lock(wait_mu_);
      if (wake_.wait_for(lock, wait, [this] { return stop_; })) return;
    }
    wait = turn();
  }
}

// The events after events_after_ (up to kEventsPerRequest, none older than kEventBacklog) as
// one request. The place moves only on a 2xx, so a failed batch is sent again from its start.
milliseconds WebhookService::turn() {
  const datalog::EventLogPosition after = events_after();
  if (events_->end() == after) return kIdleWait;
  const int64_t oldest_ns =
      sampler_.snapshot().time_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(kEventBacklog).count();
  auto tail = events_->read_after(after, oldest_ns, kEventsPerRequest);
  if (!tail) {
    if (tail.error() != read_error_) spdlog::warn("webhook: cannot read the event log: {}", tail.error());
    read_error_ = tail.error();
    return kReadErrorWait;
  }
  read_error_.clear();
  const datalog::EventTail& t = tail.value();
  if (t.older > 0) {
    spdlog::info("webhook: {} step event(s) older than {} h not sent ({} did not take them)", t.older,
                 kEventBacklog.count(), where_);
    std::lock_guard lock(status_mu_);
    status_.skipped += t.older;
  }
  if (t.events.empty()) {  // all stale: move past them
    std::lock_guard lock(status_mu_);
    events_after_ = t.next;
    return milliseconds{0};
  }
  const upload::HttpRequest request =
      upload::webhook_request(webhook_.url, upload::webhook_body(device_, t.events, names_), webhook_.secret);
  auto answer = transport_->send(request);
  if (!answer) return failed(answer.error());
  if (answer.value().status < 200 || answer.value().status > 299) {
    return failed("HTTP " + std::to_string(answer.value().status) + " from " + where_);
  }
  backoff_.reset();
  std::lock_guard lock(status_mu_);
  events_after_ = t.next;
  status_.delivered += t.events.size();
  status_.last_delivery = unix_now_s();
  status_.failures = 0;
  status_.last_error.clear();
  return t.more ? milliseconds{0} : kIdleWait;
}

milliseconds WebhookService::failed(const std::string& error) {
  const milliseconds wait{backoff_.next_ms()};
  std::lock_guard lock(status_mu_);
  if (status_.last_error != error) spdlog::warn("webhook: {}; trying again with backoff", error);
  status_.last_error = error;
  status_.failures = backoff_.failures();
  return wait;
}

server::UploaderEntry webhook_uploader_entry(const WebhookStatus& status) {
  server::UploaderEntry e;
  e.name = "webhook";
  e.type = "webhook";
  e.state = !status.last_error.empty() ? "retrying" : status.last_delivery > 0 ? "live" : "starting";
  e.last_post = status.last_delivery;
  e.last_error = status.last_error;
  e.events_delivered = status.delivered;
  e.events_skipped = status.skipped;
  return e;
}

}  // namespace iw::app
