// --splits and --bootstrap: the resampling evidence of each mode (compare and finc).
import { InputError } from '../errors.js';
import { significancePlan } from '../significance/options.js';
import type { ModeSignificance, SignificanceOptions } from '../types/significance.js';
import { UsageError, parseInteger, type OptionSpec, type ParsedArgs } from './args.js';

export const SIGNIFICANCE_OPTIONS: OptionSpec[] = [
  { name: 'splits', value: 'R', help: 'held-out replication: R seeded random halvings (modes found on one half, evaluated on the other; R ≥ 2)' },
  { name: 'bootstrap', value: 'B', help: "bootstrap stability: B seeded resamples (each mode's eigenvalue interval and how closely it reappears; B ≥ 2)" },
];

/** The `significance` option from --splits/--bootstrap (undefined when neither is given); counts checked as the library checks them. */
export function significanceOption(args: ParsedArgs): SignificanceOptions | undefined {
  const o: SignificanceOptions = {};
  for (const name of ['splits', 'bootstrap'] as const) {
    const raw = args.options.get(name);
    if (typeof raw === 'string') o[name] = parseInteger(name, raw, 0);
  }
  if (o.splits === undefined && o.bootstrap === undefined) return undefined;
  try {
    significancePlan(o, 0);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message.replace(/significance\.(\w+)/, '--$1'));
    throw e;
  }
  return o;
}

type WithSignificance = { significance?: ModeSignificance };

/**
 * The modes table with the evidence columns (held-out p, stability, weak) inserted before
 * its last column (the samples), and the lines that explain them; unchanged without evidence.
 */
export function withSignificanceColumns(
  rows: string[][],
  right: boolean[],
  modes: readonly WithSignificance[],
): { rows: string[][]; right: boolean[]; legend: string[] } {
  const sig = modes.map((m) => m.significance);
  const held = sig.some((s) => s?.heldOut),
    stab = sig.some((s) => s?.stability);
  if (!held && !stab) return { rows, right, legend: [] };
  const head = [...(held ? ['held-out p'] : []), ...(stab ? ['stability'] : []), 'weak'];
  const cells = (s: ModeSignificance | undefined) => [
    ...(held ? [s?.heldOut ? pText(s.heldOut.pValue) : ''] : []),
    ...(stab ? [s?.stability ? s.stability.value.toFixed(2) : ''] : []),
    s?.weak ? 'weak' : '',
  ];
  const at = rows[0].length - 1;
  const splice = (r: string[], extra: string[]) => [...r.slice(0, at), ...extra, ...r.slice(at)];
  const legend = [
    ...(held
      ? [
          `held-out p: one-sided p-value that the mode's eigenvalue is not beyond 0 on half the samples it was not found on (${sig.find((s) => s?.heldOut)!.heldOut!.splits} random halvings).`,
        ]
      : []),
    ...(stab
      ? [
          `stability: how closely the mode reappears in ${sig.find((s) => s?.stability)!.stability!.bootstrap} bootstrap resamples (mean best |cosine|, 0 to 1).`,
        ]
      : []),
    'weak: held-out p > 0.05 or stability < 0.5 (--json gives the reasons).',
  ];
  return {
    rows: rows.map((r, i) => splice(r, i === 0 ? head : cells(sig[i - 1]))),
    right: [...right.slice(0, at), ...head.map(() => true), ...right.slice(at)],
    legend,
  };
}

function pText(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}
