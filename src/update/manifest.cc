#include "update/manifest.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/json_read.h"
#include "base/strings.h"
#include "update/digest.h"

namespace iw::update {
namespace {

using nlohmann::json;

// What a signature covers: a fixed prefix, so that a signature over a manifest can never be
// taken for a signature over anything else the same key might sign.
constexpr std::string_view kSignedPrefix = "iotawatt-manifest-v1\n";
constexpr int kEnvelopeFormat = 1;
constexpr size_t kMaxManifestDepth = 4;  // envelope: {"signatures":[{...}]}; body: {"bundles":{"arm64":{}}}

std::string signed_bytes(std::string_view body) { return std::string(kSignedPrefix) + std::string(body); }

// The first 8 hex digits: enough to tell keys apart in a message.
std::string key_id(std::string_view key) { return std::string(key.substr(0, 8)) + "..."; }

Result<json> parse_object(std::string_view text, const std::string& what) {
  JsonLimits limits;
  limits.max_depth = kMaxManifestDepth;
  JsonRead read = read_json(text, limits);
  if (!read.ok()) return Status::Corruption(what + " is not JSON: " + read.error->message());
  if (!read.value.is_object()) return Status::Corruption(what + " is not a JSON object");
  return std::move(read.value);
}

// Field readers: each names the field it refuses.
Result<std::string> get_string(const json& o, const std::string& key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return Status::Corruption(where + "." + key + ": missing or not a string");
  return it->get<std::string>();
}

Result<uint64_t> get_unsigned(const json& o, const std::string& key, const std::string& where) {
  const std::optional<int64_t> v = json_integer_at(o, key.c_str(), 0, INT64_MAX);
  if (!v) return Status::Corruption(where + "." + key + ": missing or not a whole number >= 0");
  return static_cast<uint64_t>(*v);
}

Result<ReleaseVersion> get_version(const json& o, const std::string& key) {
  auto text = get_string(o, key, "manifest");
  if (!text) return text.status();
  auto v = parse_version(text.value());
  if (!v) return v.status().with_context("manifest." + key);
  return v;
}

bool valid_arch(std::string_view arch) {
  if (arch.empty() || arch.size() > 16) return false;
  for (char c : arch) {
    if (!is_digit(c) && (c < 'a' || c > 'z')) return false;
  }
  return true;
}

// Relative, '/'-separated, no empty, "." or ".." component: it cannot leave the server's base.
bool valid_bundle_path(std::string_view path) {
  if (path.empty() || path.size() > kMaxBundlePathChars) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      const bool ok = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
                      c == '-' || c == '+' || c == '~';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

Result<Bundle> parse_bundle(const std::string& arch, const json& b) {
  const std::string where = "manifest.bundles." + arch;
  if (!valid_arch(arch)) return Status::Corruption(where + ": not an architecture name (like arm64)");
  if (!b.is_object()) return Status::Corruption(where + ": not an object");
  Bundle out;
  out.arch = arch;
  auto path = get_string(b, "path", where);
  if (!path) return path.status();
  if (!valid_bundle_path(path.value())) {
    return Status::Corruption(where + ".path: not a relative path of [A-Za-z0-9._+~-] parts without '..'");
  }
  out.path = path.value();
  auto size = get_unsigned(b, "size", where);
  if (!size) return size.status();
  if (size.value() == 0 || size.value() > kMaxBundleBytes) {
    return Status::Corruption(where + ".size: " + std::to_string(size.value()) + " is not between 1 and 1 GiB");
  }
  out.size = size.value();
  auto sha = get_string(b, "sha256", where);
  if (!sha) return sha.status();
  if (sha.value().size() != kSha256HexChars || !is_lower_hex(sha.value())) {
    return Status::Corruption(where + ".sha256: not 64 lowercase hex digits");
  }
  out.sha256 = sha.value();
  return out;
}

Status parse_bundles(const json& body, Manifest& m) {
  auto it = body.find("bundles");
  if (it == body.end() || !it->is_object() || it->empty()) {
    return Status::Corruption("manifest.bundles: missing or not an object of architectures");
  }
  if (it->size() > kMaxBundles) return Status::Corruption("manifest.bundles: more than 8 architectures");
  for (const auto& [arch, b] : it->items()) {
    auto bundle = parse_bundle(arch, b);
    if (!bundle) return bundle.status();
    m.bundles.push_back(std::move(bundle.value()));
  }
  return Status::Ok();
}

Status parse_keys(const json& body, Manifest& m) {
  auto it = body.find("keys");
  if (it == body.end()) return Status::Ok();
  if (!it->is_array() || it->empty() || it->size() > kMaxKeys) {
    return Status::Corruption("manifest.keys: not a list of 1 to 8 public keys");
  }
  for (const json& k : *it) {
    if (!k.is_string() || !is_public_key_hex(k.get<std::string>())) {
      return Status::Corruption("manifest.keys: an entry is not a public key (64 lowercase hex digits)");
    }
    m.keys.push_back(k.get<std::string>());
  }
  return Status::Ok();
}

Status parse_times(const json& body, Manifest& m) {
  auto published = get_unsigned(body, "published", "manifest");
  if (!published) return published.status();
  auto expires = get_unsigned(body, "expires", "manifest");
  if (!expires) return expires.status();
  constexpr uint64_t kYear9999 = 253402300799;
  if (published.value() > kYear9999 || expires.value() > kYear9999 || expires.value() <= published.value()) {
    return Status::Corruption("manifest.expires: not after manifest.published (unix seconds)");
  }
  m.published = static_cast<int64_t>(published.value());
  m.expires = static_cast<int64_t>(expires.value());
  return Status::Ok();
}

struct Signature {
  std::string key, sig;
};

Result<std::vector<Signature>> parse_signatures(const json& envelope) {
  auto it = envelope.find("signatures");
  if (it == envelope.end() || !it->is_array() || it->empty() || it->size() > kMaxSignatures) {
    return Status::Corruption("manifest file: 'signatures' is not a list of 1 to 8 signatures");
  }
  std::vector<Signature> out;
  for (const json& s : *it) {
    if (!s.is_object()) return Status::Corruption("manifest file: a signature is not an object");
    auto key = get_string(s, "key", "signature");
    if (!key) return key.status();
    auto sig = get_string(s, "sig", "signature");
    if (!sig) return sig.status();
    out.push_back({key.value(), sig.value()});
  }
  return out;
}

// The body when one signature is by a trusted key and verifies.
Result<std::string> verified_body(const json& envelope, const std::vector<std::string>& trusted_keys) {
  auto body = get_string(envelope, "signed", "manifest file");
  if (!body) return body.status();
  auto signatures = parse_signatures(envelope);
  if (!signatures) return signatures.status();
  const std::string message = signed_bytes(body.value());
  std::string unknown, failed;
  for (const Signature& s : signatures.value()) {
    const bool trusted = std::find(trusted_keys.begin(), trusted_keys.end(), s.key) != trusted_keys.end();
    if (!trusted) {
      unknown += (unknown.empty() ? "" : ", ") + key_id(s.key);
    } else if (verify_signature(s.key, message, s.sig)) {
      return body;
    } else {
      failed += (failed.empty() ? "" : ", ") + key_id(s.key);
    }
  }
  if (!failed.empty()) {
    return Status::Corruption("manifest: the signature by trusted key " + failed +
                              " does not verify: the manifest was altered after it was signed");
  }
  return Status::Corruption("manifest: signed only by key " + unknown +
                            ", which this device does not trust (a manifest from another publisher, or a key "
                            "rotation this device has not seen)");
}

}  // namespace

Result<UpdateClass> parse_update_class(std::string_view text) {
  for (UpdateClass c :
       {UpdateClass::kNone, UpdateClass::kMajor, UpdateClass::kMinor, UpdateClass::kBeta, UpdateClass::kAlpha}) {
    if (equals_ignore_case(text, to_string(c))) return c;
  }
  return Status::InvalidArgument("update class '" + std::string(text.substr(0, 16)) +
                                 "' is not one of NONE, MAJOR, MINOR, BETA, ALPHA");
}

std::string_view to_string(UpdateClass c) {
  switch (c) {
    case UpdateClass::kNone:
      return "NONE";
    case UpdateClass::kMajor:
      return "MAJOR";
    case UpdateClass::kMinor:
      return "MINOR";
    case UpdateClass::kBeta:
      return "BETA";
    case UpdateClass::kAlpha:
      return "ALPHA";
  }
  return "NONE";
}

const Bundle* Manifest::bundle_for(std::string_view arch) const {
  for (const Bundle& b : bundles) {
    if (b.arch == arch) return &b;
  }
  return nullptr;
}

std::string manifest_body(const Manifest& m) {
  json bundles = json::object();
  for (const Bundle& b : m.bundles) bundles[b.arch] = {{"path", b.path}, {"size", b.size}, {"sha256", b.sha256}};
  json body = {{"version", m.version.to_string()},
               {"class", std::string(to_string(m.update_class))},
               {"published", m.published},
               {"expires", m.expires},
               {"min_version", m.min_version.to_string()},
               {"bundles", bundles}};
  if (!m.keys.empty()) body["keys"] = m.keys;
  return body.dump(2);
}

Result<Manifest> parse_manifest_body(std::string_view text) {
  auto body = parse_object(text, "manifest body");
  if (!body) return body.status();
  const json& b = body.value();
  Manifest m;
  auto version = get_version(b, "version");
  if (!version) return version.status();
  m.version = version.value();
  auto min_version = get_version(b, "min_version");
  if (!min_version) return min_version.status();
  m.min_version = min_version.value();
  auto class_text = get_string(b, "class", "manifest");
  if (!class_text) return class_text.status();
  auto update_class = parse_update_class(class_text.value());
  if (!update_class || update_class.value() == UpdateClass::kNone) {
    return Status::Corruption("manifest.class: '" + class_text.value().substr(0, 16) +
                              "' is not one of MAJOR, MINOR, BETA, ALPHA");
  }
  m.update_class = update_class.value();
  for (Status st : {parse_times(b, m), parse_bundles(b, m), parse_keys(b, m)}) {
    if (!st) return st;
  }
  return m;
}

std::string sign_manifest(std::string_view body, const std::vector<const SigningKey*>& keys) {
  json signatures = json::array();
  const std::string message = signed_bytes(body);
  for (const SigningKey* k : keys) signatures.push_back({{"key", k->public_hex()}, {"sig", k->sign_hex(message)}});
  return json{{"format", kEnvelopeFormat}, {"signed", std::string(body)}, {"signatures", signatures}}.dump(2) + "\n";
}

Result<Manifest> open_manifest(std::string_view file, const std::vector<std::string>& trusted_keys, int64_t now) {
  if (file.size() > kMaxManifestBytes) {
    return Status::Corruption("manifest file: " + std::to_string(file.size()) + " bytes, more than the 64 KiB allowed");
  }
  auto envelope = parse_object(file, "manifest file");
  if (!envelope) return envelope.status();
  auto format = envelope.value().find("format");
  if (format == envelope.value().end() || *format != kEnvelopeFormat) {
    return Status::Corruption("manifest file: 'format' is not 1 (a newer publisher? update this device by hand)");
  }
  auto body = verified_body(envelope.value(), trusted_keys);
  if (!body) return body.status();
  auto m = parse_manifest_body(body.value());
  if (!m) return m;
  if (now > m.value().expires) {
    return Status::Corruption("manifest of " + m.value().version.to_string() + " expired at " +
                              utc_text(m.value().expires) + " (published " + utc_text(m.value().published) +
                              "): the update server is stale or replays an old manifest, or this device's clock "
                              "is wrong");
  }
  return m;
}

}  // namespace iw::update
