#include "source/spidev_port.h"

#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace iw::source {
namespace {

// Stands in for the kernel's spidev: checks what the port asks for and applies spidev's
// bounce-buffer rule (each transfer takes its length rounded up to `alignment`).
class FakeSpidev final : public SpidevSyscalls {
 public:
  size_t bufsiz = 4096;
  size_t alignment = 8;
  int fail_errno = 0;  // next message fails with this

  mutable int mode = -1, bits = -1;
  mutable uint32_t speed = 0;
  mutable int closes = 0;
  mutable std::vector<size_t> messages;        // transfers per SPI_IOC_MESSAGE
  mutable std::vector<spi_ioc_transfer> last;  // descriptors of the last message

  int open(const char* path, int) const override {
    if (std::string(path) == "/dev/spidev0.0") return 7;
    errno = ENOENT;
    return -1;
  }
  int close(int) const override {
    ++closes;
    return 0;
  }
  int ioctl(int fd, unsigned long request, void* arg) const override {
    EXPECT_EQ(fd, 7);
    if (request == SPI_IOC_WR_MODE) return mode = *static_cast<uint8_t*>(arg), 0;
    if (request == SPI_IOC_WR_BITS_PER_WORD) return bits = *static_cast<uint8_t*>(arg), 0;
    if (request == SPI_IOC_WR_MAX_SPEED_HZ) return speed = *static_cast<uint32_t*>(arg), 0;
    EXPECT_EQ(_IOC_TYPE(request), SPI_IOC_MAGIC);
    EXPECT_EQ(_IOC_NR(request), 0u);
    EXPECT_EQ(_IOC_DIR(request), unsigned{_IOC_WRITE});
    const size_t n = _IOC_SIZE(request) / sizeof(spi_ioc_transfer);
    EXPECT_EQ(_IOC_SIZE(request) % sizeof(spi_ioc_transfer), 0u);
    const auto* d = static_cast<const spi_ioc_transfer*>(arg);
    if (fail_errno) {
      errno = fail_errno;
      return -1;
    }
    size_t used = 0, total = 0;
    for (size_t k = 0; k < n; ++k) {
      used += (d[k].len + alignment - 1) / alignment * alignment;
      total += d[k].len;
    }
    if (used > bufsiz) {
      errno = EMSGSIZE;
      return -1;
    }
    last.assign(d, d + n);
    messages.push_back(n);
    for (size_t k = 0; k < n; ++k) {  // the "device" answers the complement of what it gets
      const auto* tx = reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(d[k].tx_buf));
      auto* rx = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(d[k].rx_buf));
      for (size_t i = 0; i < d[k].len; ++i) rx[i] = static_cast<uint8_t>(~tx[i]);
    }
    return static_cast<int>(total);
  }
};

SpidevPort::Options FakeOptions(const FakeSpidev& kernel) {
  SpidevPort::Options o;
  o.speed_hz = 1350000;
  o.bufsiz = kernel.bufsiz;
  o.syscalls = &kernel;
  return o;
}

TEST(SpidevPort, OpenSetsModeBitsAndClock) {
  FakeSpidev kernel;
  {
    auto port = SpidevPort::Open("/dev/spidev0.0", FakeOptions(kernel));
    ASSERT_TRUE(port.ok()) << port.error();
    EXPECT_EQ(kernel.mode, SPI_MODE_0);
    EXPECT_EQ(kernel.bits, 8);
    EXPECT_EQ(kernel.speed, 1350000u);
    EXPECT_EQ(port.value()->name(), "/dev/spidev0.0");
  }
  EXPECT_EQ(kernel.closes, 1);
}

TEST(SpidevPort, ReadsBufsizFromSysfs) {
  FakeSpidev kernel;
  const std::string path = ::testing::TempDir() + "/spidev_bufsiz";
  std::ofstream(path) << "65536\n";
  SpidevPort::Options o = FakeOptions(kernel);
  o.bufsiz = 0;
  o.bufsiz_path = path;
  auto port = SpidevPort::Open("/dev/spidev0.0", o);
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(port.value()->bufsiz(), 65536u);
  EXPECT_EQ(port.value()->max_transfers(3), 511u);  // the ioctl size field is the limit now
  o.bufsiz_path = path + ".missing";
  auto fallback = SpidevPort::Open("/dev/spidev0.0", o);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback.value()->bufsiz(), 4096u);
  std::remove(path.c_str());
}

TEST(SpidevPort, PacksABatchIntoOneMessageWithCsToggles) {
  FakeSpidev kernel;
  auto port = SpidevPort::Open("/dev/spidev0.0", FakeOptions(kernel)).value();
  const size_t n = 300;
  std::vector<uint8_t> tx(n * 3), rx(n * 3);
  for (size_t i = 0; i < tx.size(); ++i) tx[i] = static_cast<uint8_t>(i);
  ASSERT_TRUE(port->transfer(tx, rx, 3));
  ASSERT_EQ(kernel.messages, (std::vector<size_t>{n}));
  for (size_t k = 0; k < n; ++k) {
    const spi_ioc_transfer& d = kernel.last[k];
    EXPECT_EQ(d.len, 3u);
    EXPECT_EQ(d.speed_hz, 1350000u);
    EXPECT_EQ(d.bits_per_word, 8);
    EXPECT_EQ(d.cs_change, k + 1 < n ? 1 : 0) << k;  // never leave CS asserted at the end
    EXPECT_EQ(d.tx_buf, reinterpret_cast<uintptr_t>(tx.data() + 3 * k));
  }
  for (size_t i = 0; i < rx.size(); ++i) ASSERT_EQ(rx[i], static_cast<uint8_t>(~tx[i]));
}

TEST(SpidevPort, LearnsTheKernelsBufferAlignmentFromEmsgsize) {
  FakeSpidev kernel;
  kernel.alignment = 64;  // a 32-bit ARM kernel: 3-byte transfers cost 64 bytes each
  auto port = SpidevPort::Open("/dev/spidev0.0", FakeOptions(kernel)).value();
  EXPECT_EQ(port->max_transfers(3), 511u);  // optimistic start
  const size_t n = 200;
  std::vector<uint8_t> tx(n * 3, 0x5A), rx(n * 3);
  ASSERT_TRUE(port->transfer(tx, rx, 3));
  EXPECT_EQ(port->max_transfers(3), 64u);
  EXPECT_EQ(port->assumed_alignment(), 64u);
  EXPECT_EQ(kernel.messages, (std::vector<size_t>{64, 64, 64, 8}));
  for (uint8_t b : rx) ASSERT_EQ(b, 0xA5);
  kernel.messages.clear();
  std::vector<uint8_t> tx2(64 * 3), rx2(64 * 3);
  ASSERT_TRUE(port->transfer(tx2, rx2, 3));
  EXPECT_EQ(kernel.messages, (std::vector<size_t>{64}));
}

TEST(SpidevPort, RefusesBatchesOverTheLimit) {
  FakeSpidev kernel;
  auto port = SpidevPort::Open("/dev/spidev0.0", FakeOptions(kernel)).value();
  std::vector<uint8_t> tx(600 * 3), rx(600 * 3);
  const Status s = port->transfer(tx, rx, 3);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("/dev/spidev0.0"), std::string::npos);
  EXPECT_TRUE(kernel.messages.empty());
  std::vector<uint8_t> odd(7);
  EXPECT_FALSE(port->transfer(odd, odd, 3));
}

TEST(SpidevPort, TransferErrorNamesDeviceAndErrno) {
  FakeSpidev kernel;
  auto port = SpidevPort::Open("/dev/spidev0.0", FakeOptions(kernel)).value();
  kernel.fail_errno = EIO;
  std::vector<uint8_t> tx(30), rx(30);
  const Status s = port->transfer(tx, rx, 3);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("/dev/spidev0.0"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("Input/output error"), std::string::npos) << s.message();
}

TEST(SpidevPort, MissingDeviceGivesAClearError) {
  SpidevPort::Options o;
  auto port = SpidevPort::Open("/dev/spidev9.9", o);
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.error(),
            "cannot open /dev/spidev9.9: No such file or directory (enable SPI: dtparam=spi=on in /boot/config.txt, or "
            "raspi-config > Interface Options > SPI, then reboot)");
}

// Opens fail with one errno, as the kernel (or a systemd device policy) answers.
class RefusingSpidev final : public SpidevSyscalls {
 public:
  explicit RefusingSpidev(int error) : error_(error) {}
  int open(const char*, int) const override {
    errno = error_;
    return -1;
  }
  int ioctl(int, unsigned long, void*) const override { return -1; }
  int close(int) const override { return 0; }

 private:
  int error_;
};

TEST(SpidevPort, ForbiddenDeviceNamesTheUserAndTheGroup) {
  const passwd* pw = getpwuid(geteuid());
  ASSERT_NE(pw, nullptr);
  const std::string user = pw->pw_name;
  RefusingSpidev denied(EACCES);
  SpidevPort::Options o;
  o.syscalls = &denied;
  auto port = SpidevPort::Open("/dev/spidev0.0", o);
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.error(), "cannot open /dev/spidev0.0: Permission denied (add user " + user +
                              " to group spi: sudo adduser " + user + " spi, then restart the daemon)");
  RefusingSpidev policy(EPERM);
  o.syscalls = &policy;
  port = SpidevPort::Open("/dev/spidev0.0", o);
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().find("DeviceAllow=char-spi rw"), std::string::npos) << port.error();
}

TEST(SpidevPort, NonSpidevNodeIsNamed) {
  auto port = SpidevPort::Open("/dev/null", SpidevPort::Options{});
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.error().find("cannot set SPI mode 0 on /dev/null"), std::string::npos) << port.error();
  EXPECT_NE(port.error().find("spidev"), std::string::npos) << port.error();
}

TEST(SpidevPort, OpenBoardPortsStopsAtTheFirstMissingDevice) {
  Board board = find_board("iotawatt-v5").value();
  board.spi_devices = {"/dev/spidev9.0", "/dev/spidev9.1"};
  auto ports = open_spidev_ports(board);
  ASSERT_FALSE(ports.ok());
  EXPECT_NE(ports.error().find("/dev/spidev9.0"), std::string::npos);
}

}  // namespace
}  // namespace iw::source
