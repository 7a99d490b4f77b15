// The weak flag of a mode, from whatever evidence is present: held-out replication,
// bootstrap stability and (finc) the permutation test. One function so that every
// producer of evidence agrees on the rule (docs/design.md §1, "Is this mode real?").
import type { ModeSignificance } from '../types/significance.js';

/** A held-out or permutation p-value above this, or a stability below STABILITY_MIN, makes a mode weak. */
export const P_MAX = 0.05;
export const STABILITY_MIN = 0.5;

/** `sig` with `weak` and `weakReasons` derived from its fields (the input's own weak fields are ignored). */
export function weakness(sig: Omit<ModeSignificance, 'weak' | 'weakReasons'> & Partial<ModeSignificance>): ModeSignificance {
  const reasons: string[] = [];
  const p = (x: number) => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));
  if (sig.heldOut && !(sig.heldOut.pValue <= P_MAX))
    reasons.push(
      `held-out replication p = ${p(sig.heldOut.pValue)} > ${P_MAX}: over ${sig.heldOut.splits} random halvings the mode's eigenvalue on the unseen half is not reliably beyond 0`,
    );
  if (sig.stability && !(sig.stability.value >= STABILITY_MIN))
    reasons.push(
      `bootstrap stability ${sig.stability.value.toFixed(2)} < ${STABILITY_MIN}: the mode does not reliably reappear in ${sig.stability.bootstrap} bootstrap resamples`,
    );
  if (sig.permutation && !(sig.permutation.pValue <= P_MAX))
    reasons.push(
      `permutation p = ${p(sig.permutation.pValue)} > ${P_MAX}: the eigenvalue is within what ${sig.permutation.permutations} permutations of set membership give`,
    );
  return { ...sig, weak: reasons.length > 0, weakReasons: reasons };
}
