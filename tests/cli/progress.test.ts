// Progress on stderr without a terminal (as every test runs the CLI): each bar
// named by side and purpose ("X: σ sample", "Y: kernel matrix", "report:
// evidence"), one unit and one total per bar, a percent on every line, and at
// most a start line, an end line and one line per PLAIN_EVERY_MS of the run per
// bar (lines counted, the run's length only bounds the count: nothing is timed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROGRESS_LINE, cli, fx } from './helpers.js';
import { reportData } from './report-data.js';

const PLAIN_EVERY_MS = 10_000; // src/cli/progress.ts

/** Parses the progress lines: bar name → its lines' units and totals, and the bars in order of their start lines. */
function bars(stderr: string) {
  const lines = stderr.split('\n').filter((l) => PROGRESS_LINE.test(l));
  const order: string[] = [];
  const per = new Map<string, { lines: number; counts: string[] }>();
  for (const l of lines) {
    const start = /^spec-embed: (.+?)(?: \(([^()]*)\))? \.\.\. (\d+)%$/.exec(l);
    const body = /^spec-embed: (.+?) (?:\d+%|done) \((\d+)\/(\d+)(?: ([^()]*))?\)$/.exec(l);
    const name = start ? start[1] : body![1];
    if (start) order.push(name);
    const b = per.get(name) ?? { lines: 0, counts: [] };
    b.lines++;
    // unit and total of a percent or end line (a start line names the unit only)
    b.counts.push(start ? `unit ${start[2] ?? ''}` : `unit ${body![4] ?? ''}|total ${body![3]}`);
    per.set(name, b);
  }
  return { lines, order, per };
}

test('compare --out without a terminal: bars named by side and purpose, one unit each, percents, few lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-progress-'));
  try {
    const out = join(dir, 'r.html');
    const t0 = performance.now();
    const r = cli(['compare', fx('x.npy'), fx('y.npy'), '--kernel', 'gaussian', '--method', 'exact', '--top', '2', '--out', out]);
    const ms = performance.now() - t0;
    assert.equal(r.code, 0, r.stderr);
    const { lines, order, per } = bars(r.stderr);
    assert.deepEqual(order, [
      'X: σ sample',
      'Y: σ sample',
      'X: features',
      'Y: features',
      'X: kernel matrix',
      'Y: kernel matrix',
      'eigen-solve',
      'mode scores',
      'metrics: linear CKA',
      'metrics: mutual k-NN',
      'report: layouts of X and Y',
      'report: evidence',
    ]);
    // every progress line carries a percent or where its bar stopped
    for (const l of lines) assert.match(l, /\d+%|done \(\d+\/\d+/);
    for (const [name, b] of per) {
      // one bar per name here: it starts once, ends once, and prints at most one line per interval between
      assert.ok(b.lines <= 2 + Math.floor(ms / PLAIN_EVERY_MS), `${name}: ${b.lines} lines in a ${Math.round(ms)} ms run`);
      const units = new Set(b.counts.map((c) => c.split('|')[0]));
      assert.equal(units.size, 1, `${name}: one unit (${[...units]})`);
      const totals = new Set(b.counts.filter((c) => c.includes('|')).map((c) => c.split('|')[1]));
      assert.ok(totals.size <= 1, `${name}: one total (${[...totals]})`);
    }
    // the report bars count epochs and modes, and finish
    assert.match(r.stderr, /^spec-embed: report: layouts of X and Y 100% \(\d+\/\d+ epochs\)$/m);
    assert.match(r.stderr, /^spec-embed: report: evidence 100% \(4\/4 modes\)$/m);
    // the report itself: both maps over the same plotted points, evidence per mode
    const d = reportData(readFileSync(out, 'utf8'));
    assert.equal(d.maps.layouts.length, 2);
    for (const l of d.maps.layouts) assert.equal(l.xy.length, 2 * d.maps.points.index.length);
    assert.deepEqual(Object.keys(d.evidence).sort(), ['x1', 'x2', 'y1', 'y2']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the covariance route: every eigen-solve bar counts one unit (Cholesky pivots and Lanczos restarts are two bars)', () => {
  const r = cli(['compare', fx('x.npy'), fx('y.npy'), '--method', 'covariance', '--top', '2']);
  assert.equal(r.code, 0, r.stderr);
  const { per } = bars(r.stderr);
  const solve = r.stderr.split('\n').filter((l) => l.startsWith('spec-embed: eigen-solve') && PROGRESS_LINE.test(l));
  const starts = solve.filter((l) => / \.\.\. \d+%$/.test(l));
  assert.ok(starts.length >= 1, r.stderr);
  // each eigen-solve bar's lines share one unit
  for (const s of starts) {
    const unit = /\(([^()]*)\) \.\.\./.exec(s)?.[1];
    const after = solve.slice(solve.indexOf(s) + 1);
    const next = after.findIndex((l) => / \.\.\. \d+%$/.test(l));
    for (const l of next < 0 ? after : after.slice(0, next)) assert.ok(l.includes(` ${unit})`), `${l} counts ${unit}`);
  }
  assert.ok(per.has('accumulating covariance') && per.has('eigen-solve'), r.stderr);
});

test('the feature-Gram route: per side its features, then its kernel matrix, each bar once (no "kernel matrices / features / kernel matrices")', () => {
  const r = cli(['compare', fx('x.npy'), fx('y.npy'), '--method', 'covariance', '--kernel', 'gaussian', '--top', '2']);
  assert.equal(r.code, 0, r.stderr);
  const { order } = bars(r.stderr);
  const sides = order.filter((n) => /^[XY]: /.test(n));
  assert.deepEqual(sides, ['X: σ sample', 'Y: σ sample', 'X: features', 'X: kernel matrix', 'Y: features', 'Y: kernel matrix']);
});
