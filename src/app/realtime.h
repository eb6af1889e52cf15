// Real-time scheduling for the sampling thread, and nothing else: the Linux calls (SCHED_FIFO,
// CPU affinity, mlockall, stack pre-faulting) in one place, each answering a Status so the
// caller can warn and carry on at normal priority. With a real ADC a late read is a gap in the
// waveform; every other thread of the daemon (HTTP, datalog, uploaders, MQTT) stays SCHED_OTHER.
//
// What it needs (see README "Real-time sampling"): SCHED_FIFO at priority P needs
// RLIMIT_RTPRIO >= P (systemd: LimitRTPRIO=) or CAP_SYS_NICE; locking memory needs
// RLIMIT_MEMLOCK unlimited (LimitMEMLOCK=infinity) or CAP_IPC_LOCK.
#pragma once

#include <pthread.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "base/status.h"

namespace iw::app {

// What `iotawatt run --realtime/--rt-priority/--rt-cpu` asked for.
struct RealtimeRequest {
  enum class Mode { kAuto, kOn, kOff };
  // kAuto: on for an ADC board (a source that paces itself), off for the simulator and replay.
  Mode mode = Mode::kAuto;
  // SCHED_FIFO priority (1-99). 20: above every normal thread, below the kernel's threaded
  // interrupt handlers (50 on PREEMPT_RT), which an SPI transfer's completion may need.
  int priority = 20;
  // The CPU the sampling thread is pinned to: kLastCpu, a CPU number, or kNoCpu (not pinned).
  static constexpr int kLastCpu = -1;
  static constexpr int kNoCpu = -2;
  int cpu = kLastCpu;
};

// The policy one sampling thread gets.
struct RealtimePlan {
  bool fifo = false;
  int priority = 0;
  int cpu = RealtimeRequest::kNoCpu;  // pin the sampling thread here when >= 0
  // Other threads are kept off `cpu` when the process has at least this many CPUs: with two, the
  // daemon's other threads would lose half the machine to a thread that needs a fraction of a core.
  bool exclusive_cpu = false;
};

// Parses "auto", "on" or "off".
Result<RealtimeRequest::Mode> parse_realtime_mode(const std::string& text);
// Parses "last", "none" or a CPU number.
Result<int> parse_realtime_cpu(const std::string& text);

// The plan for a sampling thread. `self_paced`: the source blocks until its conversions exist
// (an ADC); `sleeps`: the sampling thread waits between blocks at all (false for an unpaced
// simulator, which must never run SCHED_FIFO: it would hold a core for good). `allowed_cpus`:
// the CPUs the process may run on. Pure; tested without privileges.
RealtimePlan plan_realtime(const RealtimeRequest& request, bool self_paced, bool sleeps,
                           const std::vector<int>& allowed_cpus);

// The CPUs the calling thread may run on, ascending.
std::vector<int> allowed_cpus();

// The calling thread (and every thread it creates later, which inherits its mask) stays off
// `cpu`. Call before the daemon's threads start.
Status keep_off_cpu(int cpu);
// Pins the calling thread to `cpu`.
Status pin_to_cpu(int cpu);
// SCHED_FIFO at `priority` for the calling thread. The error names what to grant.
Status set_fifo(int priority);
// mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT): pages the daemon touches are never paged
// out (its code included), and nothing untouched is made resident (thread stacks, malloc's
// reserves). Refused, before calling mlockall, unless RLIMIT_MEMLOCK is unlimited or the
// process has CAP_IPC_LOCK: with a finite limit MCL_FUTURE would make later allocations fail.
Status lock_memory();
// Touches `bytes` of the calling thread's stack so its first deep call does not page-fault.
void prefault_stack(size_t bytes);

// A thread's scheduling as the kernel sees it (for tests and logs).
struct ThreadScheduling {
  int policy = 0;  // SCHED_OTHER, SCHED_FIFO, ...
  int priority = 0;
  std::vector<int> cpus;
};
Result<ThreadScheduling> thread_scheduling(pid_t tid);
// "SCHED_FIFO 20 on CPU 1", "SCHED_OTHER on CPUs 0-1".
std::string describe(const ThreadScheduling& s);

// A mutex with priority inheritance: a normal thread holding it while the SCHED_FIFO sampling
// thread waits runs at the sampler's priority until it lets go, so a CPU hog cannot hold the
// sampler up through it. BasicLockable (std::lock_guard, std::unique_lock,
// std::condition_variable_any).
class PiMutex {
 public:
  PiMutex();
  ~PiMutex();
  PiMutex(const PiMutex&) = delete;
  PiMutex& operator=(const PiMutex&) = delete;
  void lock();
  bool try_lock();
  void unlock();

 private:
  pthread_mutex_t mu_;
};

}  // namespace iw::app
