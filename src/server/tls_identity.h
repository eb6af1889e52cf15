// The certificate and private key the HTTPS listener presents. Either the admin's own
// (--tls-cert/--tls-key, PEM) or one made on first start and kept in the data directory:
// <data>/tls/cert.pem and <data>/tls/key.pem (mode 0600, directory 0700), ECDSA P-256,
// self-signed, valid 10 years, with the machine's names and loopback addresses as subject
// alternative names. A browser cannot verify a self-signed certificate, so the SHA-256
// fingerprint of the certificate (DER) is shown in the log and /status for the user to compare.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace iw::server {

struct TlsIdentity {
  std::string cert_pem;     // the certificate chain, leaf first
  std::string key_pem;      // its private key
  std::string fingerprint;  // SHA-256 of the leaf's DER, "AB:CD:..." (95 characters)
  std::string source;       // where it came from, for the log
};

// Reads a PEM certificate chain and key; an error names the file and what is wrong with it
// (unreadable, not PEM, key does not match the certificate).
Result<TlsIdentity> load_tls_identity(const std::string& cert_path, const std::string& key_path);

// Loads <dir>/cert.pem and <dir>/key.pem, creating both first when neither exists.
// `names` become DNS subject alternative names (the first is the subject CN).
Result<TlsIdentity> self_signed_tls_identity(const std::string& dir, const std::vector<std::string>& names);

}  // namespace iw::server
