// Small wording helpers of the report page.

/** "pixels" → "pixels'", "HOG" → "HOG's". */
export const possessive = (name: string): string => (/s$/i.test(name) ? `${name}'` : `${name}'s`);

/** "X (300 samples)", unless the name already says the count ("all digits (5000)"). */
export function withCount(name: string, n: number, unit = 'samples'): string {
  return name.includes(`(${n})`) || name.includes(`(${n} `) ? name : `${name} (${n} ${unit})`;
}

/** A ratio or a median to two significant figures for reading ("0.98", "4.7", "16"), not for computing. */
export function ratioText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 10 ? String(Math.round(v)) : a >= 1 ? v.toFixed(1) : v.toPrecision(2);
}
