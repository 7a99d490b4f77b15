// Shared helpers for the CLI suites: they run `node dist/cli.js` as a user would.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIX = join(ROOT, 'tests', 'fixtures', 'cli');
export const fx = (name: string) => join(FIX, name);

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; script?: string; env?: Record<string, string>; timeout?: number } = {}): Run {
  const r = spawnSync(process.execPath, [opts.script ?? CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: opts.timeout ?? 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Reads a little-endian f32 C-order .npy v1 file (what scripts/fixtures/cli.py writes). */
export function readNpyF32(path: string): { data: Float32Array; rows: number; cols: number } {
  const b = readFileSync(path);
  const hlen = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + hlen).toString('latin1');
  if (!header.includes("'<f4'") || !header.includes("'fortran_order': False")) throw new Error(`unexpected header ${header}`);
  const [rows, cols] = /'shape': \((\d+), (\d+)\)/.exec(header)!.slice(1).map(Number);
  const bytes = b.subarray(10 + hlen, 10 + hlen + rows * cols * 4);
  const data = new Float32Array(rows * cols);
  new Uint8Array(data.buffer).set(bytes);
  return { data, rows, cols };
}

export function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/**
 * Plain progress lines (stderr is not a terminal in the tests): a bar's start
 * "NAME (unit) ... 12%", its percent lines "NAME 42% (8400/20000 rows)", and an
 * early end "NAME done (10/300 Lanczos)".
 */
export const PROGRESS_LINE = /^spec-embed: .+ (\.\.\. \d+%|\d+% \(\d+\/\d+[^()]*\)|done \(\d+\/\d+[^()]*\))$/;

/**
 * A failing run: exit 2, nothing on stdout, and exactly one stderr line
 * `spec-embed: ...` besides progress lines, matching every pattern.
 */
export function expectUsageError(assert: typeof import('node:assert/strict'), r: Run, ...patterns: RegExp[]): void {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !PROGRESS_LINE.test(l));
  assert.equal(lines.length, 1, `one stderr line, got: ${r.stderr}`);
  assert.match(lines[0], /^spec-embed: \S/);
  for (const p of patterns) assert.match(lines[0], p);
}

/** The top-level keys compare --json adds after `inputs` (docs/design.md §3), in order. */
export const COMPARE_TRAILING = ['methodReason', 'seed', 'version', 'sigma', 'files', 'shareOf'];
/** finc's: no shareOf (its table shows shareX/shareY). */
export const FINC_TRAILING = ['methodReason', 'seed', 'version', 'sigma', 'files'];

/** Labels of `top` counted most frequent first (ties in code-unit order), purity, entropy in nats. */
export function expectedLabelMix(
  top: { index: number }[],
  labels: string[],
): { labelMix: { label: string; count: number }[]; purity: number; entropy: number } {
  const m = new Map<string, number>();
  for (const t of top) m.set(labels[t.index], (m.get(labels[t.index]) ?? 0) + 1);
  const labelMix = [...m].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  let entropy = 0;
  if (labelMix.length > 1) for (const { count } of labelMix) entropy -= (count / top.length) * (Math.log(count) - Math.log(top.length));
  return { labelMix, purity: top.length ? labelMix[0].count / top.length : 0, entropy };
}

/** A mode's listed samples as the JSON writes them (with their labels when given). */
const listed = (list: { index: number; score: number }[], labels?: string[]) =>
  list.map((t) => (labels ? { index: t.index, score: t.score, label: labels[t.index] } : { index: t.index, score: t.score }));

/** The mode fields after the §3 ones, in order: both ends (docs/design.md §1), and with labels the bottom end's label mix. */
export const ENDS_KEYS = ['bottom', 'kind', 'massTop', 'massBottom', 'countTop', 'countBottom', 'cutTop', 'cutBottom'];
export const BOTTOM_MIX_KEYS = ['bottomLabelMix', 'bottomPurity', 'bottomEntropy'];

/** The ends of a library mode as the JSON writes them (and the bottom end's label mix with labels). */
export function expectedEnds(m: any, labels?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    bottom: listed(m.bottom, labels),
    kind: m.kind,
    massTop: m.massTop,
    massBottom: m.massBottom,
    countTop: m.countTop,
    countBottom: m.countBottom,
    cutTop: m.cutTop,
    cutBottom: m.cutBottom,
  };
  if (labels) {
    const mix = expectedLabelMix(m.bottom, labels);
    Object.assign(out, { bottomLabelMix: mix.labelMix, bottomPurity: mix.purity, bottomEntropy: mix.entropy });
  }
  return out;
}

/**
 * The --json schema of docs/design.md §3, built here independently of the CLI's own code:
 * the result's fields, each mode's share of Σ|λ| (and label mix with labels) and both ends,
 * then the fields after `inputs` that depend on the run only through `trailing`.
 */
export function expectedJson(result: any, labels?: string[], trailing: Record<string, unknown> = {}): unknown {
  const kernel = (k: any) => {
    const o: any = { type: k.type };
    if (k.sigma !== undefined) o.sigma = k.sigma;
    if (k.rffDim !== undefined) o.rffDim = k.rffDim;
    return o;
  };
  const total = result.modes.reduce((a: number, m: any) => a + Math.abs(m.eigenvalue), 0);
  return {
    n: result.n,
    method: result.method,
    eta: result.eta,
    kernelX: kernel(result.kernelX),
    kernelY: kernel(result.kernelY),
    specDiff: { xNotY: result.specDiff.xNotY, yNotX: result.specDiff.yNotX, norm: result.specDiff.norm },
    modes: result.modes.map((m: any) => ({
      rank: m.rank,
      side: m.side,
      eigenvalue: m.eigenvalue,
      top: listed(m.top, labels),
      share: Math.abs(m.eigenvalue) / total,
      ...(labels ? expectedLabelMix(m.top, labels) : {}),
      ...expectedEnds(m, labels),
    })),
    noiseDropped: result.noiseDropped,
    ...(result.notes ? { notes: result.notes } : {}),
    methodReason: result.methodReason,
    shareOf: result.spectrumComplete ? 'spectrum' : 'listed modes',
    version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    ...trailing,
    ...(result.rffError
      ? { rffError: { xNotY: result.rffError.xNotY, yNotX: result.rffError.yNotX, norm: result.rffError.norm, sample: result.rffError.sample } }
      : {}),
  };
}
