// Numbers, durations, shares and label counts as people read them: one module for the
// CLI's text output and the HTML report (whose client bundle imports it), so a value
// prints the same in the terminal and in the report.

/** 4 decimals when moderate, else 3 significant digits (exponent form). */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? x.toFixed(4) : x.toExponential(2);
}

/** Milliseconds below 10 ms, else seconds. */
export function formatSeconds(s: number): string {
  return s < 0.01 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}

/** part/whole as a percentage; one decimal below 10 % (where a whole percent hides too much) unless `digits` says otherwise. */
export function percent(part: number, whole = 1, digits = part / whole < 0.1 ? 1 : 0): string {
  return `${((100 * part) / whole).toFixed(digits)}%`;
}

/** The random features' error in SPEC-diff, as the CLI table and the report's summary say it. */
export function rffErrorText(e: { xNotY: number; yNotX: number; norm: number; sample: number }): string {
  return `norm ${percent(e.norm)}   x-not-y ${percent(e.xNotY)}   y-not-x ${percent(e.yNotX)}   (on a sample of ${e.sample} rows: the exact kernel against the run's random features)`;
}

/** Each value's share of Σ|value| (all 0 when the sum is 0). */
export function shares(values: readonly number[]): number[] {
  const total = values.reduce((s, v) => s + Math.abs(v), 0);
  return values.map((v) => (total > 0 ? Math.abs(v) / total : 0));
}

/** How often each label occurs, most frequent first, ties in code-unit order: [label, count][]. */
export function labelHistogram(labels: Iterable<string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
