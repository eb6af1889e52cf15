#include "server/access_level.h"

#include <array>

namespace iw::server {
namespace {

struct Route {
  std::string_view method;
  std::string_view path;
  Access access;
};

constexpr std::array kRoutes = {
    Route{"GET", "/status", Access::kUser},
    Route{"GET", "/vcal", Access::kAdmin},
    Route{"GET", "/command", Access::kAdmin},
    Route{"GET", "/list", Access::kUser},
    Route{"DELETE", "/edit", Access::kAdmin},
    Route{"PUT", "/edit", Access::kAdmin},
    Route{"POST", "/edit", Access::kAdmin},
    Route{"GET", "/feed/list.json", Access::kUser},
    Route{"GET", "/feed/data.json", Access::kUser},
    Route{"POST", "/graph/create", Access::kAdmin},
    Route{"POST", "/graph/update", Access::kAdmin},
    Route{"POST", "/graph/delete", Access::kAdmin},
    Route{"GET", "/graph/getall", Access::kUser},
    Route{"GET", "/graph/getallplus", Access::kUser},
    Route{"POST", "/auth", Access::kAdmin},
    Route{"GET", "/nullreq", Access::kUser},
    Route{"GET", "/query", Access::kUser},
    Route{"GET", "/DSTtest", Access::kUser},
    Route{"GET", "/update", Access::kAdmin},
    // Ours, not in the original.
    Route{"GET", "/config", Access::kAdmin},
    Route{"POST", "/config", Access::kAdmin},
    Route{"GET", "/metrics", Access::kUser},
    Route{"POST", "/calc/preview", Access::kAdmin},  // the config editor's, with the config
};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Paths that could climb out of the directory they name get no user-level shortcut.
bool suspicious(std::string_view path) {
  return path.find("..") != std::string_view::npos || path.find("//") != std::string_view::npos ||
         path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos;
}

Access static_file_access(std::string_view path) {
  if (path.empty() || path.front() != '/' || suspicious(path)) return Access::kAdmin;
  if (starts_with(path, "/config")) return Access::kAdmin;
  if (starts_with(path, "/user/") || starts_with(path, "/graphs/")) return Access::kUser;
  // Ours: the web app's browser libraries (uPlot), read by every page.
  if (starts_with(path, "/vendor/")) return Access::kUser;
  const bool in_root = path.find('/', 1) == std::string_view::npos;
  return in_root ? Access::kUser : Access::kAdmin;
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

}  // namespace iw::server
