#include "server/auth/password_change.h"

#include <nlohmann/json.hpp>

#include "base/base64.h"
#include "base/json_read.h"
#include "server/auth/digest_hash.h"

namespace iw::server {
namespace {

constexpr size_t kMaxPasswordBytes = 64;

bool valid_password(const nlohmann::json& value) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  if (s.size() > kMaxPasswordBytes) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

// Characters, not bytes: UTF-8 continuation bytes (10xxxxxx) do not start a character.
size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

// Empty means "no password" and is always allowed.
bool too_short(const std::string& password) {
  return !password.empty() && utf8_length(password) < kMinPasswordCharacters;
}

// Does `password` hash to the stored admin digest? Checks MD5, or SHA-256 if MD5 is absent.
bool admin_password_matches(const Credentials& c, const std::string& password) {
  if (!c.admin_md5.empty()) {
    return constant_time_equal(digest_ha1(DigestAlgorithm::kMd5, "admin", c.realm, password), c.admin_md5);
  }
  return constant_time_equal(digest_ha1(DigestAlgorithm::kSha256, "admin", c.realm, password), c.admin_sha256);
}

std::string string_or_empty(const nlohmann::json& doc, const char* key) {
  return doc.contains(key) && doc[key].is_string() ? doc[key].get<std::string>() : std::string();
}

}  // namespace

AuthReply change_passwords(std::string_view body, const Credentials& current, const std::string& device_name,
                           const std::function<Status(const Credentials&)>& save) {
  const Result<std::string> json_text = base64_decode(body);
  if (!json_text.ok()) return {400, "Json parse failed."};
  const JsonRead read = read_json(json_text.value());
  // The original's answer; a document too deep to read also says where.
  if (!read.ok() && read.error->kind == JsonError::Kind::kTooDeep) {
    return {400, "Json parse failed: " + read.error->message() + "."};
  }
  if (!read.value.is_object()) return {400, "Json parse failed."};
  const nlohmann::json& doc = read.value;

  if (current.has_admin() && !admin_password_matches(current, string_or_empty(doc, "oldadmin"))) {
    return {400, "Current admin password invalid."};
  }
  if (!doc.contains("newadmin")) return {200, ""};

  if (!valid_password(doc["newadmin"])) return {400, "Invalid password."};
  if (doc.contains("newuser") && !doc["newuser"].is_null() && !valid_password(doc["newuser"])) {
    return {400, "Invalid password."};
  }
  const std::string admin = doc["newadmin"].get<std::string>();
  const std::string user = string_or_empty(doc, "newuser");
  if (too_short(admin) || too_short(user)) return {400, kPasswordTooShort};
  const bool local_access =
      doc.contains("localAccess") && doc["localAccess"].is_boolean() && doc["localAccess"].get<bool>();
  const Credentials next = make_credentials(device_name, admin, user, local_access);
  if (!save(next).ok()) return {400, "Error saving passwords."};
  return {200, "Passwords reset."};
}

}  // namespace iw::server
