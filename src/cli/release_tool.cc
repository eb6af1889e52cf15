#include "cli/release_tool.h"

#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "base/files.h"
#include "base/strings.h"
#include "update/digest.h"
#include "update/manifest.h"

namespace iw::cli {
namespace {

namespace fs = std::filesystem;
using update::Bundle;
using update::Manifest;

constexpr mode_t kPublicFileMode = 0644;
constexpr size_t kMaxKeyFileBytes = 4096;
constexpr int kMaxDays = 366;

int fail(const std::string& message) {
  std::cerr << "release: " << message << "\n";
  return 1;
}

// "iotawatt_1.4.0_arm64.tar.gz" -> "arm64", for the version given; empty when the name has
// another shape, so that a bundle can never be published under the wrong version or arch.
std::string bundle_arch(const std::string& file_name, const std::string& version) {
  const std::string prefix = "iotawatt_" + version + "_";
  if (!file_name.starts_with(prefix)) return {};
  for (const std::string ext : {".deb", ".tar.gz"}) {
    if (file_name.ends_with(ext) && file_name.size() > prefix.size() + ext.size()) {
      return file_name.substr(prefix.size(), file_name.size() - prefix.size() - ext.size());
    }
  }
  return {};
}

Result<std::vector<update::SigningKey>> load_keys(const std::vector<std::string>& paths) {
  std::vector<update::SigningKey> keys;
  for (const std::string& path : paths) {
    auto pem = read_file(path, kMaxKeyFileBytes);
    if (!pem) return pem.status();
    auto key = update::SigningKey::FromPem(pem.value());
    if (!key) return key.status().with_context(path);
    keys.push_back(std::move(key.value()));
  }
  return keys;
}

// Copies `source` into the server root as bundles/<version>/<name> and describes it.
Result<Bundle> publish_bundle(const std::string& source, const std::string& version, const std::string& root) {
  const std::string name = fs::path(source).filename().string();
  Bundle b;
  b.arch = bundle_arch(name, version);
  if (b.arch.empty()) {
    return Status::InvalidArgument(source + ": not named iotawatt_" + version + "_<arch>.deb or .tar.gz");
  }
  auto digest = update::sha256_file(source);
  if (!digest) return digest.status();
  b.path = "bundles/" + version + "/" + name;
  b.size = digest.value().size;
  b.sha256 = digest.value().sha256;
  const fs::path target = fs::path(root) / b.path;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (!ec && !fs::equivalent(source, target, ec))
    fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::IOError(target.string() + ": cannot be written: " + ec.message());
  return b;
}

Result<Manifest> build_manifest(const ReleaseSignOptions& o) {
  Manifest m;
  auto version = update::parse_version(o.version);
  if (!version) return version.status();
  m.version = version.value();
  auto min_version = update::parse_version(o.min_version);
  if (!min_version) return min_version.status().with_context("--min-version");
  m.min_version = min_version.value();
  auto update_class = update::parse_update_class(o.update_class);
  if (!update_class || update_class.value() == update::UpdateClass::kNone) {
    return Status::InvalidArgument("--class: one of MAJOR, MINOR, BETA, ALPHA");
  }
  m.update_class = update_class.value();
  if (o.days < 1 || o.days > kMaxDays) return Status::InvalidArgument("--days: between 1 and 366");
  m.published = std::time(nullptr);
  m.expires = m.published + int64_t{o.days} * 86400;
  for (const std::string& k : o.rotate_to) {
    if (!update::is_public_key_hex(k)) return Status::InvalidArgument("--rotate-to " + k + ": not 64 lowercase hex");
    m.keys.push_back(k);
  }
  if (o.bundles.empty() || o.bundles.size() > update::kMaxBundles) {
    return Status::InvalidArgument("give 1 to 8 bundles, one per architecture");
  }
  for (const std::string& path : o.bundles) {
    auto b = publish_bundle(path, m.version.to_string(), o.out_dir);
    if (!b) return b.status();
    if (m.bundle_for(b.value().arch) != nullptr) return Status::InvalidArgument("two bundles for " + b.value().arch);
    m.bundles.push_back(std::move(b.value()));
  }
  return m;
}

}  // namespace

int run_release_keygen(const std::string& key_path) {
  std::error_code ec;
  if (fs::exists(key_path, ec)) return fail(key_path + " exists: a signing key is never overwritten");
  auto key = update::SigningKey::Generate();
  if (!key) return fail(key.error());
  if (Status st = write_private_file(key_path, key.value().pem()); !st) return fail(st.message());
  const std::string pub = key.value().public_hex();
  if (Status st = write_file_atomically(key_path + ".pub", pub + "\n", kPublicFileMode); !st) return fail(st.message());
  std::cout << "private key: " << key_path << " (keep it offline; anyone holding it can update every device)\n"
            << "public key:  " << pub << " (also in " << key_path << ".pub; devices trust it)\n";
  return 0;
}

int run_release_sign(const ReleaseSignOptions& options) {
  auto keys = load_keys(options.key_paths);
  if (!keys) return fail(keys.error());
  auto m = build_manifest(options);
  if (!m) return fail(m.error());
  std::vector<const update::SigningKey*> signers;
  for (const update::SigningKey& k : keys.value()) signers.push_back(&k);
  const std::string manifest_path =
      (fs::path(options.out_dir) / "manifests" / (std::string(update::to_string(m.value().update_class)) + ".json"))
          .string();
  std::error_code ec;
  fs::create_directories(fs::path(manifest_path).parent_path(), ec);
  const std::string file = update::sign_manifest(update::manifest_body(m.value()), signers);
  if (Status st = write_file_atomically(manifest_path, file, kPublicFileMode); !st) return fail(st.message());
  std::cout << "signed " << m.value().version.to_string() << " for class " << update::to_string(m.value().update_class)
            << " (" << m.value().bundles.size() << (m.value().bundles.size() == 1 ? " bundle" : " bundles")
            << ", expires " << utc_text(m.value().expires) << "): " << manifest_path << "\n";
  return 0;
}

int run_release_verify(const std::string& manifest_path, const std::vector<std::string>& trusted, std::string root) {
  auto file = read_file(manifest_path, update::kMaxManifestBytes + 1);
  if (!file) return fail(file.error());
  auto m = update::open_manifest(file.value(), trusted, std::time(nullptr));
  if (!m) return fail(m.error());
  if (root.empty()) root = fs::absolute(manifest_path).parent_path().parent_path().string();
  std::cout << "manifest: " << m.value().version.to_string() << ", class " << update::to_string(m.value().update_class)
            << ", from " << m.value().min_version.to_string() << ", expires " << utc_text(m.value().expires) << "\n";
  int bad = 0;
  for (const Bundle& b : m.value().bundles) {
    auto digest = update::sha256_file((fs::path(root) / b.path).string());
    const bool ok = digest && digest.value().size == b.size && digest.value().sha256 == b.sha256;
    std::cout << "  " << b.arch << ": " << b.path << " " << b.size << " bytes: "
              << (ok       ? "ok"
                  : digest ? "size or SHA-256 differs from the manifest"
                           : digest.error())
              << "\n";
    bad += ok ? 0 : 1;
  }
  return bad == 0 ? 0 : 1;
}

}  // namespace iw::cli
