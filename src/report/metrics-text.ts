// The metrics as one line each with a one-line meaning: the CLI summary prints them,
// the report's header shows them (docs/design.md, "Metrics and permutation tests").
import type { CompareMetrics, FincMetrics, MetricValue, PermutationTest } from '../types/significance.js';
import { formatNumber } from './format.js';

/** One metric: its name, value (with its test), and what it means. */
export interface MetricLine {
  name: string;
  value: string;
  meaning: string;
}

/** "p = 0.0099 (100 permutations)". */
export function pValueText(t: PermutationTest): string {
  const p = t.pValue < 0.001 ? t.pValue.toExponential(1) : t.pValue.toPrecision(2);
  return `p = ${p} (${t.permutations} permutation${t.permutations === 1 ? '' : 's'})`;
}

const num = (v: number) => (Number.isFinite(v) ? formatNumber(v) : 'n/a');
const valued = (m: MetricValue) => {
  const v = m.sampled ? `${num(m.value)} (on ${m.sampled} sampled rows)` : num(m.value);
  return m.test ? `${v}, ${pValueText(m.test)}` : v;
};

export function compareMetricLines(m: CompareMetrics): MetricLine[] {
  const k = m.mutualKnn;
  return [
    {
      name: 'linear CKA',
      value: valued(m.ckaLinear),
      meaning: "how alike the two embeddings' centred linear similarity matrices are: 1 = same geometry up to rotation and scale, 0 = unrelated",
    },
    { name: 'kernel CKA', value: valued(m.ckaKernel), meaning: 'the same with the kernels in use (on the route in use)' },
    {
      name: 'mutual k-NN',
      value: `${num(k.value)} (k = ${k.k}, ${k.exact ? 'every sample' : `${k.sampled} sampled samples`})`,
      meaning: `mean share of a sample's ${k.k} nearest neighbours (cosine) that X and Y agree on`,
    },
  ];
}

export function fincMetricLines(m: FincMetrics): MetricLine[] {
  const out: MetricLine[] = [
    {
      name: 'MMD²',
      value: valued(m.mmd2),
      meaning: 'squared distance between the two sets under the kernel (unbiased): about 0 when X and Y come from one distribution',
    },
  ];
  if (m.specDiff?.test)
    out.push({
      name: 'SPEC-diff test',
      value: pValueText(m.specDiff.test),
      meaning: "how often a random re-split of the pooled samples gives a SPEC-diff norm this large (small p: the sets' difference is real)",
    });
  return out;
}

/** The lines as the CLI prints them: "name  value — meaning". */
export function metricText(lines: MetricLine[]): string[] {
  const w = Math.max(...lines.map((l) => l.name.length));
  return lines.map((l) => `${l.name.padEnd(w)}  ${l.value} — ${l.meaning}`);
}
