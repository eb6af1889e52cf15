// An uploader's place in the datalog, persisted in <data dir>/upload/<name>.json.
//
//   {"version":1,"next":1733000000,"last_sent":1732999990,"target":"influxdb http://h:8086 ..."}
//
// `next` is the start of the first interval the server has not acknowledged (everything
// before it was acknowledged or had no data). `target` names the server and series the
// position belongs to: a cursor for another target is ignored. Written with temp file +
// fsync + rename, so a crash leaves the old cursor or the new one, never a torn file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace iw::upload {

struct Cursor {
  int64_t next = 0;
  std::optional<int64_t> last_sent;  // start of the newest acknowledged interval
  std::string target;
  bool operator==(const Cursor&) const = default;
};

// nullopt when the file does not exist. An unreadable or malformed file is an error.
Result<std::optional<Cursor>> load_cursor(const std::string& path);
Status save_cursor(const std::string& path, const Cursor& cursor);

}  // namespace iw::upload
