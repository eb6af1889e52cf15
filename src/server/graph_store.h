// Saved graphs (firmware reference 6.2 and 11.4): the original's /graph/* API over one
// directory. A graph is the JSON text its page posted, kept as <dir>/<id>.txt where the id is
// the first 6 bytes of SHA-256 of the graph's name in URL-safe base64 (8 characters), so
// saving a graph of the same name replaces it. Graph+ graphs have no "start" key; the
// original graph page's do. Files are served back by the static mount /graphs/.
//
// A graph file is outside input like a request: it is read with a size limit and the JSON
// depth limit (base/json_read.h). One that cannot be read as a JSON object (damaged, or saved
// by a hostile client before the limit existed) is renamed to "<id>.txt.bad-<unix time>",
// reported, and left out of the lists; the others are still listed.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "server/http.h"

namespace iw::server {

// The largest graph file read back: what one request could have posted.
inline constexpr size_t kMaxGraphBytes = 1 << 20;

class GraphStore {
 public:
  // `report` hears of every graph file set aside, in a sentence naming both paths.
  explicit GraphStore(std::string dir, std::function<void(const std::string&)> report = {})
      : dir_(std::move(dir)), report_(std::move(report)) {}

  // POST /graph/create and /graph/update: form field `data` = the graph's JSON (a URL-encoded
  // form, or the raw `data=<JSON>` the original's jQuery pages send). 200
  // {"success":true,"message":"graph saved id:<id>"}; 400 when `data` is not JSON (the message
  // says where, e.g. "graph: data: nesting deeper than 64 levels at byte 321"), or not an object
  // with a string "name"; 500 when the file cannot be written.
  HttpResponse create(const HttpRequest& request) const;
  // POST /graph/delete: form `id=<id>.txt`. Always {"success":true,"message":"deleted"}, as
  // the original, except 400 for an id that is not a plain file name.
  HttpResponse remove(const HttpRequest& request) const;
  // GET /graph/getall: every original-graph file, each with ,"id":"<file>" added.
  HttpResponse get_all() const;
  // GET /graph/getallplus: [{"name","id"}] of every Graph+ graph, sorted by name.
  HttpResponse get_all_plus() const;

 private:
  struct SavedGraph;
  // Every saved graph that reads as a JSON object, sorted by id; the others are set aside.
  std::vector<SavedGraph> saved_graphs() const;
  void set_aside(const std::string& path, const std::string& why) const;

  std::string dir_;
  std::function<void(const std::string&)> report_;
};

// "<8 characters>.txt" for a graph name.
std::string graph_file_name(const std::string& name);

}  // namespace iw::server
