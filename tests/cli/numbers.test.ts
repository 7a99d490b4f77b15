// What the numbers mean, exported: --scores/--scores-y write every sample's score as an
// f32 .npy that NumPy reads (columns in the order of the JSON's modes, equal to the JSON's
// top scores), --labels adds each side's NMI/AMI and each mode's label purity and entropy
// (table footer and --json), shares say what Σ|λ| they divide by, σ says how it was chosen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cli, expectedLabelMix, fx, readLines } from './helpers.js';

const X = fx('x.npy'),
  Y = fx('y.npy'),
  LABELS = fx('labels.txt');
const FINC = (name: string) => join(ROOT, 'tests', 'fixtures', 'finc', name);

/** The .npy as NumPy's np.load reads it: shape, dtype and the values (as f64). */
function numpyLoad(path: string): { shape: number[]; dtype: string; data: number[][] } {
  const code =
    'import json, sys, numpy as np\na = np.load(sys.argv[1])\nprint(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "data": a.astype(float).tolist()}))';
  const r = spawnSync('python3', ['-c', code, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function scratch<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-numbers-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function json(args: string[], cwd?: string): any {
  const r = cli(args, cwd ? { cwd } : {});
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Each row's mode by the documented rule: the highest score, none (-1) below that mode's top cut (`cuts`, by column). */
function assign(rows: number[][], cols: number[], cuts: number[]): number[] {
  return rows.map((r) => {
    let best = -1,
      v = -Infinity;
    for (const c of cols) if (r[c] > v) [best, v] = [c, r[c]];
    return best >= 0 && v >= cuts[best] ? best : -1;
  });
}

/**
 * The top cut of docs/design.md §1 from a column of compare's scores (baseline 0): P/2 (P the
 * largest |score|) rounded down to a multiple of 2^E/256, 2^E the smallest power of two above P.
 */
function topCut(col: number[]): { cut: number; step: number } {
  const P = Math.max(...col.map(Math.abs));
  let E = Math.ceil(Math.log2(P));
  if (2 ** E <= P) E++;
  const w = 2 ** (E - 8);
  return { cut: Math.floor(P / 2 / w) * w, step: w };
}

test('compare --scores: an n × modes float32 .npy NumPy loads; columns as the JSON names them, equal to the top scores', () =>
  scratch((dir) => {
    const o = json(['compare', X, Y, '--json', '--top', '3', '--samples-per-mode', '5', '--scores', 'scores.npy'], dir);
    const keys = o.modes.map((m: any) => `${m.side}${m.rank}`);
    assert.deepEqual(o.scores, { file: 'scores.npy', dtype: 'float32', shape: [60, keys.length], columns: keys });
    assert.equal(Object.keys(o).at(-1), 'scores');
    const a = numpyLoad(join(dir, 'scores.npy'));
    assert.deepEqual(a.shape, [60, keys.length]);
    assert.equal(a.dtype, 'float32');
    o.modes.forEach((m: any, j: number) => {
      for (const t of m.top) assert.equal(a.data[t.index][j], Math.fround(t.score), `${keys[j]} sample ${t.index}`);
      // the listed top samples are the column's largest scores
      const col = a.data.map((r) => r[j]);
      const kth = m.top.map((t: any) => Math.fround(t.score)).at(-1);
      assert.equal(col.filter((v) => v > kth).length, m.top.length - 1);
    });
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.startsWith('.spec-embed-')),
      [],
      'no temporary left',
    );
  }));

test("compare --labels: each side's NMI/AMI in --json and the table footer; purity and entropy per mode; the assignment follows the stated rule", () =>
  scratch((dir) => {
    const labels = readLines(LABELS);
    const o = json(['compare', X, Y, '--json', '--top', '2', '--labels', LABELS, '--scores', 's.npy'], dir);
    assert.deepEqual(Object.keys(o).slice(-2), ['agreement', 'scores']);
    assert.equal(o.agreement.cut, 0.5);
    const a = numpyLoad(join(dir, 's.npy'));
    for (const side of ['x', 'y'] as const) {
      const g = o.agreement[side];
      assert.deepEqual(Object.keys(g), ['nmi', 'ami', 'assigned', 'unassigned']);
      assert.ok(g.nmi >= 0 && g.nmi <= 1 && g.ami <= 1, `${side}: ${g.nmi} ${g.ami}`);
      const cols = o.scores.columns.map((c: string, i: number) => (c[0] === side ? i : -1)).filter((i: number) => i >= 0);
      // each mode's cutTop as the rule draws it from its (float32) scores, to one grid step
      for (const c of cols) {
        const { cut, step } = topCut(a.data.map((r) => r[c]));
        assert.ok(Math.abs(o.modes[c].cutTop - cut) <= step, `${o.scores.columns[c]}: cutTop ${o.modes[c].cutTop} vs ${cut}`);
      }
      const got = assign(
        a.data,
        cols,
        o.modes.map((m: any) => m.cutTop),
      );
      assert.deepEqual(
        g.assigned,
        cols.map((c: number) => ({ mode: o.scores.columns[c], count: got.filter((v) => v === c).length })),
      );
      assert.equal(g.unassigned, got.filter((v) => v === -1).length);
    }
    for (const m of o.modes) {
      const want = expectedLabelMix(m.top, labels);
      assert.deepEqual(m.labelMix, want.labelMix);
      assert.equal(m.purity, want.purity);
      assert.ok(Math.abs(m.entropy - want.entropy) <= 1e-12);
    }
    const r = cli(['compare', X, Y, '--top', '2', '--labels', LABELS]);
    assert.equal(r.code, 0, r.stderr);
    const nmi = (v: number) => (v === 0 ? '0' : v.toFixed(4));
    assert.match(r.stdout, new RegExp(`side x: NMI ${nmi(o.agreement.x.nmi)}\\s+AMI ${nmi(o.agreement.x.ami)}`));
    assert.match(r.stdout, new RegExp(`side y: NMI ${nmi(o.agreement.y.nmi)}\\s+AMI ${nmi(o.agreement.y.ami)}`));
    assert.match(r.stdout, /to none below that mode's top cut \(0\.5 of the way from its baseline to its peak\)/);
    assert.match(r.stdout, /purity \/ entropy \(nats\): x1 \d+% \/ \d\.\d\d/);
  }));

test('share: of the listed modes by default; of the whole spectrum once --top lists every eigenvalue (table and --json)', () => {
  const few = json(['compare', X, Y, '--json', '--top', '2']);
  assert.equal(few.shareOf, 'listed modes');
  const all = json(['compare', X, Y, '--json', '--top', '60', '--method', 'exact', '--samples-per-mode', '1']);
  assert.equal(all.shareOf, 'spectrum');
  const sum = all.modes.reduce((s: number, m: any) => s + m.share, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12);
  // a mode's share shrinks when more of the spectrum is counted
  assert.ok(all.modes[0].share < few.modes[0].share);
  assert.match(cli(['compare', X, Y, '--top', '60', '--method', 'exact']).stdout, /share: \|λ\| over the sum of \|λ\| of the whole spectrum/);
  assert.match(cli(['compare', X, Y, '--top', '2']).stdout, /share: \|λ\| over the sum of \|λ\| of the modes listed/);
});

test('--json says how σ was chosen, the seed and the package version', () => {
  const o = json(['compare', X, Y, '--json', '--top', '1', '--kernel', 'gaussian', '--sigma-x', '2', '--seed', '5']);
  assert.deepEqual(o.sigma, { X: 'given', Y: 'auto' });
  assert.equal(o.seed, 5);
  assert.match(o.version, /^\d+\.\d+\.\d+/);
  const f = json(['finc', FINC('x.npy'), FINC('y.npy'), '--json', '--top', '1', '--kernel', 'gaussian']);
  assert.deepEqual(f.sigma, { X: 'auto', Y: 'auto' });
  assert.equal(typeof f.methodReason, 'string');
});

test("finc --scores/--scores-y: X's rows × side-x modes and Y's rows × side-y modes; per-set agreement with --labels/--labels-y", () =>
  scratch((dir) => {
    const o = json(
      [
        'finc',
        FINC('x.npy'),
        FINC('y.npy'),
        '--json',
        '--top',
        '2',
        '--samples-per-mode',
        '4',
        '--scores',
        'sx.npy',
        '--scores-y',
        'sy.npy',
        '--labels',
        FINC('labels_x.txt'),
        '--labels-y',
        FINC('labels_y.txt'),
      ],
      dir,
    );
    assert.deepEqual(Object.keys(o).slice(-5), ['agreement', 'scores', 'scoresY', 'solver', 'solverReason']);
    for (const [key, side, rows] of [
      ['scores', 'x', o.nx],
      ['scoresY', 'y', o.ny],
    ] as const) {
      const modes = o.modes.filter((m: any) => m.side === side);
      assert.deepEqual(o[key].shape, [rows, modes.length]);
      assert.deepEqual(
        o[key].columns,
        modes.map((m: any) => `${side}${m.rank}`),
      );
      const a = numpyLoad(join(dir, o[key].file));
      assert.deepEqual(a.shape, [rows, modes.length]);
      modes.forEach((m: any, j: number) => {
        for (const t of m.top) assert.equal(a.data[t.index][j], Math.fround(t.score));
      });
      const g = o.agreement[side];
      assert.equal(g.assigned.reduce((s: number, c: any) => s + c.count, 0) + g.unassigned, rows);
      for (const m of modes) assert.ok(m.purity > 0 && m.purity <= 1 && m.entropy >= 0);
    }
    const r = cli(['finc', FINC('x.npy'), FINC('y.npy'), '--top', '2', '--labels', FINC('labels_x.txt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /side x \(X's samples\): NMI \S+\s+AMI \S+/);
    assert.doesNotMatch(r.stdout, /side y \(Y's samples\): NMI/);
  }));
