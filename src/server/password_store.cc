#include "server/password_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server/digest_hash.h"

namespace iw::server {
namespace {

constexpr const char* kFormat = "iotawatt-auth";
constexpr int kVersion = 1;

bool is_lower_hex(const std::string& s, size_t size) {
  if (s.size() != size || !is_hex(s)) return false;
  for (char c : s) {
    if (c >= 'A' && c <= 'F') return false;
  }
  return true;
}

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
  if (!a.is_object()) return Status::Error(std::string("'") + name + "' is not an object");
  if (a.contains("md5")) {
    if (!a["md5"].is_string() || !is_lower_hex(a["md5"].get<std::string>(), 32)) {
      return Status::Error(std::string("'") + name + ".md5' is not 32 lowercase hex digits");
    }
    *md5 = a["md5"].get<std::string>();
  }
  if (a.contains("sha256")) {
    if (!a["sha256"].is_string() || !is_lower_hex(a["sha256"].get<std::string>(), 64)) {
      return Status::Error(std::string("'") + name + ".sha256' is not 64 lowercase hex digits");
    }
    *sha256 = a["sha256"].get<std::string>();
  }
  if (md5->empty() && sha256->empty()) {
    return Status::Error(std::string("'") + name + "' has no digest");
  }
  return Status::Ok();
}

Result<std::string> read_file(const std::string& path, bool* exists) {
  std::ifstream in(path, std::ios::binary);
  *exists = static_cast<bool>(in);
  if (!in) return std::string();
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Error(path + ": read error");
  return text.str();
}

Status errno_status(const std::string& what) { return Status::Error(what + ": " + std::strerror(errno)); }

Status write_all(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_status("cannot write " + path);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Replaces `path` by `data` so that a crash leaves either the old or the new file.
Status write_atomically(const std::string& dir, const std::string& path, const std::string& data) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno_status("cannot create " + temp);
  ::fchmod(fd, 0600);  // an older temp file may have had other permissions
  Status s = write_all(fd, data, temp);
  if (s.ok() && ::fsync(fd) != 0) s = errno_status("cannot sync " + temp);
  if (::close(fd) != 0 && s.ok()) s = errno_status("cannot close " + temp);
  if (s.ok() && ::rename(temp.c_str(), path.c_str()) != 0) s = errno_status("cannot rename " + temp);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // makes the rename durable; failure here leaves a valid file either way
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace

PasswordStore::PasswordStore(std::string data_dir) : dir_(std::move(data_dir)) {}

std::string PasswordStore::path() const { return dir_ + "/auth.json"; }
std::string PasswordStore::legacy_path() const { return dir_ + "/auth.txt"; }

Result<Credentials> parse_auth_json(const std::string& text) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Status::Error("not a JSON object");
  if (!doc.contains("format") || doc["format"] != kFormat) {
    return Status::Error(std::string("'format' is not \"") + kFormat + "\"");
  }
  if (!doc.contains("version") || doc["version"] != kVersion) {
    return Status::Error("unsupported 'version' (this build reads version 1)");
  }
  Credentials c;
  if (!doc.contains("realm") || !doc["realm"].is_string()) return Status::Error("no 'realm'");
  c.realm = doc["realm"].get<std::string>();
  if (Status s = read_account(doc, "admin", &c.admin_md5, &c.admin_sha256); !s.ok()) return s;
  if (Status s = read_account(doc, "user", &c.user_md5, &c.user_sha256); !s.ok()) return s;
  if (doc.contains("localAccess")) {
    if (!doc["localAccess"].is_boolean()) return Status::Error("'localAccess' is not true/false");
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
    return Status::Error("expected 32 or 64 hex digits, then an optional 0x01 byte");
  }
  if (!is_hex(data)) return Status::Error("the digests are not hex");
  c.admin_md5 = lowercase(data.substr(0, 32));
  if (data.size() == 64) c.user_md5 = lowercase(data.substr(32));
  return c;
}

Result<Credentials> PasswordStore::load(const std::string& device_name) const {
  bool exists = false;
  Result<std::string> text = read_file(path(), &exists);
  if (!text.ok()) return text.status();
  if (exists) {
    Result<Credentials> c = parse_auth_json(text.value());
    if (!c.ok()) return Status::Error(path() + ": " + c.error() + " (delete it to remove all passwords)");
    return c;
  }
  text = read_file(legacy_path(), &exists);
  if (!text.ok()) return text.status();
  if (exists) {
    Result<Credentials> c = parse_legacy_auth_txt(text.value(), device_name);
    if (!c.ok()) {
      return Status::Error(legacy_path() + ": " + c.error() + " (delete it to remove all passwords)");
    }
    return c;
  }
  Credentials open;
  open.realm = device_name;
  return open;
}

Status PasswordStore::save(const Credentials& credentials) const {
  return write_atomically(dir_, path(), render_auth_json(credentials));
}

}  // namespace iw::server
