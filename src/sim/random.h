// Small deterministic random number generators (seeded, reproducible across platforms).
#pragma once

#include <array>
#include <cstdint>

namespace iw::sim {

// SplitMix64: derives independent seeds and draws uniforms for per-cycle decisions.
class SplitMix {
 public:
  explicit SplitMix(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform in [-bound, bound).
  double symmetric(double bound) { return bound * (2 * uniform() - 1); }

 private:
  uint64_t state_;
};

// xoshiro256++ step (Blackman and Vigna): the fast stream behind ADC noise.
inline uint64_t xoshiro256pp(std::array<uint64_t, 4>& s) {
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  const uint64_t result = rotl(s[0] + s[3], 23) + s[0];
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

}  // namespace iw::sim
