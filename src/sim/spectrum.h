// A periodic waveform as a list of harmonic phasors: the common currency of the simulator.
//
// Every waveform in the panel (line voltages, load currents, sensor outputs) is, within one
// AC cycle of mains phase A, an exact sum of harmonics of that cycle's frequency:
//
//   w(theta) = sum over terms of Im(amp * exp(j * order * theta))
//
// where theta is the phase angle of phase A's fundamental, 0 at its rising zero crossing and
// 2*pi one cycle later. |amp| is the harmonic's peak value and arg(amp) the phase of its sine,
// so a pure sine of rms V starting at the crossing is {1, sqrt(2)*V}. Because the same theta
// frame is used everywhere, products and averages over a cycle are exact closed forms.
#pragma once

#include <complex>
#include <vector>

namespace iw::sim {

struct Term {
  int order = 1;  // harmonic order, >= 1
  std::complex<double> amp;
};

// Sorted by order, each order at most once.
using Spectrum = std::vector<Term>;

// sum += factor * s, merging orders.
void add_to(Spectrum& sum, const Spectrum& s, std::complex<double> factor = 1.0);
Spectrum scaled(const Spectrum& s, std::complex<double> factor);
// The waveform advanced in time by `radians` of the fundamental: w'(theta) = w(theta + radians),
// so harmonic h turns by h * radians. A sensor that leads by phi degrees is advanced(phi).
Spectrum advanced(const Spectrum& s, double radians);
// The fundamental's phasor (0 when there is none).
std::complex<double> fundamental(const Spectrum& s);

// Instantaneous value at phase angle theta.
double value_at(const Spectrum& s, double theta);
// Root mean square over one cycle.
double rms(const Spectrum& s);
// Mean of a(theta) * b(theta) over one cycle: sum of Re(a_h conj(b_h)) / 2 over common orders.
double mean_product(const Spectrum& a, const Spectrum& b);
// Exact integral of a(theta) * b(theta) d theta from 0 to theta_end (any theta_end >= 0),
// including the cross terms between different orders.
double integral_product(const Spectrum& a, const Spectrum& b, double theta_end);

}  // namespace iw::sim
