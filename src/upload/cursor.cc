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
  if (!doc.is_object() || !doc.contains("next") || !doc["next"].is_number_integer() || doc.value("version", 0) != 1) {
    return Status::Corruption(path + ": not an uploader cursor (version 1 with an integer \"next\")");
  }
  Cursor c;
  c.next = doc["next"].get<int64_t>();
  if (doc.contains("last_sent") && doc["last_sent"].is_number_integer()) c.last_sent = doc["last_sent"].get<int64_t>();
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
