// Board profiles: which ADC chip and pin converts each input channel, and the analog facts
// (reference volts, VT divider, burden resistors) that turn a code into volts and amps.
//
// A Board is a plain struct so that config/ can build or override one; find_board() returns
// the built-in profiles. Input channels are numbered 0..inputs.size()-1, as in IoTaWatt's
// config.txt; each maps to (chip index, pin), and chip index c talks through spi_devices[c].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace iw::source {

enum class AdcChip { kMcp3208, kMcp3008 };

const char* to_string(AdcChip chip);  // "mcp3208", "mcp3008"
bool parse_adc_chip(std::string_view text, AdcChip* chip);
int adc_bits(AdcChip chip);  // 12 or 10
// Largest code the chip returns: 4095 or 1023.
inline uint16_t adc_max_code(AdcChip chip) { return static_cast<uint16_t>((1u << adc_bits(chip)) - 1); }

struct AdcAddress {
  uint8_t chip = 0;  // index into Board::spi_devices
  uint8_t pin = 0;   // single-ended input CH0..CH7 of that chip
  friend bool operator==(const AdcAddress&, const AdcAddress&) = default;
};

struct Board {
  std::string name;
  std::string description;
  AdcChip chip = AdcChip::kMcp3208;      // every chip on a board is of this type
  std::vector<std::string> spi_devices;  // spidev path per chip index
  uint32_t spi_hz = 2000000;             // SPI clock
  // Nominal ADC reference (full scale) in volts. When `reference` is present, the measured
  // full scale (reference_volts * 2^bits / reference code) replaces it at run time.
  double vref_volts = 3.3;
  // The VT input's on-board divider: the ADC sees (VT secondary volts) / vt_divider.
  double vt_divider = 13;
  std::vector<AdcAddress> inputs;       // input channel i -> chip and pin
  std::vector<double> burden_ohms;      // default burden per input; 0 = voltage input
  std::optional<AdcAddress> reference;  // precision reference pin, if fitted
  double reference_volts = 2.5;         // its nominal voltage

  size_t input_count() const { return inputs.size(); }
  size_t chip_count() const { return spi_devices.size(); }
  int adc_bits() const { return source::adc_bits(chip); }
};

// Checks that the board is usable: at least one chip and input, pins 0..7, chip indices
// below chip_count(), no pin used twice (the reference included), one burden per input,
// positive vref, divider, clock and reference volts, at most 255 inputs (scans are uint8_t).
Status validate_board(const Board& board);

// The built-in profiles, by name ("iotawatt-v5", "pi-mcp3008-1vt6ct").
Result<Board> find_board(std::string_view name);
std::vector<std::string> board_names();

}  // namespace iw::source
