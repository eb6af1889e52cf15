// How the engine sends a request: an interface, so engine tests inject a fake server and the
// daemon a libcurl client (curl_transport.h).
#pragma once

#include "base/status.h"
#include "upload/protocol.h"

namespace iw::upload {

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends `request` and waits for the whole answer. An error (no connection, timeout, TLS
  // refused) names the host and the reason; any HTTP answer, whatever its status, is a value.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace iw::upload
