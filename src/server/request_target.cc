#include "server/request_target.h"

#include "base/strings.h"

namespace iw::server {
namespace {

// "a=1&b&c=%20" -> {a,1} {b,""} {c," "}; empty pieces ("a=1&&b") are skipped.
void append_params(std::string_view text, Params* params) {
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      params->emplace_back(form_decode(piece), std::string());
    } else {
      params->emplace_back(form_decode(piece.substr(0, eq)), form_decode(piece.substr(eq + 1)));
    }
  }
}

}  // namespace

void split_target(std::string_view target, std::string* path, Params* params) {
  // absolute-form: drop "scheme://authority".
  if (const size_t scheme = target.find("://");
      scheme != std::string_view::npos && !target.empty() && target.front() != '/') {
    const size_t slash = target.find_first_of("/?", scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  const size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  const size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  *path = raw_path.empty() ? std::string(1, '/') : percent_decode(raw_path);
  if (question != std::string_view::npos) append_params(target.substr(question + 1), params);
}

void append_form_params(std::string_view body, Params* params) { append_params(body, params); }

}  // namespace iw::server
