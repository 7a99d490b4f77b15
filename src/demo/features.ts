// Image descriptors for the demo: a second, genuinely different representation
// of the same digits, computed here from the pixels.

/**
 * A HOG-like descriptor of a grey image: central-difference gradients, unsigned
 * orientations in `bins` bins (linear interpolation between neighbouring bins),
 * magnitude-weighted histograms over a `cells × cells` grid, then L2-Hys
 * normalisation of the whole vector (normalise, clip at 0.2, renormalise).
 * Length cells² · bins (4 × 4 × 9 = 144 by default).
 */
export function hogDescriptor(img: ArrayLike<number>, width: number, height: number, cells = 4, bins = 9, out?: Float32Array): Float32Array {
  const d = out ?? new Float32Array(cells * cells * bins);
  d.fill(0);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : img[y * width + x]);
  const cw = width / cells,
    ch = height / cells;
  for (let y = 0; y < height; y++) {
    const cy = Math.min(cells - 1, Math.floor(y / ch));
    for (let x = 0; x < width; x++) {
      const gx = at(x + 1, y) - at(x - 1, y);
      const gy = at(x, y + 1) - at(x, y - 1);
      const mag = Math.hypot(gx, gy);
      if (mag === 0) continue;
      let ang = Math.atan2(gy, gx);
      if (ang < 0) ang += Math.PI; // unsigned orientation in [0, π)
      const pos = (ang / Math.PI) * bins - 0.5;
      const b0 = Math.floor(pos),
        f = pos - b0;
      const lo = ((b0 % bins) + bins) % bins,
        hi = (lo + 1) % bins;
      const cx = Math.min(cells - 1, Math.floor(x / cw));
      const base = (cy * cells + cx) * bins;
      d[base + lo] += mag * (1 - f);
      d[base + hi] += mag * f;
    }
  }
  for (let pass = 0; pass < 2; pass++) {
    let n2 = 0;
    for (let i = 0; i < d.length; i++) n2 += d[i] * d[i];
    const inv = n2 > 0 ? 1 / Math.sqrt(n2) : 0;
    for (let i = 0; i < d.length; i++) d[i] = pass === 0 ? Math.min(0.2, d[i] * inv) : d[i] * inv;
  }
  return d;
}
