// SpiPort over Linux spidev (/dev/spidevB.C): one SPI_IOC_MESSAGE ioctl per transfer() call.
//
// Limits a batch must respect, both enforced here:
//  - the ioctl size field (14 bits on most architectures) holds at most 511 transfer
//    descriptors of 32 bytes;
//  - spidev copies through bounce buffers of `bufsiz` bytes (module parameter, default 4096;
//    /sys/module/spidev/parameters/bufsiz), and each transfer takes its length rounded up to
//    the kernel's DMA/kmalloc alignment, which user space cannot query (8 on x86 and recent
//    arm64, 64 or 128 on many ARM kernels). The port starts by assuming 8 and, when the
//    kernel answers EMSGSIZE (rejected before anything is clocked), doubles the assumed
//    alignment. On a Pi with the default 4096-byte buffer that can mean only 32-64
//    conversions per call; `spidev.bufsiz=65536` on the kernel command line restores 511.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "source/board.h"
#include "source/spi_port.h"

struct spi_ioc_transfer;  // <linux/spi/spidev.h>, included by the .cc only

namespace iw::source {

// The system calls SpidevPort makes, so tests can stand in for the kernel. Each returns what
// the libc call returns and sets errno on failure.
class SpidevSyscalls {
 public:
  virtual ~SpidevSyscalls() = default;
  virtual int open(const char* path, int flags) const = 0;
  virtual int ioctl(int fd, unsigned long request, void* arg) const = 0;
  virtual int close(int fd) const = 0;
};
const SpidevSyscalls& real_spidev_syscalls();

class SpidevPort final : public SpiPort {
 public:
  struct Options {
    uint32_t speed_hz = 2000000;
    // Bounce-buffer size; 0 reads `bufsiz_path`, or uses 4096 when that cannot be read.
    size_t bufsiz = 0;
    std::string bufsiz_path = "/sys/module/spidev/parameters/bufsiz";
    const SpidevSyscalls* syscalls = nullptr;  // nullptr: the real ones
  };

  // Opens the device and sets SPI mode 0, 8 bits per word and the clock. Errors name the
  // device and the errno text, with a hint for the usual causes (SPI not enabled, no
  // permission, not a spidev node).
  static Result<std::unique_ptr<SpidevPort>> Open(const std::string& path, const Options& options);
  ~SpidevPort() override;
  SpidevPort(const SpidevPort&) = delete;
  SpidevPort& operator=(const SpidevPort&) = delete;

  // One SPI_IOC_MESSAGE(n). Every transfer but the last sets cs_change, so CS goes high
  // between conversions and is released at the end of the message. Should the kernel reject
  // the message as too large, the limit is lowered and this call alone completes in several
  // messages.
  Status transfer(std::span<const uint8_t> tx, std::span<uint8_t> rx, size_t bytes_per_transfer) override;
  size_t max_transfers(size_t bytes_per_transfer) const override;
  std::string name() const override { return path_; }

  size_t bufsiz() const { return bufsiz_; }
  size_t assumed_alignment() const { return alignment_; }

 private:
  SpidevPort(std::string path, int fd, const Options& options, size_t bufsiz);
  Status message(const uint8_t* tx, uint8_t* rx, size_t count, size_t bytes, int* error);

  std::string path_;
  int fd_;
  uint32_t speed_hz_;
  size_t bufsiz_;
  size_t alignment_ = 8;
  const SpidevSyscalls* sys_;
  std::vector<spi_ioc_transfer> descriptors_;  // reused across calls
};

// Opens one SpidevPort per chip of `board`, in chip order, at the board's clock.
Result<std::vector<std::unique_ptr<SpiPort>>> open_spidev_ports(const Board& board);

}  // namespace iw::source
