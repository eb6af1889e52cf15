// Saved graphs (firmware reference 6.2 and 11.4): the original's /graph/* API over one
// directory. A graph is the JSON text its page posted, kept as <dir>/<id>.txt where the id is
// the first 6 bytes of SHA-256 of the graph's name in URL-safe base64 (8 characters), so
// saving a graph of the same name replaces it. Graph+ graphs have no "start" key; the
// original graph page's do. Files are served back by the static mount /graphs/.
#pragma once

#include <string>

#include "server/http.h"

namespace iw::server {

class GraphStore {
 public:
  explicit GraphStore(std::string dir) : dir_(std::move(dir)) {}

  // POST /graph/create and /graph/update: form field `data` = the graph's JSON (a URL-encoded
  // form, or the raw `data=<JSON>` the original's jQuery pages send). 200
  // {"success":true,"message":"graph saved id:<id>"}; 400 when `data` is not a JSON object with
  // a string "name"; 500 when the file cannot be written.
  HttpResponse create(const HttpRequest& request) const;
  // POST /graph/delete: form `id=<id>.txt`. Always {"success":true,"message":"deleted"}, as
  // the original, except 400 for an id that is not a plain file name.
  HttpResponse remove(const HttpRequest& request) const;
  // GET /graph/getall: every original-graph file, each with ,"id":"<file>" added.
  HttpResponse get_all() const;
  // GET /graph/getallplus: [{"name","id"}] of every Graph+ graph, sorted by name.
  HttpResponse get_all_plus() const;

 private:
  std::string dir_;
};

// "<8 characters>.txt" for a graph name.
std::string graph_file_name(const std::string& name);

}  // namespace iw::server
