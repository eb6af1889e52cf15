// The daemon's HTTP API: which path runs what (firmware reference 6.1 plus our additions), over
// an ApiBackend that the daemon implements. Handlers run on server threads.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "query/query.h"
#include "server/auth/digest_auth.h"
#include "server/config_endpoint.h"
#include "server/host_allow_list.h"
#include "server/http.h"
#include "server/http_server.h"
#include "server/static_files.h"
#include "server/status.h"
#include "views/events_view.h"
#include "views/scope.h"

namespace iw::views {

// What queries run against, with the owner that keeps it alive while an answer streams.
struct QueryScope {
  std::shared_ptr<const void> owner;
  query::QueryEnvironment env;
};

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;
  virtual server::StatusModel status() const = 0;
  virtual std::string config_text() const = 0;
  // Validates, saves and applies a new config; on error the running one stays. A config that
  // drops every input or switches the sample source is refused unless `confirmed` covers it
  // (server/config_endpoint.h).
  virtual server::ConfigWriteResult replace_config(const std::string& text,
                                                   const server::ConfigConfirmations& confirmed) = 0;
  // Re-reads the config file and restarts measurement (the original reboots).
  virtual Status restart() = 0;
  // A few cycles of one input's samples for a scope view.
  virtual Result<Waveform> waveform(int channel) = 0;
  virtual QueryScope query_scope() const = 0;
  // GET /events (events_view.h).
  virtual EventsScope events_scope() const = 0;
  // POST /calc/preview (script_preview.h).
  virtual server::HttpResponse preview_script(const std::string& body) const = 0;
  // POST /auth: the body as the original's web app sends it.
  virtual server::HttpResponse change_passwords(const std::string& body) = 0;
  // POST /upload/test: asks the server of one uploader config (the body) for its last point.
  virtual server::HttpResponse test_uploader(const std::string& body) = 0;
  // POST /calibrate: one calibration step measured live (calibration_service.h). Blocks its
  // worker for the measuring time (a few seconds).
  virtual server::HttpResponse calibrate(const std::string& body) = 0;
  // GET /metrics: the Prometheus exposition text (server/metrics.h).
  virtual std::string metrics() const = 0;
};

// `files` must outlive the routes.
server::Routes api_routes(ApiBackend& backend, std::shared_ptr<const server::StaticFiles> files);

// In front of the routes, on the request head: the guard against DNS rebinding and cross-site
// writes (server/request_guard.h, Host checked against `hosts`), then digest authentication:
// each request needs the level server::access_for() gives its method and path. Both arguments
// must outlive the authorizer.
server::Authorizer api_authorizer(server::DigestAuth& auth, const server::HostAllowList& hosts);

}  // namespace iw::views
