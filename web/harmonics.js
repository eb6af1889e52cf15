// Harmonics of a sampled waveform by a discrete Fourier transform over whole cycles only (a
// partial cycle would leak the fundamental into every bin). Samples may be unevenly spaced
// (multiplexed ADC): each sample is weighted by the time it stands for.

// t_ms: sample instants; x: values; hz: the fundamental. Returns {cycles, rms, thd,
// harmonics: [{n, rms, pct, phase}]} for n = 1..maxOrder, or null when there is not one
// whole cycle.
export function harmonics(t_ms, x, hz, maxOrder = 15) {
  if (!hz || t_ms.length < 8) return null;
  const period = 1000 / hz;
  const cycles = Math.floor((t_ms[t_ms.length - 1] - t_ms[0]) / period);
  if (cycles < 1) return null;
  const end = t_ms[0] + cycles * period;
  let n = 0;
  while (n < t_ms.length && t_ms[n] < end) n++;
  // Each sample stands for the time to the next one (the last: to the end of the window).
  const dt = new Float64Array(n);
  for (let k = 0; k < n; k++) dt[k] = (k + 1 < n ? t_ms[k + 1] : end) - t_ms[k];
  const span = end - t_ms[0];
  let mean = 0, sq = 0;
  for (let k = 0; k < n; k++) { mean += x[k] * dt[k]; sq += x[k] * x[k] * dt[k]; }
  mean /= span;
  const rms = Math.sqrt(Math.max(0, sq / span - mean * mean));
  const out = [];
  for (let h = 1; h <= maxOrder; h++) {
    const w = 2 * Math.PI * h / period;
    let re = 0, im = 0;
    for (let k = 0; k < n; k++) {
      const phi = w * (t_ms[k] - t_ms[0]);
      re += (x[k] - mean) * Math.cos(phi) * dt[k];
      im -= (x[k] - mean) * Math.sin(phi) * dt[k];
    }
    // Peak amplitude = 2|X|/span; rms = peak / sqrt 2.
    const amplitude = 2 * Math.hypot(re, im) / span;
    out.push({ n: h, rms: amplitude / Math.SQRT2, phase: Math.atan2(im, re) * 180 / Math.PI });
  }
  const fundamental = out[0].rms;
  let distortion = 0;
  for (const h of out) {
    h.pct = fundamental > 0 ? 100 * h.rms / fundamental : 0;
    if (h.n > 1) distortion += h.rms * h.rms;
  }
  return { cycles, rms, thd: fundamental > 0 ? 100 * Math.sqrt(distortion) / fundamental : 0, harmonics: out };
}
