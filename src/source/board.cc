#include "source/board.h"

#include <set>
#include <string>
#include <utility>

namespace iw::source {

const char* to_string(AdcChip chip) { return chip == AdcChip::kMcp3208 ? "mcp3208" : "mcp3008"; }

bool parse_adc_chip(std::string_view text, AdcChip* chip) {
  if (text == "mcp3208") {
    *chip = AdcChip::kMcp3208;
  } else if (text == "mcp3008") {
    *chip = AdcChip::kMcp3008;
  } else {
    return false;
  }
  return true;
}

int adc_bits(AdcChip chip) { return chip == AdcChip::kMcp3208 ? 12 : 10; }

namespace {

// IoTaWatt v5: two MCP3208 on one SPI bus. The original firmware derives the ADC address of
// input i as addr = i + i/8 (bit 3 = chip, bits 0-2 = pin), so inputs 0-7 are chip 0 pins
// 0-7 and inputs 8-14 are chip 1 pins 1-7; chip 1 pin 0 carries the 2.5 V precision shunt
// that measures the real ADC full scale. Input 0 is the VT (its divider is 13); the CT
// inputs have 20 ohm burden resistors on the board. On the Linux build the chips sit on
// CE0/CE1 of SPI0 with a 3.3 V reference. 2 MHz is the clock the original runs them at.
Board iotawatt_v5() {
  Board b;
  b.name = "iotawatt-v5";
  b.description = "IoTaWatt v5 analog front end: 2 x MCP3208, 15 inputs, 2.5 V reference";
  b.chip = AdcChip::kMcp3208;
  b.spi_devices = {"/dev/spidev0.0", "/dev/spidev0.1"};
  b.spi_hz = 2000000;
  b.vref_volts = 3.3;
  b.vt_divider = 13;
  for (unsigned i = 0; i < 15; ++i) {
    const unsigned addr = i + i / 8;
    b.inputs.push_back({static_cast<uint8_t>(addr >> 3), static_cast<uint8_t>(addr & 7)});
    b.burden_ohms.push_back(i == 0 ? 0.0 : 20.0);
  }
  b.reference = AdcAddress{1, 0};
  b.reference_volts = 2.5;
  return b;
}

// A Raspberry Pi hat with one MCP3008 on CE0 for one VT and six CTs (the layout of the
// common "1 VT + 6 CT" Pi power-monitor boards). Inputs 0-6 are pins 0-6: input 0 is the VT,
// inputs 1-6 the CTs; pin 7 is left free. No precision reference, so 3.3 V (the Pi's rail)
// is the full scale.
//  - VT divider 13 (e.g. 120 k + 10 k): a 9 V AC adapter reads up to ~12 V rms unloaded;
//    with +10 % mains that is 18.7 V peak, 1.44 V at the ADC, inside the +-1.65 V swing
//    around mid-supply bias. It also matches IoTaWatt, so VT calibrations carry over.
//  - Burden 22 ohm per CT: sized for 100 A : 50 mA current-output CTs (SCT-013-000):
//    100 A rms -> 70.7 mA peak -> 1.56 V peak, inside the swing. Voltage-output CTs
//    (built-in burden) are configured with burden 0 per channel.
//  - 1.35 MHz SPI: the MCP3008's rated clock at 2.7 V (75 ksps), safe at 3.3 V.
Board pi_mcp3008_one_vt_six_ct() {
  Board b;
  b.name = "pi-mcp3008-1vt6ct";
  b.description = "Raspberry Pi hat: 1 x MCP3008 on CE0, input 0 = VT, inputs 1-6 = CTs";
  b.chip = AdcChip::kMcp3008;
  b.spi_devices = {"/dev/spidev0.0"};
  b.spi_hz = 1350000;
  b.vref_volts = 3.3;
  b.vt_divider = 13;
  for (unsigned i = 0; i < 7; ++i) {
    b.inputs.push_back({0, static_cast<uint8_t>(i)});
    b.burden_ohms.push_back(i == 0 ? 0.0 : 22.0);
  }
  return b;
}

std::vector<Board> built_in_boards() { return {iotawatt_v5(), pi_mcp3008_one_vt_six_ct()}; }

}  // namespace

Status validate_board(const Board& board) {
  const std::string who = "board '" + board.name + "': ";
  if (board.spi_devices.empty()) return Status::InvalidArgument(who + "no SPI devices (one per ADC chip)");
  if (board.inputs.empty()) return Status::InvalidArgument(who + "no inputs");
  if (board.inputs.size() > 255) return Status::InvalidArgument(who + "more than 255 inputs");
  if (board.burden_ohms.size() != board.inputs.size()) {
    return Status::InvalidArgument(who + "burden_ohms has " + std::to_string(board.burden_ohms.size()) +
                                   " entries for " + std::to_string(board.inputs.size()) + " inputs");
  }
  if (!(board.vref_volts > 0)) return Status::InvalidArgument(who + "vref_volts must be > 0");
  if (!(board.vt_divider > 0)) return Status::InvalidArgument(who + "vt_divider must be > 0");
  if (board.spi_hz == 0) return Status::InvalidArgument(who + "spi_hz must be > 0");
  std::set<std::pair<int, int>> used;
  auto check = [&](const AdcAddress& a, const std::string& what) -> Status {
    if (a.chip >= board.spi_devices.size()) {
      return Status::InvalidArgument(who + what + " is on chip " + std::to_string(a.chip) + " but the board has " +
                                     std::to_string(board.spi_devices.size()) + " SPI device(s)");
    }
    if (a.pin > 7) return Status::InvalidArgument(who + what + " uses pin " + std::to_string(a.pin) + " (0-7)");
    if (!used.insert({a.chip, a.pin}).second) {
      return Status::InvalidArgument(who + what + " reuses chip " + std::to_string(a.chip) + " pin " +
                                     std::to_string(a.pin));
    }
    return Status::Ok();
  };
  for (size_t i = 0; i < board.inputs.size(); ++i) {
    if (!(board.burden_ohms[i] >= 0)) {
      return Status::InvalidArgument(who + "input " + std::to_string(i) + " has a negative burden");
    }
    if (Status s = check(board.inputs[i], "input " + std::to_string(i)); !s) return s;
  }
  if (board.reference) {
    if (Status s = check(*board.reference, "the reference"); !s) return s;
    if (!(board.reference_volts > 0)) return Status::InvalidArgument(who + "reference_volts must be > 0");
  }
  return Status::Ok();
}

Result<Board> find_board(std::string_view name) {
  for (Board& b : built_in_boards()) {
    if (b.name == name) return std::move(b);
  }
  std::string known;
  for (const std::string& n : board_names()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown board '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> board_names() {
  std::vector<std::string> names;
  for (const Board& b : built_in_boards()) names.push_back(b.name);
  return names;
}

}  // namespace iw::source
