// The HTTP side of a daemon end-to-end test: waiting for the daemon to serve.
#pragma once

#include <httplib.h>

#include <chrono>
#include <thread>

namespace iw::testing {

// True once the daemon behind `client` answers GET /nullreq; false after `tries` x 50 ms.
inline bool wait_until_serving(httplib::Client& client, int tries = 600) {
  for (int i = 0; i < tries; ++i) {
    if (auto res = client.Get("/nullreq"); res && res->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace iw::testing
