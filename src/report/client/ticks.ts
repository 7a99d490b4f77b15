// Axis ticks at round values (1, 2 or 5 times a power of ten) and their labels.

export interface NiceScale {
  /** The axis' ends: the data's range widened to whole steps. */
  lo: number;
  hi: number;
  step: number;
  ticks: number[];
}

/** About `target` round ticks covering [lo, hi]; the axis ends on the first tick at or below lo and at or above hi. */
export function niceScale(lo: number, hi: number, target = 5): NiceScale {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const w = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= w;
    hi += w;
  }
  const raw = (hi - lo) / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  const a = Math.floor(lo / step + 1e-9),
    b = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = a; i <= b; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { lo: ticks[0], hi: ticks[ticks.length - 1], step, ticks };
}

/** A tick's label with as many decimals as the step needs ("0.25", "1.5", "20"; exponents for tiny or huge steps). */
export function tickLabel(v: number, step: number): string {
  if (v === 0) return '0';
  const dec = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (dec > 6 || Math.abs(v) >= 1e7) return v.toExponential(Math.max(0, Math.floor(Math.log10(Math.abs(v)) + 1e-9) - Math.floor(Math.log10(step) + 1e-9)));
  const t = v.toFixed(dec);
  return t.startsWith('-') ? `−${t.slice(1)}` : t;
}
