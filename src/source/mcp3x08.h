// The MCP3208 / MCP3008 single-ended conversion frame. This is the only code that knows the
// chips' bit layout; everything else moves opaque 3-byte requests and 12- or 10-bit codes.
//
// Both chips speak the same protocol (datasheets DS21298 / DS21295, "Serial communication"):
// with CS low, the first 1 on DIN is the start bit, followed by SGL/DIFF (1 = single-ended)
// and the channel bits D2 D1 D0. The input is sampled during the next clocks; one clock
// after D0 the chip drives a 0 "null bit", then the result MSB first. CS must go high
// between conversions. We send 24 clocks (3 bytes) per conversion with leading zeros placed
// so the result's LSB lands on the last clock:
//
//   MCP3208 (12 bit)  tx: 00000 1 1 D2 | D1 D0 xxxxxx | xxxxxxxx
//                     rx: ???????? | ??? 0 B11 B10 B9 B8 | B7 .. B0
//   MCP3008 (10 bit)  tx: 0000000 1 | 1 D2 D1 D0 xxxx | xxxxxxxx
//                     rx: ???????? | ????? 0 B9 B8 | B7 .. B0
//
// The sample is taken at the same clock of every frame (clock 11 of 24 for the MCP3208,
// 13 for the MCP3008), so it is a constant offset from the start of each transfer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "source/board.h"

namespace iw::source {

inline constexpr size_t kMcp3x08FrameBytes = 3;

// Writes the single-ended request for `pin` (0..7) into `tx`. Don't-care bits are 0.
void mcp3x08_encode(AdcChip chip, uint8_t pin, std::span<uint8_t, kMcp3x08FrameBytes> tx);

// Extracts the code from the bytes clocked in during a request made by mcp3x08_encode().
// Returns false when the null bit reads 1: no chip drove the line (wrong chip select, MISO
// not connected or pulled high); *code is then untouched.
bool mcp3x08_decode(AdcChip chip, std::span<const uint8_t, kMcp3x08FrameBytes> rx, uint16_t* code);

}  // namespace iw::source
