#include "server/auth/password_store.h"

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/json_read.h"
#include "base/strings.h"
#include "server/auth/digest_hash.h"

namespace iw::server {
namespace {

constexpr const char* kFormat = "iotawatt-auth";
constexpr int kVersion = 1;

bool is_lower_hex(const std::string& s, size_t size) { return s.size() == size && iw::is_lower_hex(s); }

std::string lowercase(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Reads {"md5":..,"sha256":..} of one account; absent account = both empty.
Status read_account(const nlohmann::json& doc, const char* name, std::string* md5, std::string* sha256) {
  if (!doc.contains(name)) return Status::Ok();
  const nlohmann::json& a = doc[name];
  if (!a.is_object()) return Status::Corruption(std::string("'") + name + "' is not an object");
  if (a.contains("md5")) {
    if (!a["md5"].is_string() || !is_lower_hex(a["md5"].get<std::string>(), 32)) {
      return Status::Corruption(std::string("'") + name + ".md5' is not 32 lowercase hex digits");
    }
    *md5 = a["md5"].get<std::string>();
  }
  if (a.contains("sha256")) {
    if (!a["sha256"].is_string() || !is_lower_hex(a["sha256"].get<std::string>(), 64)) {
      return Status::Corruption(std::string("'") + name + ".sha256' is not 64 lowercase hex digits");
    }
    *sha256 = a["sha256"].get<std::string>();
  }
  if (md5->empty() && sha256->empty()) {
    return Status::Corruption(std::string("'") + name + "' has no digest");
  }
  return Status::Ok();
}

// auth.json is a few hundred bytes and auth.txt 65: anything much larger is not ours.
constexpr size_t kMaxAuthFileBytes = 64 * 1024;

// The file's text, or nullopt when it does not exist. One that exists but cannot be read is
// an error: it must never count as "no passwords".
Result<std::optional<std::string>> read_if_present(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return std::optional<std::string>();
  Result<std::string> text = read_file(path, kMaxAuthFileBytes);
  if (!text.ok()) return text.status();
  return std::optional<std::string>(std::move(text.value()));
}

}  // namespace

PasswordStore::PasswordStore(std::string data_dir) : dir_(std::move(data_dir)) {}

std::string PasswordStore::path() const { return dir_ + "/auth.json"; }
std::string PasswordStore::legacy_path() const { return dir_ + "/auth.txt"; }

Result<Credentials> parse_auth_json(const std::string& text) {
  const JsonRead read = read_json(text);
  if (!read.ok()) return Status::Corruption("not JSON: " + read.error->message());
  const nlohmann::json& doc = read.value;
  if (!doc.is_object()) return Status::Corruption("not a JSON object");
  if (!doc.contains("format") || doc["format"] != kFormat) {
    return Status::Corruption(std::string("'format' is not \"") + kFormat + "\"");
  }
  if (!doc.contains("version") || doc["version"] != kVersion) {
    return Status::Corruption("unsupported 'version' (this build reads version 1)");
  }
  Credentials c;
  if (!doc.contains("realm") || !doc["realm"].is_string()) return Status::Corruption("no 'realm'");
  c.realm = doc["realm"].get<std::string>();
  if (Status s = read_account(doc, "admin", &c.admin_md5, &c.admin_sha256); !s.ok()) return s;
  if (Status s = read_account(doc, "user", &c.user_md5, &c.user_sha256); !s.ok()) return s;
  if (doc.contains("localAccess")) {
    if (!doc["localAccess"].is_boolean()) return Status::Corruption("'localAccess' is not true/false");
    c.local_access = doc["localAccess"].get<bool>();
  }
  return c;
}

std::string render_auth_json(const Credentials& c) {
  nlohmann::json doc = {{"format", kFormat}, {"version", kVersion}, {"realm", c.realm}};
  auto account = [](const std::string& md5, const std::string& sha256) {
    nlohmann::json a = nlohmann::json::object();
    if (!md5.empty()) a["md5"] = md5;
    if (!sha256.empty()) a["sha256"] = sha256;
    return a;
  };
  if (c.has_admin()) doc["admin"] = account(c.admin_md5, c.admin_sha256);
  if (c.has_user()) doc["user"] = account(c.user_md5, c.user_sha256);
  doc["localAccess"] = c.local_access;
  return doc.dump(1) + "\n";
}

Result<Credentials> parse_legacy_auth_txt(const std::string& bytes, const std::string& realm) {
  std::string data = bytes;
  // The firmware writes no line end; tolerate one added by a text editor.
  while (!data.empty() && (data.back() == '\n' || data.back() == '\r')) data.pop_back();
  Credentials c;
  c.realm = realm;
  if (!data.empty() && data.back() == '\x01') {
    c.local_access = true;
    data.pop_back();
  }
  if (data.size() != 32 && data.size() != 64) {
    return Status::Corruption("expected 32 or 64 hex digits, then an optional 0x01 byte");
  }
  if (!is_hex(data)) return Status::Corruption("the digests are not hex");
  c.admin_md5 = lowercase(data.substr(0, 32));
  if (data.size() == 64) c.user_md5 = lowercase(data.substr(32));
  return c;
}

Result<Credentials> PasswordStore::load(const std::string& device_name) const {
  Result<std::optional<std::string>> text = read_if_present(path());
  if (!text.ok()) return text.status();
  if (text.value()) {
    Result<Credentials> c = parse_auth_json(*text.value());
    if (!c.ok()) return Status::Corruption(path() + ": " + c.error() + " (delete it to remove all passwords)");
    return c;
  }
  text = read_if_present(legacy_path());
  if (!text.ok()) return text.status();
  if (text.value()) {
    Result<Credentials> c = parse_legacy_auth_txt(*text.value(), device_name);
    if (!c.ok()) {
      return Status::Corruption(legacy_path() + ": " + c.error() + " (delete it to remove all passwords)");
    }
    return c;
  }
  Credentials open;
  open.realm = device_name;
  return open;
}

Status PasswordStore::save(const Credentials& credentials) const {
  return write_private_file(path(), render_auth_json(credentials));
}

}  // namespace iw::server
