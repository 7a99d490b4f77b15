// The app's own wording: field names as the form shows them, and the library's (or the
// CLI's) advice re-spelt with them. A message in the page never says "--flag": the user
// of the app has no command line.

/** The form's names of the options messages refer to. */
export const FIELD = {
  key: 'array in the .npz archive',
  header: 'CSV/TSV line 1',
  indexColumn: 'CSV/TSV row-index column',
  rffDim: 'random Fourier frequencies',
  method: 'method',
  topK: 'modes per side',
  samplesPerMode: 'top samples per mode',
} as const;

const q = (name: string) => `“${name}”`;

/** Rewrites, in order; the last turns any flag left over into a quoted name. */
const REWRITES: [RegExp, string | ((...m: string[]) => string)][] = [
  [/\(header: true or false; --header or --no-header on the command line\)/g, `(set ${q(FIELD.header)} to header or to data)`],
  [/\(header: true; --header on the command line\)/g, `(set ${q(FIELD.header)} to header)`],
  [/\(indexColumn: 'drop' or 'keep'; --index-col drop\|keep on the command line\)/g, `(set ${q(FIELD.indexColumn)} to drop or keep)`],
  [/choose one with the key option \(--key, or --key-x \/ --key-y, on the command line\)/g, `choose one under ${q(FIELD.key)}`],
  [/--method exact/g, `${q(FIELD.method)} exact`],
  [/use --rff-dim (\d+)/g, (_m, n) => `set ${q(FIELD.rffDim)} to ${n}`],
  [/rffDim of kernel([XY]) = /g, (_m, side) => `${side}: ${FIELD.rffDim} = `],
  [/^rffDim = (\d+) of kernel([XY])/, (_m, n, side) => `${side}: ${FIELD.rffDim} = ${n}`],
  [/^rffDim = /, `${FIELD.rffDim} = `],
  [/^topK = /, `${FIELD.topK} = `],
  [/^samplesPerMode = /, `${FIELD.samplesPerMode} = `],
  [/(^|[\s('"`])--([a-z][a-z-]*)/g, (_m, pre, flag) => `${pre}${q(flag.replace(/-/g, ' '))}`],
];

/** A library or reader message in the app's words (no command-line flags). */
export function appWording(message: string): string {
  let s = message;
  for (const [re, to] of REWRITES) s = typeof to === 'string' ? s.replace(re, to) : s.replace(re, to);
  return s;
}
