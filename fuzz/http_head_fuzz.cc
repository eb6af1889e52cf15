// libFuzzer target: arbitrary bytes as what a client sends before its body. Beast's request
// parser reads the head with the edge's limits (16 KiB, then 431), and a head it accepts is
// turned into the handlers' HttpRequest: the target split and percent-decoded, the headers
// copied, and the request guard run on it as the edge runs it. Must not crash, leak, hang or
// trip a sanitizer; a decoded path never grows longer than the target it came from.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server/edge_limits.h"
#include "server/request_target.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const iw::server::EdgeLimits limits;
  http::request_parser<http::empty_body> parser;
  parser.header_limit(static_cast<uint32_t>(limits.head_bytes));
  parser.eager(false);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) return 0;
  const auto& head = parser.get();
  iw::server::HttpRequest request;
  request.method = std::string(head.method_string());
  request.target = std::string(head.target());
  iw::server::split_target(request.target, &request.path, &request.params);
  for (const auto& field : head)
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  if (request.path.size() > request.target.size() + 1) {
    std::fprintf(stderr, "http_head_fuzz: path '%s' longer than target '%s'\n", request.path.c_str(),
                 request.target.c_str());
    std::abort();
  }
  iw::server::Params form;
  iw::server::append_form_params(request.target, &form);
  return 0;
}
