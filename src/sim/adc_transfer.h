// The static transfer of one SAR converter: where each code begins.
//
// Code c (1 <= c <= max) begins at the transition level T[c], in LSB of the input counted
// from code 0; the converter outputs the code whose bin [T[c], T[c+1]) holds the input
// (code 0 below T[1], max at or above T[max]). Ideal: T[c] = c - 0.5.
//
// Real (draw()):  T[c] = (c - 0.5 + e(c)) / gain,   gain = 1 + g / 2^bits
//   e(c)  transition error (the INL at transition c) =
//         sum over bits b of m_b * bit_b(c) - c * sum_b m_b / max   capacitor-DAC mismatch, the
//                                                                   end-point line removed
//       + j_c                                                       small random per transition
//       + a sin(pi u) + b sin(2 pi u), u = c / max                  smooth bow
//   m_b   mismatch of bit b's capacitor, normal with sd s * sqrt(2^b) (a capacitor of 2^b unit
//         cells of independent error), so the widest steps sit at the major carries: the
//         width of code 2047 (to 2048) is 1 + m_11 - sum_{b<11} m_b, then the quarter and
//         eighth carries (1023, 3071; 511, ...), as histograms of real SAR parts show.
//   g     gain error: the full-scale transition moves by about -g LSB (datasheet +-3, C +-5).
// DNL(c) = width of code c - 1 = e(c+1) - e(c) (before the gain), for 1 <= c < max.
// The draw is scaled down, as a whole, until max |DNL| <= 0.95 dnl_lsb (so at dnl_lsb = 1
// every code keeps a width of at least 0.05 LSB: no missing codes) and max |INL| <= inl_lsb.
//
// code() is O(1) and branch-free: with E = max |e(c)| and k = ceil(E), the code of an input y
// (after the gain) lies within k of g = round(y), because T[g-k] <= g - 0.5 <= y and
// T[g+k+1] >= g + 0.5 > y. So code = g - k + (number of T[g-k+1 .. g+k] at or below y): 2k
// comparisons (2 at the B grade's INL), against a table padded with -inf below code 1 and
// +inf above max, which also clips.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace iw::sim {

class SplitMix;

struct TransferLimits {
  double dnl_lsb = 1;   // MCP3208: +-1 LSB max (no missing codes)
  double inl_lsb = 1;   // B grade +-1, C grade +-2
  double gain_lsb = 3;  // B grade +-3, C grade +-5
};

class AdcTransfer {
 public:
  AdcTransfer() = default;
  static AdcTransfer ideal(int bits);
  static AdcTransfer draw(int bits, const TransferLimits& limits, SplitMix& rng);

  int max_code() const { return max_; }
  double gain() const { return gain_; }
  // Transition level T[c] (input LSB), 1 <= c <= max_code().
  double transition(int c) const { return level(c) / gain_; }
  // Transition error e(c) before the gain (the INL at c), 1 <= c <= max_code().
  double inl(int c) const { return level(c) - (c - 0.5); }
  // Width of code c minus 1 LSB, before the gain, 1 <= c < max_code().
  double dnl(int c) const { return level(c + 1) - level(c) - 1; }

  uint16_t code(double x) const {
    const double y = x * gain_;
    const int g = !(y > 0) ? 0 : y >= max_ ? max_ : static_cast<int>(y + 0.5);
    const float* t = t_.data() + pad_ + g;
    int c = g - reach_;
    for (int j = 1 - reach_; j <= reach_; ++j) c += y >= t[j];
    return static_cast<uint16_t>(c);
  }

 private:
  double level(int c) const { return t_[static_cast<size_t>(pad_ + c)]; }
  void set_levels(const std::vector<double>& e);

  // t_[pad_ + c] = c - 0.5 + e(c) (before the gain) for 1 <= c <= max_; -inf for c <= 0,
  // +inf for c > max_, pad_ = reach_ + 1 entries each side.
  std::vector<float> t_;
  double gain_ = 1;
  int max_ = 0;
  int reach_ = 1;  // k above
  int pad_ = 2;
};

}  // namespace iw::sim
