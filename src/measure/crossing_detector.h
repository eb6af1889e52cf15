// Finds zero crossings of a voltage waveform, in either direction, with hysteresis: after a
// crossing, the signal must go beyond `hysteresis` on the new side before the next crossing
// counts, so noise near zero never produces a false crossing. Positions are fractional frame
// indices, linearly interpolated between the two samples either side of zero.
#pragma once

#include <cstdint>

namespace iw::measure {

class CrossingDetector {
 public:
  void reset() {
    side_ = 0;
    have_prev_ = false;
  }
  void set_hysteresis(double counts) { hysteresis_ = counts; }

  // Feeds sample `v` of frame `index`. Returns true and sets *position when the waveform
  // crossed zero between the previous frame and this one.
  bool feed(int64_t index, double v, double* position) {
    const bool crossed = have_prev_ && ((side_ < 0 && v >= 0) || (side_ > 0 && v < 0));
    if (crossed) {
      const double frac = prev_ / (prev_ - v);  // prev_ and v differ in sign: no division by 0
      *position = static_cast<double>(index - 1) + frac;
      side_ = 0;
    }
    if (side_ == 0) {
      if (v > hysteresis_)
        side_ = 1;
      else if (v < -hysteresis_)
        side_ = -1;
    }
    prev_ = v;
    have_prev_ = true;
    return crossed;
  }

 private:
  double hysteresis_ = 8;
  double prev_ = 0;
  int side_ = 0;  // -1: armed below zero, +1: armed above, 0: inside the band / just crossed
  bool have_prev_ = false;
};

}  // namespace iw::measure
