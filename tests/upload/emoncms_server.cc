#include "upload/emoncms_server.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

namespace iw::upload::testing {
namespace {

using nlohmann::json;

std::string hex2bin(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

const unsigned char* u8(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// PHP's lenient base64_decode after Emoncms maps '-' '_' to '+' '/': padding optional.
std::optional<std::string> base64_decode(std::string text) {
  std::replace(text.begin(), text.end(), '-', '+');
  std::replace(text.begin(), text.end(), '_', '/');
  while (!text.empty() && text.back() == '=') text.pop_back();
  const size_t pad = (4 - text.size() % 4) % 4;
  if (pad == 3) return std::nullopt;
  text.append(pad, '=');
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), u8(text), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);  // DecodeBlock counts the padding as zero bytes
  return out;
}

std::string base64url_encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), u8(bytes), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

// openssl_decrypt('AES-128-CBC', ...): nullopt when the padding is wrong.
std::optional<std::string> aes128_cbc_decrypt(const std::string& key, const std::string& iv, const std::string& c) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(c.size() + 16, '\0');
  int n1 = 0;
  int n2 = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, u8(key), u8(iv)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n1, u8(c),
                        static_cast<int>(c.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n1, &n2) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(n1 + n2));
  return out;
}

std::string hmac_hex(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), u8(message), message.size(), mac, &len);
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", mac[i]);
    out += buf;
  }
  return out;
}

std::string sha256(const std::string& s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(u8(s), s.size(), d);
  return std::string(reinterpret_cast<const char*>(d), sizeof d);
}

// Splits "a=1&b=2" on '&' and the first '='; `decode`: URL-decode as PHP's form parser does
// (the decrypted plaintext is split without decoding).
std::map<std::string, std::string> split_params(const std::string& text, bool decode) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    const size_t eq = item.find('=');
    if (!item.empty()) {
      const std::string k = item.substr(0, eq);
      const std::string v = eq == std::string::npos ? "" : item.substr(eq + 1);
      out[decode ? url_decode(k) : k] = decode ? url_decode(v) : v;
    }
    start = end + 1;
  }
  return out;
}

constexpr const char* kFormatError =
    R"({"success": false, "message": "Format error, json string supplied is not valid"})";

}  // namespace

EmoncmsTestServer::EmoncmsTestServer(std::string userid, std::string write_key, std::string read_key)
    : userid_(std::move(userid)), write_key_(std::move(write_key)), read_key_(std::move(read_key)) {
  http_.http().Post("/input/bulk",
                    [this](const httplib::Request& req, httplib::Response& res) { handle_bulk(req, res); });
  http_.http().Get("/input/get", [this](const httplib::Request& req, httplib::Response& res) { handle_get(req, res); });
  http_.start();
}

void EmoncmsTestServer::fail_next(EmoncmsFailure failure, int count) {
  std::lock_guard lock(mutex_);
  failures_.insert(failures_.end(), static_cast<size_t>(count), failure);
}

std::vector<EmoncmsPoint> EmoncmsTestServer::points() const {
  std::lock_guard lock(mutex_);
  return points_;
}

std::map<std::pair<std::string, std::string>, EmoncmsPoint> EmoncmsTestServer::inputs() const {
  std::map<std::pair<std::string, std::string>, EmoncmsPoint> out;
  for (const EmoncmsPoint& p : points()) {
    auto& slot = out[{p.node, p.input}];
    if (p.time >= slot.time) slot = p;
  }
  return out;
}

int EmoncmsTestServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool EmoncmsTestServer::take_failure(EmoncmsFailure& failure) {
  std::lock_guard lock(mutex_);
  ++requests_;
  if (failures_.empty()) return false;
  failure = failures_.front();
  failures_.erase(failures_.begin());
  return true;
}

void EmoncmsTestServer::handle_bulk(const httplib::Request& req, httplib::Response& res) {
  EmoncmsFailure failure{};
  bool wrong_hash = false;
  if (take_failure(failure)) {
    switch (failure) {
      case EmoncmsFailure::kServerError:
        res.status = 500;
        res.set_content("Internal Server Error", "text/plain");
        return;
      case EmoncmsFailure::kGarbage:
        res.set_content("<html><body>502 Bad Gateway</body></html>", "text/html");
        return;
      case EmoncmsFailure::kUnauthorized:
        res.status = 401;
        res.set_content("Invalid API key", "text/plain");
        return;
      case EmoncmsFailure::kForbidden:
        res.status = 403;
        res.set_content("Forbidden", "text/plain");
        return;
      case EmoncmsFailure::kSlow:
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        break;
      case EmoncmsFailure::kWrongHash:
        wrong_hash = true;
        break;
    }
  }
  // PHP's CONTENT_TYPE must equal "aes128cbc" exactly (a "; charset" suffix is not recognised).
  const Answer a = req.get_header_value("Content-Type") == "aes128cbc" ? encrypted_bulk(req, wrong_hash)
                                                                       : plain_bulk(req, wrong_hash);
  res.status = a.status;
  if (a.status == 401) {
    res.set_header("WWW-Authenticate",
                   R"(Bearer realm="API KEY", error="invalid_apikey", error_description="Invalid API key")");
  }
  res.set_content(a.body, "text/plain");
}

EmoncmsTestServer::Answer EmoncmsTestServer::plain_bulk(const httplib::Request& req, bool wrong_hash) {
  std::map<std::string, std::string> params = split_params(req.body, true);
  for (const auto& [k, v] : req.params) params.emplace(k, v);  // POST wins over GET
  std::string key = params.count("apikey") ? params["apikey"] : "";
  const std::string auth = req.get_header_value("Authorization");
  if (key.empty() && auth.rfind("Bearer ", 0) == 0) key = auth.substr(7);
  if (key.empty()) return {200, ""};
  if (key != write_key_) return {401, "Invalid API key"};  // the read key cannot write
  Answer a = store_bulk(params);
  if (wrong_hash && a.body == "ok") a.body = "error";
  return a;
}

EmoncmsTestServer::Answer EmoncmsTestServer::encrypted_bulk(const httplib::Request& req, bool wrong_hash) {
  if (!req.has_header("Authorization")) return {200, "missing authorization header"};
  const std::string auth = req.get_header_value("Authorization");
  const size_t colon = auth.find(':');
  if (colon == std::string::npos || auth.find(':', colon + 1) != std::string::npos) {
    return {200, "authorization header format should be userid:hmac"};
  }
  if (auth.substr(0, colon) != userid_) return {200, "User not found"};
  if (req.body.empty()) return {200, "no content in post body"};
  const std::string key = hex2bin(write_key_);
  const auto bytes = base64_decode(req.body);
  std::optional<std::string> plaintext;
  if (bytes && bytes->size() > 16) plaintext = aes128_cbc_decrypt(key, bytes->substr(0, 16), bytes->substr(16));
  // hash_equals on lower-case hex: an upper-case HMAC fails as a wrong one does.
  if (!plaintext || hmac_hex(key, *plaintext) != auth.substr(colon + 1)) return {200, "invalid data"};
  Answer a = store_bulk(split_params(*plaintext, false));
  if (a.body == "ok") a.body = base64url_encode(sha256(wrong_hash ? *plaintext + "x" : *plaintext));
  return a;
}

EmoncmsTestServer::Answer EmoncmsTestServer::store_bulk(const std::map<std::string, std::string>& params) {
  const auto data = params.find("data");
  const auto time = params.find("time");
  if (data == params.end() || time == params.end()) return {200, kFormatError};  // IoTaWatt always sends both
  const json rows = json::parse(data->second, nullptr, false);
  int64_t t0 = 0;
  try {
    t0 = std::stoll(time->second);
  } catch (const std::exception&) {
    return {200, kFormatError};
  }
  if (!rows.is_array()) return {200, kFormatError};
  std::vector<EmoncmsPoint> got;
  for (const json& row : rows) {
    if (!row.is_array() || row.size() < 3 || !row[0].is_number()) continue;  // Emoncms skips short rows
    const std::string node = row[1].is_string() ? row[1].get<std::string>() : row[1].dump();
    for (size_t i = 2; i < row.size(); ++i) {
      if (!row[i].is_null() && !row[i].is_number()) return {200, kFormatError};
      got.push_back(
          {node, std::to_string(i - 1), t0 + row[0].get<int64_t>(), row[i].is_null() ? 0.0 : row[i].get<double>()});
    }
  }
  std::lock_guard lock(mutex_);
  points_.insert(points_.end(), got.begin(), got.end());
  return {200, "ok"};
}

void EmoncmsTestServer::handle_get(const httplib::Request& req, httplib::Response& res) {
  EmoncmsFailure failure{};
  if (take_failure(failure) && failure == EmoncmsFailure::kServerError) {
    res.status = 500;
    return;
  }
  std::string key = req.get_param_value("apikey");
  const std::string auth = req.get_header_value("Authorization");
  if (key.empty() && auth.rfind("Bearer ", 0) == 0) key = auth.substr(7);
  if (key != write_key_ && key != read_key_) {
    res.status = 401;
    res.set_content("Invalid API key", "text/plain");
    return;
  }
  const std::string node = req.get_param_value("node");
  json out = json::object();
  for (const auto& [id, p] : inputs()) {
    if (id.first == node) out[id.second] = {{"time", p.time}, {"value", p.value}, {"processList", ""}};
  }
  res.set_content(out.empty() ? json("Node does not exist").dump() : out.dump(), "application/json");
}

}  // namespace iw::upload::testing
