// One SPI chip select, seen as a batch engine: a call performs many equal-length transfers
// as one transaction list, with the chip select released between transfers. One call per
// batch is what makes continuous sampling possible on Linux: a system call per conversion
// costs more than the conversion itself (reference/field-notes.md section 2.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "base/status.h"

namespace iw::source {

class SpiPort {
 public:
  virtual ~SpiPort() = default;

  // Clocks tx out and rx in as tx.size() / bytes_per_transfer transfers, back to back in one
  // transaction list: CS is asserted for each transfer and released between transfers and at
  // the end. rx[i] is the byte clocked in while tx[i] was clocked out.
  // REQUIRES: rx.size() == tx.size(), bytes_per_transfer > 0 and divides tx.size(), and the
  // transfer count is at most max_transfers(bytes_per_transfer).
  // On error nothing in rx is meaningful; the message names the device.
  virtual Status transfer(std::span<const uint8_t> tx, std::span<uint8_t> rx, size_t bytes_per_transfer) = 0;

  // Most transfers of `bytes_per_transfer` bytes that one transfer() call accepts (>= 1).
  // May shrink after a call when the port learns a tighter limit; never grows.
  virtual size_t max_transfers(size_t bytes_per_transfer) const = 0;

  // The device, for messages: "/dev/spidev0.0".
  virtual std::string name() const = 0;
};

}  // namespace iw::source
