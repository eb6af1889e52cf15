#include "source/emulated_mcp3x08.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace iw::source::testing {

uint16_t quantize(AdcChip chip, double vref, double volts) {
  const double full = static_cast<double>(1u << adc_bits(chip));
  const double code = std::floor(volts / vref * full);
  return static_cast<uint16_t>(std::clamp(code, 0.0, full - 1));
}

EmulatedMcp3x08::EmulatedMcp3x08(Options options, FakeClock* clock, Analog analog)
    : options_(std::move(options)), clock_(clock), analog_(std::move(analog)) {}

void EmulatedMcp3x08::fail_after(size_t calls_before, std::string error_text) {
  fail_at_ = calls_ + calls_before;
  fail_text_ = std::move(error_text);
}

size_t EmulatedMcp3x08::max_transfers(size_t bytes_per_transfer) const {
  const size_t per = (bytes_per_transfer + options_.alignment - 1) / options_.alignment * options_.alignment;
  return std::max<size_t>(1, std::min(options_.max_descriptors, options_.bufsiz / per));
}

Status EmulatedMcp3x08::transfer(std::span<const uint8_t> tx, std::span<uint8_t> rx, size_t bytes_per_transfer) {
  if (bytes_per_transfer == 0 || tx.size() != rx.size() || tx.size() % bytes_per_transfer != 0) {
    return Status::IOError(options_.name + ": malformed batch");
  }
  const size_t count = tx.size() / bytes_per_transfer;
  if (fail_at_ && calls_ == *fail_at_) {
    fail_at_.reset();
    return Status::IOError(options_.name + ": SPI transfer of " + std::to_string(count) + " x " +
                           std::to_string(bytes_per_transfer) + " bytes failed: " + fail_text_);
  }
  if (count > max_transfers(bytes_per_transfer)) {
    return Status::IOError(options_.name + ": Message too long (" + std::to_string(count) +
                           " transfers exceed the buffer limit of " +
                           std::to_string(max_transfers(bytes_per_transfer)) + ")");
  }
  ++calls_;
  largest_call_ = std::max(largest_call_, count);
  const int64_t start = clock_->now_ns + options_.entry_ns;
  for (size_t k = 0; k < count; ++k) {
    const int64_t t = start + static_cast<int64_t>(k) * options_.transfer_ns;
    if (Status s =
            convert(tx.data() + k * bytes_per_transfer, rx.data() + k * bytes_per_transfer, bytes_per_transfer, t);
        !s) {
      return s;
    }
  }
  clock_->now_ns = start + static_cast<int64_t>(count) * options_.transfer_ns + options_.exit_ns;
  return Status::Ok();
}

Status EmulatedMcp3x08::convert(const uint8_t* tx, uint8_t* rx, size_t len, int64_t t_ns) {
  const size_t clocks = len * 8;
  auto din = [&](size_t i) { return (tx[i / 8] >> (7 - i % 8)) & 1; };
  std::fill(rx, rx + len, 0);
  auto set_dout = [&](size_t i, int bit) {
    if (bit) rx[i / 8] = static_cast<uint8_t>(rx[i / 8] | (0x80 >> (i % 8)));
  };
  if (options_.floating_miso) {
    std::fill(rx, rx + len, 0xFF);
    return Status::Ok();
  }
  const int bits = adc_bits(options_.chip);
  size_t start = 0;
  while (start < clocks && !din(start)) ++start;
  if (start == clocks) return Status::IOError(options_.name + ": emulated chip saw no start bit");
  if (start + 4 >= clocks) return Status::IOError(options_.name + ": request ends inside the command bits");
  if (!din(start + 1)) return Status::IOError(options_.name + ": differential conversion requested (SGL/DIFF = 0)");
  const int pin = din(start + 2) << 2 | din(start + 3) << 1 | din(start + 4);
  const size_t null_bit = start + 6;  // one sample clock after D0, then the null bit
  const size_t lsb = null_bit + static_cast<size_t>(bits);
  if (lsb >= clocks) {
    return Status::IOError(options_.name + ": conversion not finished within the transfer (start bit at clock " +
                           std::to_string(start + 1) + ")");
  }
  if (options_.strict && lsb != clocks - 1) {
    return Status::IOError(options_.name + ": start bit at clock " + std::to_string(start + 1) + ", expected " +
                           std::to_string(clocks - 1 - static_cast<size_t>(bits) - 6 + 1) + " for a " +
                           std::to_string(bits) + "-bit result in " + std::to_string(len) + " bytes");
  }
  const uint16_t code = quantize(options_.chip, options_.vref, analog_(pin, t_ns));
  for (size_t i = 0; i < null_bit; ++i) set_dout(i, 1);  // high impedance, reads as 1
  // null bit: 0. Then MSB first, then LSB first from B1, then zeros.
  for (int b = 0; b < bits; ++b) set_dout(null_bit + 1 + static_cast<size_t>(b), (code >> (bits - 1 - b)) & 1);
  for (int b = 1; b < bits && lsb + static_cast<size_t>(b) < clocks; ++b) {
    set_dout(lsb + static_cast<size_t>(b), (code >> b) & 1);
  }
  log_.push_back({pin, t_ns, code});
  return Status::Ok();
}

}  // namespace iw::source::testing
