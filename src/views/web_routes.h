// The routes the web app needs beyond the original's status, query and config API: saved
// graphs (/graph/*, stored in <data>/graphs, served back under /graphs/) and the CT/VT model
// catalog as the original's /tables.txt. Kept apart from api_routes so the app's additions
// stay in one place.
#pragma once

#include <string>

#include "server/http.h"
#include "server/static_files.h"

namespace iw::views {

// Adds the routes to `routes`. `graphs_dir` is created on the first save.
void add_web_routes(server::Routes& routes, const std::string& graphs_dir);

// Mounts the vendored browser libraries (uPlot from npm, web/node_modules) under /vendor/.
void mount_web_vendor(server::StaticFiles& files, const std::string& web_dir);

}  // namespace iw::views
