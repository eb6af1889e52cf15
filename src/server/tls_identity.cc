#include "server/tls_identity.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/files.h"

namespace iw::server {
namespace {

constexpr size_t kMaxPemBytes = 1 << 20;  // a certificate chain is a few KiB

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

std::string fingerprint_of(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  std::string out;
  char hex[4];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(hex, sizeof hex, i ? ":%02X" : "%02X", md[i]);
    out += hex;
  }
  return out;
}

Result<TlsIdentity> identity_from_pem(std::string cert_pem, std::string key_pem, const std::string& cert_name,
                                      const std::string& key_name) {
  Bio cert_bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  Cert cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return Status::InvalidArgument(cert_name + ": not a PEM certificate (" + openssl_error() + ")");
  Bio key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  Key key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!key)
    return Status::InvalidArgument(key_name + ": not a PEM private key without passphrase (" + openssl_error() + ")");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument(key_name + ": this key does not belong to the certificate in " + cert_name);
  }
  return TlsIdentity{std::move(cert_pem), std::move(key_pem), fingerprint_of(cert.get()), cert_name};
}

bool add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

std::string alt_names(const std::vector<std::string>& names) {
  std::string out = "IP:127.0.0.1,IP:::1";
  for (const std::string& name : names) {
    if (name.empty() || name.find_first_of(",:") != std::string::npos) continue;
    out += ",DNS:" + name;
  }
  return out;
}

Result<Cert> make_certificate(EVP_PKEY* key, const std::vector<std::string>& names) {
  Cert cert(X509_new());
  const std::string cn = names.empty() || names.front().empty() ? "iotawatt" : names.front();
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  std::ifstream("/dev/urandom", std::ios::binary).read(reinterpret_cast<char*>(serial), sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("iotawatt"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), subject);
  if (!add_extension(cert.get(), NID_subject_alt_name, alt_names(names)) ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), NID_ext_key_usage, "serverAuth")) {
    return Status::IOError("cannot build the certificate: " + openssl_error());
  }
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0)
    return Status::IOError("cannot sign the certificate: " + openssl_error());
  return cert;
}

std::string to_pem(const std::function<int(BIO*)>& write) {
  Bio bio(BIO_new(BIO_s_mem()));
  write(bio.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

Status create_self_signed(const std::string& dir, const std::vector<std::string>& names) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError(dir + ": " + ec.message());
  chmod(dir.c_str(), kPrivateDirMode);
  Key key(EVP_EC_gen("P-256"));
  if (!key) return Status::IOError("cannot make a key: " + openssl_error());
  auto cert = make_certificate(key.get(), names);
  if (!cert) return cert.status();
  const std::string key_pem =
      to_pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  const std::string cert_pem = to_pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.value().get()); });
  if (Status st = write_private_file(dir + "/key.pem", key_pem); !st) return st;
  return write_private_file(dir + "/cert.pem", cert_pem);
}

}  // namespace

Result<TlsIdentity> load_tls_identity(const std::string& cert_path, const std::string& key_path) {
  auto cert = read_file(cert_path, kMaxPemBytes);
  if (!cert) return cert.status();
  auto key = read_file(key_path, kMaxPemBytes);
  if (!key) return key.status();
  return identity_from_pem(std::move(cert.value()), std::move(key.value()), cert_path, key_path);
}

Result<TlsIdentity> self_signed_tls_identity(const std::string& dir, const std::vector<std::string>& names) {
  const std::string cert_path = dir + "/cert.pem", key_path = dir + "/key.pem";
  const bool has_cert = std::filesystem::exists(cert_path), has_key = std::filesystem::exists(key_path);
  if (has_cert != has_key) {
    return Status::InvalidArgument(dir + ": holds only one of cert.pem and key.pem; remove it to make a new pair");
  }
  if (!has_cert) {
    if (Status st = create_self_signed(dir, names); !st) return st;
  }
  auto identity = load_tls_identity(cert_path, key_path);
  if (identity) identity.value().source = has_cert ? cert_path : cert_path + " (made now, self-signed)";
  return identity;
}

}  // namespace iw::server
