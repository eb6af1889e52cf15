// Facts about the machine the daemon runs on, for /status.
#pragma once

#include <cstdint>
#include <string>

namespace iw::app {

struct NetworkIdentity {
  std::string mac = "00:00:00:00:00:00";  // of the first non-loopback interface
  std::string ip;
};

NetworkIdentity network_identity();
// Bytes of memory available to new allocations (MemAvailable), or 0 if unknown.
int64_t available_memory_bytes();
// CPU seconds used so far by this process / by the calling thread.
double process_cpu_seconds();
double thread_cpu_seconds();

}  // namespace iw::app
