#include "upload/cursor.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "config/config_file.h"

namespace iw::upload {

Result<std::optional<Cursor>> load_cursor(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<Cursor>{};
  auto text = config::read_text_file(path);
  if (!text) return text.status();
  const auto doc = nlohmann::json::parse(text.value(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("next") || !doc["next"].is_number_integer() ||
      doc.value("version", 0) != 1) {
    return Status::Error(path + ": not an uploader cursor (version 1 with an integer \"next\")");
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
  return config::save_text_file(path, doc.dump() + "\n");
}

}  // namespace iw::upload
