#include "source/mcp3x08.h"

namespace iw::source {

namespace {
constexpr uint8_t kStart = 1;   // the start bit
constexpr uint8_t kSingle = 1;  // SGL/DIFF = 1: single-ended
}  // namespace

void mcp3x08_encode(AdcChip chip, uint8_t pin, std::span<uint8_t, kMcp3x08FrameBytes> tx) {
  const uint8_t p = pin & 7;
  if (chip == AdcChip::kMcp3208) {
    // Start bit at clock 6: byte 0 = 00000 S SGL D2, byte 1 = D1 D0 000000.
    tx[0] = static_cast<uint8_t>((kStart << 2) | (kSingle << 1) | (p >> 2));
    tx[1] = static_cast<uint8_t>((p & 3) << 6);
  } else {
    // Start bit at clock 8: byte 0 = 0000000 S, byte 1 = SGL D2 D1 D0 0000.
    tx[0] = kStart;
    tx[1] = static_cast<uint8_t>((kSingle << 7) | (p << 4));
  }
  tx[2] = 0;
}

bool mcp3x08_decode(AdcChip chip, std::span<const uint8_t, kMcp3x08FrameBytes> rx, uint16_t* code) {
  if (chip == AdcChip::kMcp3208) {
    if (rx[1] & 0x10) return false;  // null bit (clock 12)
    *code = static_cast<uint16_t>(((rx[1] & 0x0F) << 8) | rx[2]);
  } else {
    if (rx[1] & 0x04) return false;  // null bit (clock 14)
    *code = static_cast<uint16_t>(((rx[1] & 0x03) << 8) | rx[2]);
  }
  return true;
}

}  // namespace iw::source
