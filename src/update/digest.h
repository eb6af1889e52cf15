// SHA-256 of bundles and texts (OpenSSL EVP), as lowercase hex: how a manifest names a bundle's
// content and how a device checks what it downloaded.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace iw::update {

inline constexpr size_t kSha256HexChars = 64;

std::string sha256_hex(std::string_view bytes);

struct FileDigest {
  std::string sha256;  // 64 lowercase hex digits
  uint64_t size = 0;   // bytes read
};

// Reads `path` to its end in blocks. An error names the path and the OS's reason.
Result<FileDigest> sha256_file(const std::string& path);

}  // namespace iw::update
