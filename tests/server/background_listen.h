// Runs a bound cpp-httplib server's accept loop on a thread of its own.
//
// cpp-httplib's stop() does nothing until the accept loop has begun (it only closes the socket
// of a running server), so a stop() right after `std::thread([&] { s.listen_after_bind(); })`
// can leave that thread listening forever and its join() hanging. This returns only once the
// loop runs (or after 5 s, when listening failed), so stop() always ends it.
#pragma once

#include <httplib.h>

#include <chrono>
#include <thread>

namespace iw::testing {

// REQUIRES: `server` is bound (bind_to_port / bind_to_any_port) and outlives the thread.
inline std::thread listen_in_background(httplib::Server& server) {
  std::thread thread([&server] { server.listen_after_bind(); });
  for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return thread;
}

}  // namespace iw::testing
