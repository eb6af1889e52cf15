// Files served over HTTP from a few mounted directories: the web app at "/", and data
// directories such as "/graphs/" and "/iotawatt/" (the message log). A request can never reach
// a file outside its mount: ".." segments are refused and symlinks are resolved before the
// check. Implements the original's conveniences (firmware reference 6.5, 6.6): a directory
// serves its index, `.src` serves source as text, `download=true` forces a download, and
// `textpos=<n>` streams a text file from byte n (negative: from the end), starting on a line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/http.h"

namespace iw::server {

class StaticFiles {
 public:
  // Serves `dir` under URL `prefix` ("/" or "/name/"). Later mounts win for their prefix.
  void mount(std::string prefix, std::string dir);

  // GET of a file: 200 with the content, 404 `Not Found`, or 403 for a path that escapes.
  HttpResponse serve(const HttpRequest& request) const;

  // GET /list?dir=...: `[{"type":"dir","name":..},...,{"type":"file","name":..}]`,
  // directories first; mount points appear as directories of their parent.
  HttpResponse list(const HttpRequest& request) const;

  // The file a URL path names, when it is inside a mount; nullopt otherwise.
  std::optional<std::string> resolve(const std::string& url_path) const;

 private:
  struct Mount {
    std::string prefix, dir;
  };
  const Mount* mount_for(const std::string& url_path) const;
  std::vector<Mount> mounts_;
};

// The URL directory GET /list?dir=<dir> lists: `dir` with a leading and a trailing "/".
std::string listed_directory(std::string dir);

// Content type by file extension (htm/html, css, js, json, svg, png, ...; else text/plain).
std::string content_type_for(const std::string& path);

}  // namespace iw::server
