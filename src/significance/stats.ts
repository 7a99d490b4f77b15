// The few statistics the resampling loops need, in plain f64: percentiles and the
// corrected resampled t-test over R random halvings (docs/design.md §1, "Is this mode real?").

/** The q-quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between order statistics (NumPy's default). */
export function percentile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return Number.NaN;
  const h = (s.length - 1) * q,
    lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * One-sided p-value that the mean of R held-out values is not above 0, by Nadeau and
 * Bengio's corrected resampled t-test: t = mean / √((1/R + nTest/nTrain)·s²), R − 1 degrees
 * of freedom. Random halvings share rows, so their values are correlated; the plain t
 * (variance s²/R) treats them as independent and is far too small (anti-conservative).
 * `side` −1 tests "not below 0" instead. All values equal: 0 or 1 by their sign.
 */
export function correctedTPValue(values: ArrayLike<number>, side: 1 | -1, testOverTrain = 1): number {
  const R = values.length;
  const m = mean(values) * side;
  let ss = 0;
  for (let i = 0; i < R; i++) ss += (values[i] * side - m) ** 2;
  const s2 = R > 1 ? ss / (R - 1) : 0;
  if (!(s2 > 0)) return m > 0 ? 0 : 1;
  const t = m / Math.sqrt((1 / R + testOverTrain) * s2);
  return studentTUpper(t, R - 1);
}

/** P(T > t) for Student's t with ν degrees of freedom. */
export function studentTUpper(t: number, nu: number): number {
  const x = nu / (nu + t * t);
  const tail = 0.5 * regularizedBeta(x, nu / 2, 0.5);
  return t > 0 ? tail : 1 - tail;
}

/** I_x(a, b), the regularised incomplete beta function (continued fraction, Numerical Recipes §6.4). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1,
    d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const aa of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + aa * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; ~1e-15 relative). */
export function lgamma(x: number): number {
  const g = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012,
    9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let s = g[0];
  for (let i = 1; i < 9; i++) s += g[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}
