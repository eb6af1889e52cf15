#include "source/spidev_port.h"

#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cstring>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <utility>

namespace iw::source {

namespace {

class RealSyscalls final : public SpidevSyscalls {
 public:
  int open(const char* path, int flags) const override { return ::open(path, flags); }
  int ioctl(int fd, unsigned long request, void* arg) const override { return ::ioctl(fd, request, arg); }
  int close(int fd) const override { return ::close(fd); }
};

constexpr size_t kDefaultBufsiz = 4096;  // spidev's default bounce buffer
constexpr size_t kMaxAlignment = 4096;
// The descriptor array travels in the ioctl number's size field.
constexpr size_t kMaxDescriptors = ((size_t{1} << _IOC_SIZEBITS) - 1) / sizeof(spi_ioc_transfer);

// Who the daemon runs as, for a hint that names the user to add to a group.
std::string user_name() {
  const passwd* pw = getpwuid(geteuid());
  return pw != nullptr && pw->pw_name != nullptr ? pw->pw_name : "the daemon's user";
}

// What to do about the usual reasons a spidev device does not open.
std::string open_hint(int error) {
  switch (error) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      return " (enable SPI: dtparam=spi=on in /boot/config.txt, or raspi-config > Interface Options > SPI, "
             "then reboot)";
    case EACCES:
      return " (add user " + user_name() + " to group spi: sudo adduser " + user_name() +
             " spi, then restart the daemon)";
    case EPERM:
      return " (not permitted: under systemd the unit needs DeviceAllow=char-spi rw; else add user " + user_name() +
             " to group spi)";
    case EBUSY:
      return " (another program holds the device)";
    default:
      return "";
  }
}

size_t read_bufsiz(const std::string& path) {
  std::ifstream in(path);
  size_t value = 0;
  if (in >> value && value > 0) return value;
  return kDefaultBufsiz;
}

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

// The SPI_IOC_MESSAGE(n) request number, computed at run time (the macro wants a constant).
unsigned long message_request(size_t count) {
  return _IOC(_IOC_WRITE, SPI_IOC_MAGIC, 0, count * sizeof(spi_ioc_transfer));
}

}  // namespace

const SpidevSyscalls& real_spidev_syscalls() {
  static const RealSyscalls sys;
  return sys;
}

Result<std::unique_ptr<SpidevPort>> SpidevPort::Open(const std::string& path, const Options& options) {
  const SpidevSyscalls& sys = options.syscalls ? *options.syscalls : real_spidev_syscalls();
  if (options.speed_hz == 0) return Status::InvalidArgument("SPI clock for " + path + " must be > 0 Hz");
  const int fd = sys.open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return Status::IOError("cannot open " + path + ": " + std::strerror(error) + open_hint(error));
  }
  auto fail = [&](const std::string& what) -> Status {
    const int error = errno;
    sys.close(fd);
    return Status::IOError("cannot " + what + " on " + path + ": " + std::strerror(error) +
                           (error == ENOTTY || error == EINVAL ? " (is it a spidev device?)" : ""));
  };
  uint8_t mode = SPI_MODE_0;
  if (sys.ioctl(fd, SPI_IOC_WR_MODE, &mode) < 0) return fail("set SPI mode 0");
  uint8_t bits = 8;
  if (sys.ioctl(fd, SPI_IOC_WR_BITS_PER_WORD, &bits) < 0) return fail("set 8 bits per word");
  uint32_t speed = options.speed_hz;
  if (sys.ioctl(fd, SPI_IOC_WR_MAX_SPEED_HZ, &speed) < 0) {
    return fail("set the SPI clock to " + std::to_string(options.speed_hz) + " Hz");
  }
  const size_t bufsiz = options.bufsiz ? options.bufsiz : read_bufsiz(options.bufsiz_path);
  return std::unique_ptr<SpidevPort>(new SpidevPort(path, fd, options, bufsiz));
}

SpidevPort::SpidevPort(std::string path, int fd, const Options& options, size_t bufsiz)
    : path_(std::move(path)),
      fd_(fd),
      speed_hz_(options.speed_hz),
      bufsiz_(bufsiz),
      sys_(options.syscalls ? options.syscalls : &real_spidev_syscalls()) {
  descriptors_.reserve(kMaxDescriptors);
}

SpidevPort::~SpidevPort() { sys_->close(fd_); }

size_t SpidevPort::max_transfers(size_t bytes_per_transfer) const {
  if (bytes_per_transfer == 0) return 1;
  const size_t by_buffer = bufsiz_ / round_up(bytes_per_transfer, alignment_);
  return std::max<size_t>(1, std::min(kMaxDescriptors, by_buffer));
}

Status SpidevPort::transfer(std::span<const uint8_t> tx, std::span<uint8_t> rx, size_t bytes_per_transfer) {
  if (bytes_per_transfer == 0 || tx.size() != rx.size() || tx.size() % bytes_per_transfer != 0) {
    return Status::InvalidArgument(path_ + ": malformed SPI batch (" + std::to_string(tx.size()) + " tx bytes, " +
                                   std::to_string(rx.size()) + " rx bytes, " + std::to_string(bytes_per_transfer) +
                                   " per transfer)");
  }
  const size_t total = tx.size() / bytes_per_transfer;
  if (total > max_transfers(bytes_per_transfer)) {
    return Status::InvalidArgument(path_ + ": batch of " + std::to_string(total) + " transfers exceeds the limit of " +
                                   std::to_string(max_transfers(bytes_per_transfer)));
  }
  size_t done = 0;
  while (done < total) {
    const size_t count = std::min(total - done, max_transfers(bytes_per_transfer));
    int error = 0;
    Status s = message(tx.data() + done * bytes_per_transfer, rx.data() + done * bytes_per_transfer, count,
                       bytes_per_transfer, &error);
    if (s) {
      done += count;
      continue;
    }
    // EMSGSIZE: the bounce buffer holds fewer transfers than assumed; nothing was clocked.
    if (error == EMSGSIZE && max_transfers(bytes_per_transfer) > 1 && alignment_ < kMaxAlignment) {
      const size_t before = max_transfers(bytes_per_transfer);
      while (alignment_ < kMaxAlignment && max_transfers(bytes_per_transfer) == before) alignment_ *= 2;
      if (max_transfers(bytes_per_transfer) < before) continue;
    }
    return s;
  }
  return Status::Ok();
}

Status SpidevPort::message(const uint8_t* tx, uint8_t* rx, size_t count, size_t bytes, int* error) {
  descriptors_.assign(count, spi_ioc_transfer{});
  for (size_t k = 0; k < count; ++k) {
    spi_ioc_transfer& d = descriptors_[k];
    d.tx_buf = reinterpret_cast<uintptr_t>(tx + k * bytes);
    d.rx_buf = reinterpret_cast<uintptr_t>(rx + k * bytes);
    d.len = static_cast<uint32_t>(bytes);
    d.speed_hz = speed_hz_;
    d.bits_per_word = 8;
    // Between transfers: release CS so the chip starts a new conversion. On the last one
    // cs_change would mean "keep CS asserted after the message", which we never want.
    d.cs_change = k + 1 < count ? 1 : 0;
  }
  const int ret = sys_->ioctl(fd_, message_request(count), descriptors_.data());
  if (ret < 0) {
    *error = errno;
    std::string text = path_ + ": SPI transfer of " + std::to_string(count) + " x " + std::to_string(bytes) +
                       " bytes failed: " + std::strerror(*error);
    if (*error == EMSGSIZE) text += " (spidev.bufsiz is " + std::to_string(bufsiz_) + ")";
    return Status::IOError(std::move(text));
  }
  if (static_cast<size_t>(ret) != count * bytes) {
    *error = EIO;
    return Status::IOError(path_ + ": SPI transfer moved " + std::to_string(ret) + " of " +
                           std::to_string(count * bytes) + " bytes");
  }
  return Status::Ok();
}

Result<std::vector<std::unique_ptr<SpiPort>>> open_spidev_ports(const Board& board) {
  std::vector<std::unique_ptr<SpiPort>> ports;
  SpidevPort::Options options;
  options.speed_hz = board.spi_hz;
  for (const std::string& path : board.spi_devices) {
    auto port = SpidevPort::Open(path, options);
    if (!port.ok()) return port.status();
    ports.push_back(std::move(port).value());
  }
  return ports;
}

}  // namespace iw::source
