// What an alignment did to the held-out SPEC-diff, in numbers and in words
// (docs/design.md §3, align): both directions and the norm before and after, and a
// warning for each that rose by more than RISE_LIMIT. Pure: the result, the CLI,
// the JSON and the report all read the same sentences.
import type { SpecDiff } from '../../types/index.js';
import type { SpecDiffChange, SpecDiffChanges } from '../../types/align.js';

/** A quantity that rises by more than this fraction of its value before alignment gets a warning. */
export const RISE_LIMIT = 0.1;

/** One quantity's change: relative = (after − before)/before (null for 0 → non-zero), warn = after > (1 + limit)·before. */
export function specDiffChange(before: number, after: number, limit = RISE_LIMIT): SpecDiffChange {
  const relative = before !== 0 ? (after - before) / before : after === 0 ? 0 : null;
  return { before, after, relative, warn: after > (1 + limit) * before };
}

/** x-not-y, y-not-x and the norm, before → after. */
export function specDiffChanges(
  before: Pick<SpecDiff, 'xNotY' | 'yNotX' | 'norm'>,
  after: Pick<SpecDiff, 'xNotY' | 'yNotX' | 'norm'>,
  limit = RISE_LIMIT,
): SpecDiffChanges {
  return {
    limit,
    xNotY: specDiffChange(before.xNotY, after.xNotY, limit),
    yNotX: specDiffChange(before.yNotX, after.yNotX, limit),
    norm: specDiffChange(before.norm, after.norm, limit),
  };
}

const num = (v: number) => v.toPrecision(4);

/** "by 25.0%" / "by 440%" / "from 0": how much a quantity rose. */
function riseText(c: SpecDiffChange): string {
  if (c.relative === null) return `from 0 to ${num(c.after)}`;
  const pct = 100 * c.relative;
  return `by ${pct < 100 ? pct.toPrecision(3) : Math.round(pct)}% (${num(c.before)} → ${num(c.after)})`;
}

/** What each quantity's rise means, for the warning. */
const MEANING = {
  xNotY: ['x-not-y (λmax)', 'ψ(Y) misses more of the clusters X has than Y did'],
  yNotX: ['y-not-x (−λmin)', 'the map created clusters that X does not have'],
  norm: ['norm (max |λ|)', 'ψ(Y) differs more from X than Y did'],
} as const;

/** One sentence per quantity that rose by more than the limit, in the order x-not-y, y-not-x, norm. */
export function changeWarnings(c: SpecDiffChanges): string[] {
  const out: string[] = [];
  for (const key of ['xNotY', 'yNotX', 'norm'] as const) {
    if (!c[key].warn) continue;
    const [name, meaning] = MEANING[key];
    out.push(`held-out ${name} rose ${riseText(c[key])}, more than ${Math.round(100 * c.limit)}%: ${meaning}`);
  }
  return out;
}
