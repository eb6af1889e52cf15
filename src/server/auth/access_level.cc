#include "server/auth/access_level.h"

#include <array>

#include "server/static_files.h"

namespace iw::server {
namespace {

struct Route {
  std::string_view method;
  std::string_view path;
  Access access;
};

constexpr std::array kRoutes = {
    Route{"GET", "/status", Access::kUser}, Route{"GET", "/vcal", Access::kAdmin},
    Route{"GET", "/command", Access::kAdmin},
    Route{"GET", "/list", Access::kAdmin},  // user for its data directories: access_for(request)
    Route{"DELETE", "/edit", Access::kAdmin}, Route{"PUT", "/edit", Access::kAdmin},
    Route{"POST", "/edit", Access::kAdmin}, Route{"GET", "/feed/list.json", Access::kUser},
    Route{"GET", "/feed/data.json", Access::kUser}, Route{"POST", "/graph/create", Access::kAdmin},
    Route{"POST", "/graph/update", Access::kAdmin}, Route{"POST", "/graph/delete", Access::kAdmin},
    Route{"GET", "/graph/getall", Access::kUser}, Route{"GET", "/graph/getallplus", Access::kUser},
    Route{"POST", "/auth", Access::kAdmin}, Route{"GET", "/nullreq", Access::kUser},
    Route{"GET", "/query", Access::kUser}, Route{"GET", "/DSTtest", Access::kUser},
    Route{"GET", "/update", Access::kAdmin},
    // Ours, not in the original.
    Route{"GET", "/config", Access::kAdmin}, Route{"POST", "/config", Access::kAdmin},
    Route{"GET", "/metrics", Access::kUser}, Route{"GET", "/energy", Access::kUser},
    Route{"GET", "/events", Access::kUser},
    Route{"POST", "/calc/preview", Access::kAdmin},  // the config editor's, with the config
    Route{"POST", "/calibrate", Access::kAdmin},     // measures, and may change the config
    Route{"GET", "/tables.txt", Access::kUser},      // a file in the original, a route here
};

// What the web app's pages load. Anything else in the web directory is not the app.
constexpr std::array kAppFileTypes = {
    std::string_view(".html"), std::string_view(".htm"), std::string_view(".js"),    std::string_view(".mjs"),
    std::string_view(".css"),  std::string_view(".svg"), std::string_view(".png"),   std::string_view(".ico"),
    std::string_view(".gif"),  std::string_view(".jpg"), std::string_view(".woff2"), std::string_view(".webmanifest")};

bool app_file(std::string_view path) {
  if (path == "/") return true;
  for (std::string_view type : kAppFileTypes) {
    if (path.size() > type.size() && path.substr(path.size() - type.size()) == type) return true;
  }
  return false;
}

// Paths that could climb out of the directory they name get no user-level shortcut.
bool suspicious(std::string_view path) {
  return path.find("..") != std::string_view::npos || path.find("//") != std::string_view::npos ||
         path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos;
}

// The user role's data directories: every file in them is for reading.
bool user_data(std::string_view path) { return path.starts_with("/user/") || path.starts_with("/graphs/"); }

Access static_file_access(std::string_view path) {
  if (path.empty() || path.front() != '/' || suspicious(path)) return Access::kAdmin;
  if (path.starts_with("/config")) return Access::kAdmin;
  if (user_data(path)) return Access::kUser;
  // The app lives in the root directory; /vendor/ holds its browser libraries (uPlot).
  const bool in_root = path.find('/', 1) == std::string_view::npos;
  const bool app_place = in_root || path.starts_with("/vendor/");
  return app_place && app_file(path) ? Access::kUser : Access::kAdmin;
}

Access list_access(const HttpRequest& request) {
  if (!request.has("dir")) return Access::kAdmin;
  const std::string dir = listed_directory(request.arg("dir"));
  return !suspicious(dir) && user_data(dir) ? Access::kUser : Access::kAdmin;
}

bool is_route(std::string_view path) {
  for (const Route& r : kRoutes) {
    if (r.path == path) return true;
  }
  return false;
}

}  // namespace

Access access_for(std::string_view method, std::string_view path) {
  const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  bool known_path = false;
  for (const Route& r : kRoutes) {
    if (r.path != path) continue;
    if (r.method == effective) return r.access;
    known_path = true;
  }
  // A route's path with another method (GET /edit included, section 8.3) needs admin.
  if (known_path) return Access::kAdmin;
  return effective == "GET" ? static_file_access(path) : Access::kAdmin;
}

Access access_for(const HttpRequest& request) {
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (get && request.path == "/list") return list_access(request);
  if (get && request.arg("download") == "yes" && !is_route(request.path)) return Access::kUser;
  return access_for(request.method, request.path);
}

}  // namespace iw::server
