#include "base/base64.h"

#include <openssl/evp.h>

#include <algorithm>

namespace iw {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock takes only whole 4-character groups of the standard alphabet, so the text
  // is first brought to that form.
  std::string groups;
  groups.reserve(text.size() + 3);
  bool padding = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    if (padding) return Status::InvalidArgument("not base64");  // a character after the padding
    groups += c == '-' ? '+' : c == '_' ? '/' : c;
  }
  if (groups.size() % 4 == 1) return Status::InvalidArgument("truncated base64");  // one stray character
  const size_t pad = (4 - groups.size() % 4) % 4;
  groups.append(pad, '=');
  std::string out(groups.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(groups.data()), static_cast<int>(groups.size()));
  if (n < 0) return Status::InvalidArgument("not base64");
  // EVP_DecodeBlock counts the bytes the padding stands for (zeros); they are not data.
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

}  // namespace iw
