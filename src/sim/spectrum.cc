#include "sim/spectrum.h"

#include <algorithm>
#include <cmath>

namespace iw::sim {

void add_to(Spectrum& sum, const Spectrum& s, std::complex<double> factor) {
  for (const Term& t : s) {
    auto it =
        std::lower_bound(sum.begin(), sum.end(), t.order, [](const Term& a, int order) { return a.order < order; });
    if (it != sum.end() && it->order == t.order) {
      it->amp += factor * t.amp;
    } else {
      sum.insert(it, Term{t.order, factor * t.amp});
    }
  }
}

Spectrum scaled(const Spectrum& s, std::complex<double> factor) {
  Spectrum out = s;
  for (Term& t : out) t.amp *= factor;
  return out;
}

Spectrum advanced(const Spectrum& s, double radians) {
  Spectrum out = s;
  for (Term& t : out) t.amp *= std::polar(1.0, radians * t.order);
  return out;
}

std::complex<double> fundamental(const Spectrum& s) {
  for (const Term& t : s) {
    if (t.order == 1) return t.amp;
  }
  return 0.0;
}

double value_at(const Spectrum& s, double theta) {
  double v = 0;
  for (const Term& t : s) v += std::imag(t.amp * std::polar(1.0, theta * t.order));
  return v;
}

double rms(const Spectrum& s) {
  double sum = 0;
  for (const Term& t : s) sum += std::norm(t.amp);
  return std::sqrt(sum / 2);
}

double mean_product(const Spectrum& a, const Spectrum& b) {
  double sum = 0;
  size_t i = 0, k = 0;
  while (i < a.size() && k < b.size()) {
    if (a[i].order < b[k].order) {
      ++i;
    } else if (b[k].order < a[i].order) {
      ++k;
    } else {
      sum += std::real(a[i].amp * std::conj(b[k].amp));
      ++i;
      ++k;
    }
  }
  return sum / 2;
}

namespace {

// Integral of Re(c * exp(j*m*theta)) from 0 to theta_end.
double integral_re(std::complex<double> c, int m, double theta_end) {
  if (m == 0) return std::real(c) * theta_end;
  const std::complex<double> j(0, 1);
  const double md = m;
  return std::real(c * (std::polar(1.0, md * theta_end) - 1.0) / (j * md));
}

}  // namespace

double integral_product(const Spectrum& a, const Spectrum& b, double theta_end) {
  // Im(A e^{jh}) Im(B e^{jk}) = (Re(A conj(B) e^{j(h-k)}) - Re(A B e^{j(h+k)})) / 2.
  double sum = 0;
  for (const Term& x : a) {
    for (const Term& y : b) {
      sum += integral_re(x.amp * std::conj(y.amp), x.order - y.order, theta_end);
      sum -= integral_re(x.amp * y.amp, x.order + y.order, theta_end);
    }
  }
  return sum / 2;
}

}  // namespace iw::sim
