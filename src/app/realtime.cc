#include "app/realtime.h"

#include <alloca.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <string>

#include <fmt/format.h>

namespace iw::app {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// Whether the process holds capability `bit` (capability.h numbering) in its effective set,
// from /proc/self/status (no libcap).
bool has_capability(int bit) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
    return ((mask >> bit) & 1ULL) != 0;
  }
  return false;
}

constexpr int kCapIpcLock = 14;
constexpr int kCapSysNice = 23;

Status set_affinity(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(static_cast<size_t>(cpu), &set);
  const int err = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  if (err != 0) return Status::Unavailable("pthread_setaffinity_np: " + errno_text(err));
  return Status::Ok();
}

std::string cpu_list(const std::vector<int>& cpus) {
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += j == i ? std::to_string(cpus[i]) : fmt::format("{}-{}", cpus[i], cpus[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

Result<RealtimeRequest::Mode> parse_realtime_mode(const std::string& text) {
  if (text == "auto") return RealtimeRequest::Mode::kAuto;
  if (text == "on") return RealtimeRequest::Mode::kOn;
  if (text == "off") return RealtimeRequest::Mode::kOff;
  return Status::InvalidArgument("--realtime: auto, on or off, not '" + text + "'");
}

Result<int> parse_realtime_cpu(const std::string& text) {
  if (text == "last") return RealtimeRequest::kLastCpu;
  if (text == "none") return RealtimeRequest::kNoCpu;
  int cpu = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cpu);
  if (ec != std::errc() || end != text.data() + text.size() || cpu < 0 || cpu >= CPU_SETSIZE) {
    return Status::InvalidArgument("--rt-cpu: last, none or a CPU number, not '" + text + "'");
  }
  return cpu;
}

RealtimePlan plan_realtime(const RealtimeRequest& request, bool self_paced, bool sleeps,
                           const std::vector<int>& allowed_cpus) {
  RealtimePlan plan;
  const bool wanted =
      request.mode == RealtimeRequest::Mode::kOn || (request.mode == RealtimeRequest::Mode::kAuto && self_paced);
  if (!wanted || !sleeps) return plan;
  plan.fifo = true;
  plan.priority = std::clamp(request.priority, 1, 99);
  // One CPU: nothing to pin to. Otherwise the requested CPU if the process may use it.
  if (allowed_cpus.size() < 2 || request.cpu == RealtimeRequest::kNoCpu) return plan;
  if (request.cpu == RealtimeRequest::kLastCpu) {
    plan.cpu = allowed_cpus.back();
  } else if (std::find(allowed_cpus.begin(), allowed_cpus.end(), request.cpu) != allowed_cpus.end()) {
    plan.cpu = request.cpu;
  } else {
    return plan;
  }
  plan.exclusive_cpu = allowed_cpus.size() >= 3;
  return plan;
}

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> out;
  if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) != 0) return out;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(static_cast<size_t>(cpu), &set)) out.push_back(cpu);
  }
  return out;
}

Status keep_off_cpu(int cpu) {
  std::vector<int> cpus = allowed_cpus();
  std::erase(cpus, cpu);
  if (cpus.empty()) return Status::InvalidArgument(fmt::format("CPU {} is the only one this process may use", cpu));
  return set_affinity(cpus);
}

Status pin_to_cpu(int cpu) { return set_affinity({cpu}); }

Status set_fifo(int priority) {
  sched_param param{};
  param.sched_priority = priority;
  const int err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
  if (err == 0) return Status::Ok();
  rlimit limit{};
  getrlimit(RLIMIT_RTPRIO, &limit);
  return Status::Unavailable(fmt::format(
      "SCHED_FIFO {}: {} (RLIMIT_RTPRIO is {}{}; grant LimitRTPRIO={} or CAP_SYS_NICE, as the iotawatt.service "
      "unit does)",
      priority, errno_text(err), limit.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(limit.rlim_cur),
      has_capability(kCapSysNice) ? "" : ", no CAP_SYS_NICE", priority));
}

Status lock_memory() {
  rlimit limit{};
  getrlimit(RLIMIT_MEMLOCK, &limit);
  if (limit.rlim_cur != RLIM_INFINITY && !has_capability(kCapIpcLock)) {
    return Status::Unavailable(
        fmt::format("memory not locked: RLIMIT_MEMLOCK is {} KiB and no CAP_IPC_LOCK (a finite limit would make later "
                    "allocations fail; grant LimitMEMLOCK=infinity or CAP_IPC_LOCK)",
                    limit.rlim_cur / 1024));
  }
  if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0) {
    return Status::Unavailable("mlockall: " + errno_text(errno));
  }
  return Status::Ok();
}

void prefault_stack(size_t bytes) {
  // A volatile buffer the compiler cannot drop; one write per page is enough.
  constexpr size_t kPage = 4096;
  constexpr size_t kMax = 1 << 20;
  bytes = std::min(bytes, kMax);
  auto* buffer = static_cast<volatile char*>(alloca(bytes));
  for (size_t i = 0; i < bytes; i += kPage) buffer[i] = 0;
}

Result<ThreadScheduling> thread_scheduling(pid_t tid) {
  ThreadScheduling out;
  out.policy = sched_getscheduler(tid);
  if (out.policy < 0) return Status::Unavailable(fmt::format("sched_getscheduler({}): {}", tid, errno_text(errno)));
  out.policy &= ~SCHED_RESET_ON_FORK;
  sched_param param{};
  if (sched_getparam(tid, &param) != 0) {
    return Status::Unavailable(fmt::format("sched_getparam({}): {}", tid, errno_text(errno)));
  }
  out.priority = param.sched_priority;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(tid, sizeof set, &set) != 0) {
    return Status::Unavailable(fmt::format("sched_getaffinity({}): {}", tid, errno_text(errno)));
  }
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(static_cast<size_t>(cpu), &set)) out.cpus.push_back(cpu);
  }
  return out;
}

std::string describe(const ThreadScheduling& s) {
  std::string policy = s.policy == SCHED_FIFO ? fmt::format("SCHED_FIFO {}", s.priority)
                       : s.policy == SCHED_RR ? fmt::format("SCHED_RR {}", s.priority)
                                              : std::string("SCHED_OTHER");
  return fmt::format("{} on CPU{} {}", policy, s.cpus.size() == 1 ? "" : "s", cpu_list(s.cpus));
}

PiMutex::PiMutex() {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&mu_, &attr);
  pthread_mutexattr_destroy(&attr);
}

PiMutex::~PiMutex() { pthread_mutex_destroy(&mu_); }

void PiMutex::lock() { pthread_mutex_lock(&mu_); }

bool PiMutex::try_lock() { return pthread_mutex_trylock(&mu_) == 0; }

void PiMutex::unlock() { pthread_mutex_unlock(&mu_); }

}  // namespace iw::app
