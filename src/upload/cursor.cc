#include "upload/cursor.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/json_read.h"

namespace iw::upload {

Result<std::optional<Cursor>> load_cursor(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<Cursor>{};
  auto text = read_file(path, kMaxCursorBytes);
  if (!text) return text.status();
  const JsonRead read = read_json(text.value());
  if (!read.ok()) return Status::Corruption(path + ": not an uploader cursor: " + read.error->message());
  const nlohmann::json& doc = read.value;
  const auto integer = [&doc](const char* key) { return json_integer_at(doc, key, 0, kMaxCursorTime); };
  const std::optional<int64_t> next = integer("next");
  if (!next || integer("version") != 1) {
    return Status::Corruption(path + ": not an uploader cursor (version 1 with a unix time \"next\")");
  }
  Cursor c;
  c.next = *next;
  c.last_sent = integer("last_sent");
  if (doc.contains("target") && doc["target"].is_string()) c.target = doc["target"].get<std::string>();
  return std::optional<Cursor>(c);
}

Status save_cursor(const std::string& path, const Cursor& cursor) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  nlohmann::json doc = {{"version", 1}, {"next", cursor.next}, {"target", cursor.target}};
  if (cursor.last_sent) doc["last_sent"] = *cursor.last_sent;
  return write_private_file(path, doc.dump() + "\n");
}

}  // namespace iw::upload
