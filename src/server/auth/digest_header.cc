#include "server/auth/digest_header.h"

#include <cctype>

#include "base/strings.h"

namespace iw::server {
namespace {

bool is_token_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return kSymbols.find(c) != std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

// A cursor over the header; every reader stops at the end without reading past it.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  void skip_space() {
    while (!done() && is_space(peek())) ++pos_;
  }
  std::string token() {
    const size_t start = pos_;
    while (!done() && is_token_char(peek())) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  // REQUIRES: peek() == '"'. Returns false when the closing quote is missing.
  bool quoted(std::string* out) {
    ++pos_;
    while (!done()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (done()) return false;
        out->push_back(text_[pos_++]);
      } else {
        out->push_back(c);
      }
    }
    return false;
  }
  void advance() { ++pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Status parse_one(Scanner& in, DigestParams* params) {
  const std::string name = lower(in.token());
  if (name.empty()) return Status::InvalidArgument("expected a parameter name");
  in.skip_space();
  if (in.done() || in.peek() != '=') return Status::InvalidArgument("parameter '" + name + "' has no '='");
  in.advance();
  in.skip_space();
  std::string value;
  if (!in.done() && in.peek() == '"') {
    if (!in.quoted(&value)) return Status::InvalidArgument("unterminated quoted value of '" + name + "'");
  } else {
    value = in.token();
    if (value.empty()) return Status::InvalidArgument("parameter '" + name + "' has no value");
  }
  if (!params->emplace(name, std::move(value)).second) {
    return Status::InvalidArgument("parameter '" + name + "' appears twice");
  }
  in.skip_space();
  if (!in.done() && in.peek() != ',') return Status::InvalidArgument("unexpected text after '" + name + "'");
  return Status::Ok();
}

}  // namespace

Result<DigestParams> parse_digest_authorization(std::string_view header) {
  if (header.size() > kMaxAuthorizationSize) return Status::InvalidArgument("Authorization header too long");
  Scanner in(header);
  in.skip_space();
  if (lower(in.token()) != "digest") return Status::InvalidArgument("not the Digest scheme");
  if (in.done() || !is_space(in.peek())) return Status::InvalidArgument("no parameters after 'Digest'");
  DigestParams params;
  while (true) {
    in.skip_space();
    while (!in.done() && (in.peek() == ',' || is_space(in.peek()))) in.advance();
    if (in.done()) break;
    Status s = parse_one(in, &params);
    if (!s.ok()) return s;
  }
  if (params.empty()) return Status::InvalidArgument("no parameters after 'Digest'");
  const auto uri = params.find("uri");
  const size_t uri_size = uri == params.end() ? 0 : uri->second.size();
  if (uri_size > kMaxDigestUriSize) return Status::InvalidArgument("Digest uri too long");
  if (header.size() - uri_size > kMaxDigestParamsSize) return Status::InvalidArgument("Authorization header too long");
  return params;
}

}  // namespace iw::server
