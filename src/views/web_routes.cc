#include "views/web_routes.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "config/model_catalog.h"
#include "server/graph_store.h"

namespace iw::views {

void add_web_routes(server::Routes& routes, const std::string& graphs_dir) {
  using server::HttpRequest;
  using server::HttpResponse;
  auto graphs = std::make_shared<server::GraphStore>(graphs_dir, [](const std::string& m) { spdlog::warn("{}", m); });
  for (const char* path : {"/graph/create", "/graph/update"}) {
    routes.add("POST", path, [graphs](const HttpRequest& r) { return graphs->create(r); });
  }
  routes.add("POST", "/graph/delete", [graphs](const HttpRequest& r) { return graphs->remove(r); });
  routes.add("GET", "/graph/getall", [graphs](const HttpRequest&) { return graphs->get_all(); });
  routes.add("GET", "/graph/getallplus", [graphs](const HttpRequest&) { return graphs->get_all_plus(); });
  // The catalog the config is validated against, in the tables.txt shape the original's
  // config app loads at start-up.
  routes.add("GET", "/tables.txt",
             [](const HttpRequest&) { return HttpResponse::json(config::ModelCatalog::builtin().to_json().dump()); });
}

void mount_web_vendor(server::StaticFiles& files, const std::string& web_dir) {
  files.mount("/vendor/uplot/", web_dir + "/node_modules/uplot/dist");
}

}  // namespace iw::views
