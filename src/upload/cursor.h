// An uploader's place in the datalog, persisted in <data dir>/upload/<name>.json.
//
//   {"version":1,"next":1733000000,"last_sent":1732999990,"target":"influxdb http://h:8086 ..."}
//
// `next` is the start of the first interval the server has not acknowledged (everything
// before it was acknowledged or had no data). `target` names the server and series the
// position belongs to: a cursor for another target is ignored. Written with temp file +
// fsync + rename, so a crash leaves the old cursor or the new one, never a torn file; mode
// 0600, as the target may name a server's address and database.
#pragma once

#include <cstddef>
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

// A cursor is one short line; a larger file is not one.
inline constexpr size_t kMaxCursorBytes = 64 * 1024;
// `next` and `last_sent` lie in [0, this]: 9999-12-31 23:59:59 UTC.
inline constexpr int64_t kMaxCursorTime = 253402300799;

// nullopt when the file does not exist. An unreadable, oversized or malformed file (JSON
// deeper than 64 levels included) is an error naming the path.
Result<std::optional<Cursor>> load_cursor(const std::string& path);
Status save_cursor(const std::string& path, const Cursor& cursor);

}  // namespace iw::upload
