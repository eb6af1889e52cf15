#include "views/api_routes.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "query/energy_summary.h"
#include "query/feed.h"
#include "server/auth/access_level.h"
#include "server/config_endpoint.h"
#include "server/metrics.h"
#include "server/page_headers.h"
#include "server/request_guard.h"

namespace iw::views {
namespace {

server::HttpResponse answer_response(query::QueryAnswer answer, std::shared_ptr<const void> owner) {
  server::HttpResponse r;
  r.status = answer.status;
  r.content_type = answer.content_type;
  if (!answer.stream) {
    r.body = std::move(answer.body);
    return r;
  }
  r.stream = [stream = std::move(answer.stream), owner = std::move(owner)](const server::BodyWriter& write) {
    if (const Status st = stream(write); !st) spdlog::info("query: answer cut short: {}", st.message());
  };
  return r;
}

server::HttpResponse query_response(const ApiBackend& backend, const server::HttpRequest& request) {
  QueryScope scope = backend.query_scope();
  return answer_response(query::answer_query(request.params, scope.env), std::move(scope.owner));
}

server::HttpResponse feed_response(const ApiBackend& backend, const server::HttpRequest& request) {
  QueryScope scope = backend.query_scope();
  return answer_response(query::answer_feed(request.params, scope.env), std::move(scope.owner));
}

server::HttpResponse status_response(const ApiBackend& backend, const server::HttpRequest& request) {
  server::Sections sections;
  for (const auto& [key, value] : request.params) sections.insert(key);
  return server::HttpResponse::json(server::render_status(backend.status(), sections).dump());
}

// /command?sample=<channel>[&format=json]
server::HttpResponse sample_response(ApiBackend& backend, const server::HttpRequest& request) {
  const std::string arg = request.arg("sample");
  int channel = -1;
  const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), channel);
  if (ec != std::errc() || end != arg.data() + arg.size()) {
    return server::HttpResponse::text(400, "sample: '" + arg + "' is not a channel number");
  }
  auto wave = backend.waveform(channel);
  if (!wave) return server::HttpResponse::text(400, wave.error());
  if (request.arg("format") == "json") return server::HttpResponse::json(waveform_json(wave.value()).dump());
  return server::HttpResponse::text(200, waveform_text(wave.value()));
}

// /command?restart (POST only: a link or an <img> must not restart measuring) and
// /command?sample (reads, any method).
server::HttpResponse command_response(ApiBackend& backend, const server::HttpRequest& request) {
  if (request.has("restart")) {
    if (request.method != "POST") {
      server::HttpResponse refused = server::HttpResponse::text(
          405, "restart changes state: send it as POST /command?restart (GET /command only reads, ?sample)");
      refused.headers.emplace_back("Allow", "POST");
      return refused;
    }
    spdlog::info("Restart command received.");
    if (Status st = backend.restart(); !st) return server::HttpResponse::text(500, st.message());
    return server::HttpResponse::text(200, "ok");
  }
  if (request.has("sample")) return sample_response(backend, request);
  return server::HttpResponse::text(400, "Unrecognized request");
}

}  // namespace

server::Routes api_routes(ApiBackend& backend, std::shared_ptr<const server::StaticFiles> files) {
  using server::HttpRequest;
  using server::HttpResponse;
  server::Routes routes;
  auto config = std::make_shared<server::ConfigEndpoint>(
      server::ConfigAccess{[&backend] { return backend.config_text(); },
                           [&backend](const std::string& text, const server::ConfigConfirmations& confirmed) {
                             return backend.replace_config(text, confirmed);
                           }});

  routes.add("GET", "/status", [&backend](const HttpRequest& r) { return status_response(backend, r); });
  routes.add("GET", "/nullreq", [](const HttpRequest&) { return HttpResponse::text(200, ""); });
  for (const char* method : {"GET", "POST"}) {
    routes.add(method, "/command", [&backend](const HttpRequest& r) { return command_response(backend, r); });
  }
  routes.add("GET", "/config", [config](const HttpRequest& r) { return config->get(r); });
  routes.add("GET", "/config.txt", [config](const HttpRequest& r) { return config->get(r); });
  routes.add("POST", "/config", [config](const HttpRequest& r) { return config->post(r); });
  routes.add("GET", "/query", [&backend](const HttpRequest& r) { return query_response(backend, r); });
  routes.add("GET", "/events", [&backend](const HttpRequest& r) { return events_response(r, backend.events_scope()); });
  routes.add("GET", "/energy", [&backend](const HttpRequest& r) {
    QueryScope scope = backend.query_scope();
    return answer_response(query::answer_energy(r.params, scope.env), std::move(scope.owner));
  });
  routes.add("GET", "/feed/list.json", [&backend](const HttpRequest&) {
    return HttpResponse::json(query::feed_list_json(*backend.query_scope().env.catalog));
  });
  routes.add("GET", "/feed/data.json", [&backend](const HttpRequest& r) { return feed_response(backend, r); });
  routes.add("POST", "/auth", [&backend](const HttpRequest& r) { return backend.change_passwords(r.body); });
  routes.add("POST", "/calc/preview", [&backend](const HttpRequest& r) { return backend.preview_script(r.body); });
  routes.add("POST", "/calibrate", [&backend](const HttpRequest& r) { return backend.calibrate(r.body); });
  routes.add("POST", "/upload/test", [&backend](const HttpRequest& r) { return backend.test_uploader(r.body); });
  routes.add("GET", "/metrics", [&backend](const HttpRequest&) {
    return HttpResponse::text(200, backend.metrics(), server::kMetricsContentType);
  });
  routes.add("GET", "/list", [files](const HttpRequest& r) { return files->list(r); });
  routes.set_fallback([files, &backend](const HttpRequest& r) {
    if (r.method != "GET" && r.method != "HEAD") return server::not_found(r);
    // The original runs any GET with download=yes as a query, answered as a file.
    if (r.arg("download") == "yes") return query_response(backend, r);
    return server::with_page_headers(files->serve(r));
  });
  return routes;
}

}  // namespace iw::views

namespace iw::views {

server::Authorizer api_authorizer(server::DigestAuth& auth, const server::HostAllowList& hosts) {
  return [&auth, &hosts](const server::HttpRequest& r) -> std::optional<server::HttpResponse> {
    if (auto refused = server::guard_request(r, hosts)) return refused;
    const server::AuthDecision d =
        auth.check({r.method, r.target, r.header("Authorization"), r.remote_addr}, server::access_for(r));
    if (d.allowed) return std::nullopt;
    server::HttpResponse refused = server::HttpResponse::text(d.status, d.body, d.content_type);
    refused.headers = d.headers;
    return refused;
  };
}

}  // namespace iw::views
