#include "server/static_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

namespace iw::server {
namespace fs = std::filesystem;
namespace {

bool has_dot_segment(const std::string& path) {
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    const std::string_view segment(path.data() + pos, next - pos);
    if (segment == ".." || segment == ".") return true;
    pos = next + 1;
  }
  return path.find('\0') != std::string::npos || path.find('\\') != std::string::npos;
}

// True when `file` (canonical) is `root` (canonical) or below it.
bool inside(const fs::path& root, const fs::path& file) {
  auto r = root.begin();
  auto f = file.begin();
  for (; r != root.end(); ++r, ++f) {
    if (f == file.end() || *r != *f) return false;
  }
  return true;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The original's textpos: from byte n (negative: n from the end), advanced past the next
// newline so the text starts on a line.
HttpResponse text_from(const std::string& content, const std::string& textpos) {
  long long pos = 0;
  try {
    pos = std::stoll(textpos);
  } catch (...) {
    return HttpResponse::text(400, "textpos must be a number of bytes (negative: from the end)");
  }
  const auto size = static_cast<long long>(content.size());
  if (pos < 0) pos = std::max(0LL, size + pos);
  if (pos > size) pos = size;
  if (pos > 0) {
    const size_t newline = content.find('\n', static_cast<size_t>(pos - 1));
    pos = newline == std::string::npos ? size : static_cast<long long>(newline) + 1;
  }
  return HttpResponse::text(200, content.substr(static_cast<size_t>(pos)));
}

}  // namespace

std::string content_type_for(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {{".htm", "text/html"},
                                                               {".html", "text/html"},
                                                               {".css", "text/css"},
                                                               {".js", "application/javascript"},
                                                               {".mjs", "application/javascript"},
                                                               {".json", "application/json"},
                                                               {".svg", "image/svg+xml"},
                                                               {".png", "image/png"},
                                                               {".gif", "image/gif"},
                                                               {".jpg", "image/jpeg"},
                                                               {".ico", "image/x-icon"},
                                                               {".xml", "text/xml"},
                                                               {".pdf", "application/pdf"},
                                                               {".zip", "application/zip"},
                                                               {".woff2", "font/woff2"},
                                                               {".webmanifest", "application/manifest+json"}};
  for (const auto& [ext, type] : kTypes) {
    if (path.ends_with(ext)) return type;
  }
  return "text/plain";
}

void StaticFiles::mount(std::string prefix, std::string dir) { mounts_.push_back({std::move(prefix), std::move(dir)}); }

const StaticFiles::Mount* StaticFiles::mount_for(const std::string& url_path) const {
  const Mount* best = nullptr;
  for (const Mount& m : mounts_) {
    const bool match = url_path.compare(0, m.prefix.size(), m.prefix) == 0 || url_path + "/" == m.prefix;
    if (match && (best == nullptr || m.prefix.size() > best->prefix.size())) best = &m;
  }
  return best;
}

std::optional<std::string> StaticFiles::resolve(const std::string& url_path) const {
  if (url_path.empty() || url_path[0] != '/' || has_dot_segment(url_path)) return std::nullopt;
  const Mount* m = mount_for(url_path);
  if (m == nullptr) return std::nullopt;
  const std::string rest = url_path.size() > m->prefix.size() ? url_path.substr(m->prefix.size()) : "";
  std::error_code ec;
  const fs::path root = fs::canonical(m->dir, ec);
  if (ec) return std::nullopt;
  const fs::path file = fs::weakly_canonical(root / rest, ec);
  if (ec || !inside(root, file)) return std::nullopt;
  return file.string();
}

HttpResponse StaticFiles::serve(const HttpRequest& request) const {
  std::string url = request.path;
  bool as_source = false;
  if (url.ends_with(".src")) {
    url.resize(url.size() - 4);
    as_source = true;
  }
  if (has_dot_segment(url)) return HttpResponse::text(403, "Forbidden: path outside the web root");
  auto path = resolve(url);
  if (!path) return HttpResponse::text(404, "Not Found");
  std::error_code ec;
  if (fs::is_directory(*path, ec)) {
    for (const char* index : {"index.html", "index.htm"}) {
      if (fs::exists(fs::path(*path) / index, ec)) {
        path = (fs::path(*path) / index).string();
        break;
      }
    }
  }
  if (!fs::is_regular_file(*path, ec)) return HttpResponse::text(404, "Not Found");
  auto content = read_file(*path);
  if (!content) return HttpResponse::text(404, "Not Found");
  if (request.has("textpos")) return text_from(*content, request.arg("textpos"));
  HttpResponse r = HttpResponse::text(200, std::move(*content), content_type_for(*path));
  if (as_source) r.content_type = "text/plain";
  if (request.arg("download") == "true") {
    r.content_type = "application/octet-stream";
  }
  return r;
}

std::string listed_directory(std::string dir) {
  if (dir.empty() || dir[0] != '/') dir = "/" + dir;
  if (dir.back() != '/') dir += '/';
  return dir;
}

HttpResponse StaticFiles::list(const HttpRequest& request) const {
  if (!request.has("dir")) return HttpResponse::text(500, "BAD ARGS");
  const std::string dir = listed_directory(request.arg("dir"));
  auto path = resolve(dir);
  std::error_code ec;
  if (!path || !fs::is_directory(*path, ec)) return HttpResponse::text(500, "BAD PATH");
  std::vector<std::string> dirs, files;
  for (const auto& entry : fs::directory_iterator(*path, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    (entry.is_directory(ec) ? dirs : files).push_back(name);
  }
  for (const Mount& m : mounts_) {  // mount points show as directories of their parent
    if (m.prefix.size() > dir.size() && m.prefix.compare(0, dir.size(), dir) == 0) {
      const std::string child = m.prefix.substr(dir.size(), m.prefix.size() - dir.size() - 1);
      if (child.find('/') == std::string::npos) dirs.push_back(child);
    }
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  std::sort(files.begin(), files.end());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : dirs) out.push_back({{"type", "dir"}, {"name", d}});
  for (const auto& f : files) out.push_back({{"type", "file"}, {"name", f}});
  return HttpResponse::json(out.dump());
}

}  // namespace iw::server
