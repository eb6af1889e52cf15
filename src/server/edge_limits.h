// Every limit of the HTTP edge, in one place (README "HTTP edge"). A request that crosses a
// size limit is answered with the status named here; one that runs out of time is closed
// without an answer. Either way its connection is closed and nothing else waits.
#pragma once

#include <chrono>
#include <cstddef>

namespace iw::server {

struct EdgeLimits {
  size_t head_bytes = 16 * 1024;  // request line + headers; more: 431
  size_t header_count = 100;      // more: 431
  size_t body_bytes = 1 << 20;    // Content-Length or chunked, counted as it arrives; more: 413
  // From the moment the server waits for a request (new or keep-alive connection) until its
  // head is complete; silent or trickling clients are closed when it passes.
  std::chrono::milliseconds head_deadline{10'000};
  std::chrono::milliseconds body_deadline{30'000};   // the whole body
  std::chrono::milliseconds write_deadline{30'000};  // each write of an answer (or a chunk of one)
  std::chrono::milliseconds tls_handshake_deadline{10'000};
  size_t connections_per_client = 32;  // see ConnectionTable for who gives way
  size_t connections_total = 512;
  size_t workers = 4;                       // threads that run handlers
  size_t queued_requests = 64;              // complete requests waiting for a worker; more: 503
  size_t stream_buffer_bytes = 256 * 1024;  // a streamed answer's bytes not yet written
};

}  // namespace iw::server
