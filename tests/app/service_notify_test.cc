// sd_notify under a fake systemd: a datagram socket named by NOTIFY_SOCKET receives READY=1
// after serving() and the first checkpoint, and WATCHDOG=1 only while checkpoints go on.
#include "app/service_notify.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace iw::app {
namespace {

class FakeSystemd {
 public:
  FakeSystemd() {
    path_ = (std::filesystem::temp_directory_path() / ("notify_test_" + std::to_string(::getpid()))).string();
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) ADD_FAILURE() << "bind " << path_;
  }
  ~FakeSystemd() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  // Every message that arrives within `ms`.
  std::vector<std::string> receive(int ms) {
    std::vector<std::string> got;
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, ms) > 0) {
      char buf[512];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) got.emplace_back(buf, static_cast<size_t>(n));
      ms = 0;  // drain what is there, then stop
    }
    return got;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

bool has(const std::vector<std::string>& messages, const std::string& what) {
  for (const auto& m : messages) {
    if (m.find(what) != std::string::npos) return true;
  }
  return false;
}

// WATCHDOG=1 messages over six 100 ms steps, with `progress` called before each step.
template <typename Progress>
int feeds_while(FakeSystemd& systemd, Progress progress) {
  int fed = 0;
  for (int i = 0; i < 6; ++i) {
    progress();
    for (const auto& m : systemd.receive(100)) fed += m == "WATCHDOG=1";
  }
  return fed;
}

// WATCHDOG=1 messages in 800 ms without progress, after 250 ms for a feed already due.
int feeds_while_stalled(FakeSystemd& systemd) {
  systemd.receive(250);
  int fed = 0;
  for (const auto& m : systemd.receive(800)) fed += m == "WATCHDOG=1";
  return fed;
}

class ServiceNotifyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
};

TEST_F(ServiceNotifyTest, OutsideSystemdItIsOff) {
  ::unsetenv("NOTIFY_SOCKET");
  ServiceNotifier n;
  EXPECT_FALSE(n.enabled());
  n.on_checkpoint();
  n.serving();  // no thread, no socket: nothing to wait for
}

TEST_F(ServiceNotifyTest, ReadyAfterServingAndFirstCheckpointThenWatchdogOnlyWhileProgressing) {
  FakeSystemd systemd;
  ::setenv("NOTIFY_SOCKET", systemd.path().c_str(), 1);
  ::setenv("WATCHDOG_USEC", "400000", 1);  // fed every 200 ms
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ServiceNotifier n;
  ASSERT_TRUE(n.enabled());
  EXPECT_EQ(n.watchdog().count(), 400000);

  n.on_checkpoint();
  EXPECT_TRUE(systemd.receive(300).empty()) << "READY=1 before the HTTP listener is up";
  n.serving();
  auto got = systemd.receive(500);
  ASSERT_TRUE(has(got, "READY=1")) << "no READY=1 after serving() and a checkpoint";

  // Progressing: each half watchdog period with a new checkpoint is fed.
  EXPECT_GE(feeds_while(systemd, [&] { n.on_checkpoint(); }), 1) << "a progressing sampler must feed the watchdog";
  // Stalled: no checkpoint, so at most one feed for a checkpoint already counted.
  EXPECT_EQ(feeds_while_stalled(systemd), 0) << "the watchdog was fed while the sampler made no checkpoint";

  n.on_checkpoint();
  EXPECT_TRUE(has(systemd.receive(400), "WATCHDOG=1")) << "feeding must resume with the next checkpoint";
}

// A daemon whose ADC cannot be opened is ready (it serves) and says why; the loop that waits
// for the ADC feeds the watchdog, and stops feeding it when it hangs.
TEST_F(ServiceNotifyTest, WaitingForTheSourceIsReadyWithItsStatusAndFedByTheWait) {
  FakeSystemd systemd;
  ::setenv("NOTIFY_SOCKET", systemd.path().c_str(), 1);
  ::setenv("WATCHDOG_USEC", "400000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ServiceNotifier n;
  n.set_status("serving, not measuring: cannot open /dev/spidev0.0: No such file or directory");
  n.serving();
  n.on_source_wait();
  const auto got = systemd.receive(500);
  EXPECT_TRUE(has(got, "READY=1\nSTATUS=serving, not measuring: cannot open /dev/spidev0.0")) << got.size();

  EXPECT_GE(feeds_while(systemd, [&] { n.on_source_wait(); }), 1) << "a waiting loop that ticks must feed the watchdog";
  EXPECT_EQ(feeds_while_stalled(systemd), 0) << "fed while the waiting loop made no tick (a hung retry)";

  n.set_status("measuring and serving");
  EXPECT_TRUE(has(systemd.receive(500), "STATUS=measuring and serving"));
}

TEST_F(ServiceNotifyTest, WatchdogOfAnotherProcessIsNotOurs) {
  FakeSystemd systemd;
  ::setenv("NOTIFY_SOCKET", systemd.path().c_str(), 1);
  ::setenv("WATCHDOG_USEC", "400000", 1);
  ::setenv("WATCHDOG_PID", "1", 1);  // set for PID 1, inherited by us
  ServiceNotifier n;
  EXPECT_TRUE(n.enabled());
  EXPECT_EQ(n.watchdog().count(), 0);
}

}  // namespace
}  // namespace iw::app
