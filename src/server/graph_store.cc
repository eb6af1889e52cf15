#include "server/graph_store.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/json_read.h"
#include "server/config_endpoint.h"

namespace iw::server {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The posted graph: the decoded form field, else the raw body after "data=" (the original's
// pages do not URL-encode it, so a '+' or '&' inside would be mangled by form decoding).
std::string posted_data(const HttpRequest& request) {
  std::string data = request.arg("data");
  if (read_json(data).ok()) return data;
  constexpr std::string_view kField = "data=";
  if (request.body.compare(0, kField.size(), kField) == 0) return request.body.substr(kField.size());
  return data;
}

// A file name the store may touch: "<letters, digits, - and _>.txt", nothing that climbs out.
bool plain_id(const std::string& id) {
  if (id.size() < 5 || id.substr(id.size() - 4) != ".txt") return false;
  return std::all_of(id.begin(), id.end() - 4,
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

HttpResponse success(const std::string& message) {
  return HttpResponse::json(json{{"success", true}, {"message", message}}.dump());
}

}  // namespace

struct GraphStore::SavedGraph {
  std::string id;
  json doc;
};

std::vector<GraphStore::SavedGraph> GraphStore::saved_graphs() const {
  std::vector<SavedGraph> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_regular_file() || !plain_id(id)) continue;
    const std::string path = entry.path().string();
    Result<std::string> text = read_file(path, kMaxGraphBytes);
    if (!text) {
      set_aside(path, text.error());
      continue;
    }
    JsonRead doc = read_json(text.value());
    if (!doc.ok()) {
      set_aside(path, doc.error->message());
    } else if (!doc.value.is_object()) {
      set_aside(path, "not a JSON object");
    } else {
      out.push_back({id, std::move(doc.value)});
    }
  }
  std::sort(out.begin(), out.end(), [](const SavedGraph& a, const SavedGraph& b) { return a.id < b.id; });
  return out;
}

void GraphStore::set_aside(const std::string& path, const std::string& why) const {
  Result<std::string> moved = iw::set_aside(path);
  // Two readers may find the same file at once: the one that lost the rename stays silent.
  if (!moved && !std::filesystem::exists(path)) return;
  const std::string what = moved ? "set aside as " + moved.value() : "left in place (" + moved.error() + ")";
  if (report_) report_("graph: " + path + " is not a saved graph (" + why + "); " + what);
}

// The first 6 bytes of the digest are the first 8 characters of its base64 (3 bytes make 4
// characters, independently of what follows).
std::string graph_file_name(const std::string& name) { return config_sha256(name).substr(0, 8) + ".txt"; }

HttpResponse GraphStore::create(const HttpRequest& request) const {
  const std::string data = posted_data(request);
  const JsonRead read = read_json(data);
  if (!read.ok()) return HttpResponse::text(400, "graph: data: " + read.error->message());
  const json& doc = read.value;
  if (!doc.is_object() || !doc.contains("name") || !doc["name"].is_string() || doc["name"].get<std::string>().empty()) {
    return HttpResponse::text(400, "graph: data must be a JSON object with a \"name\" string");
  }
  const std::string id = graph_file_name(doc["name"].get<std::string>());
  std::error_code ec;
  fs::create_directories(dir_, ec);
  const fs::path path = fs::path(dir_) / id;
  const fs::path tmp = fs::path(dir_) / (id + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << data;
    if (!out.flush()) return HttpResponse::text(500, "Couldn't create file.");
  }
  fs::rename(tmp, path, ec);
  if (ec) return HttpResponse::text(500, "Couldn't create file.");
  return success("graph saved id:" + id);
}

HttpResponse GraphStore::remove(const HttpRequest& request) const {
  const std::string id = request.arg("id");
  if (!plain_id(id)) return HttpResponse::text(400, "graph: id must be a saved graph's file name, e.g. AbCdEfGh.txt");
  std::error_code ec;
  fs::remove(fs::path(dir_) / id, ec);
  return success("deleted");
}

HttpResponse GraphStore::get_all() const {
  json out = json::array();
  for (SavedGraph& g : saved_graphs()) {
    if (!g.doc.contains("start")) continue;
    g.doc["id"] = g.id;
    out.push_back(std::move(g.doc));
  }
  return HttpResponse::json(out.dump());
}

HttpResponse GraphStore::get_all_plus() const {
  std::vector<SavedGraph> graphs = saved_graphs();
  std::erase_if(graphs, [](const SavedGraph& g) { return g.doc.contains("start") || !g.doc["name"].is_string(); });
  std::sort(graphs.begin(), graphs.end(), [](const SavedGraph& a, const SavedGraph& b) {
    return a.doc["name"].get<std::string>() < b.doc["name"].get<std::string>();
  });
  json out = json::array();
  for (const SavedGraph& g : graphs) out.push_back({{"name", g.doc["name"]}, {"id", g.id}});
  return HttpResponse::json(out.dump());
}

}  // namespace iw::server
