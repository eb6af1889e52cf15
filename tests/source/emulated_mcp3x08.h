// An MCP3208 / MCP3008 behind a chip select, emulated at the bit level as an SpiPort, with a
// shared fake clock, so sources can be tested without hardware.
//
// Each transfer is one CS-low window. The chip waits for the first 1 on DIN (start bit),
// reads SGL/DIFF and D2 D1 D0, samples for one clock, drives a 0 null bit, then the result
// MSB first (then, as the real chip, LSB first and zeros). Before the null bit DOUT is
// high impedance, read as 1s here so a decoder that forgets to mask shows it. Strict mode
// (the default) also rejects requests whose result would not end exactly on the last clock,
// which is how our encoder must place the start bit.
//
// Time: a call starts at clock->now + entry_ns; transfer k of the call is sampled at
// start + k * transfer_ns; the clock then moves to the end of the last transfer + exit_ns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "source/board.h"
#include "source/spi_port.h"

namespace iw::source::testing {

struct FakeClock {
  int64_t now_ns = 1'000'000'000;
};

// What the chip returns for `volts` on a pin: floor(volts / vref * 2^bits), clamped.
uint16_t quantize(AdcChip chip, double vref, double volts);

class EmulatedMcp3x08 final : public SpiPort {
 public:
  using Analog = std::function<double(int pin, int64_t t_ns)>;
  struct Options {
    AdcChip chip = AdcChip::kMcp3208;
    double vref = 3.3;
    std::string name = "/dev/spidev0.0";
    int64_t transfer_ns = 20'000;  // one 3-byte transfer incl. CS high time
    int64_t entry_ns = 0;          // call overhead before the first transfer
    int64_t exit_ns = 0;           // and after the last
    // Bounce-buffer model of spidev: a call may hold at most max_descriptors transfers and
    // bufsiz bytes with each transfer rounded up to `alignment`.
    size_t bufsiz = 4096;
    size_t alignment = 8;
    size_t max_descriptors = 511;
    bool strict = true;
    bool floating_miso = false;  // no chip on this select: MISO reads all 1s
  };
  struct Conversion {
    int pin = 0;
    int64_t t_ns = 0;
    uint16_t code = 0;
  };

  EmulatedMcp3x08(Options options, FakeClock* clock, Analog analog);

  Status transfer(std::span<const uint8_t> tx, std::span<uint8_t> rx, size_t bytes_per_transfer) override;
  size_t max_transfers(size_t bytes_per_transfer) const override;
  std::string name() const override { return options_.name; }

  // The next call fails (after `calls_before` successful ones) with this errno text.
  void fail_after(size_t calls_before, std::string error_text);

  size_t calls() const { return calls_; }
  size_t largest_call() const { return largest_call_; }
  const std::vector<Conversion>& log() const { return log_; }
  void clear_log() { log_.clear(); }

 private:
  Status convert(const uint8_t* tx, uint8_t* rx, size_t len, int64_t t_ns);

  Options options_;
  FakeClock* clock_;
  Analog analog_;
  size_t calls_ = 0;
  size_t largest_call_ = 0;
  std::optional<size_t> fail_at_;
  std::string fail_text_;
  std::vector<Conversion> log_;
};

}  // namespace iw::source::testing
