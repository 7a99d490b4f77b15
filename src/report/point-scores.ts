// Each plotted sample's score on each mode, when the result carries every score
// (returnScores: the CLI and the app ask for them with labels): the page's hover
// shows a sample's score in the selected mode. FINC scores only the side's set,
// so a sample of the other set has none (null).

/** Rounded to 4 significant digits: the page shows scores, it does not compute with them. */
const round = (v: number) => Number(v.toPrecision(4));

/**
 * Per mode ("x1", …), the scores of the plotted points `index` (rows of set `set[p]`), or
 * undefined when no mode has its scores. A mode of side 'y' scores set 1 under FINC
 * (`fincSets`), every set otherwise.
 */
export function plottedScores(
  modes: readonly { side: 'x' | 'y'; rank: number; scores?: Float64Array }[],
  index: readonly number[],
  set: readonly number[],
  fincSets: boolean,
): Record<string, (number | null)[]> | undefined {
  let any = false;
  const out: Record<string, (number | null)[]> = {};
  for (const m of modes) {
    const sc = m.scores;
    if (!sc) continue;
    any = true;
    const own = m.side === 'x' ? 0 : 1;
    out[`${m.side}${m.rank}`] = index.map((i, p) => ((fincSets && set[p] !== own) || i >= sc.length ? null : round(sc[i])));
  }
  return any ? out : undefined;
}
