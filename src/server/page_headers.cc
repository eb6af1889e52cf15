#include "server/page_headers.h"

namespace iw::server {

HttpResponse with_page_headers(HttpResponse response) {
  response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  return response;
}

}  // namespace iw::server
