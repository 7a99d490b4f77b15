// `align` in process: the summary text of a hand-built result (both directions, the
// norm, their change and the warnings), the bias file's name, each option refusal's
// message, and short real runs: the --out-map file is a float32 (d', dy) .npy holding
// the --json map's W; --json's keys; --labels and --images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignCommand, alignHuman, alignJson, biasPath, changeText } from '../../../../src/cli/commands/align.js';
import { UsageError } from '../../../../src/cli/args.js';
import { InputError } from '../../../../src/errors.js';
import type { AlignResult } from '../../../../src/types/align.js';
import { changeWarnings, specDiffChange, specDiffChanges } from '../../../../src/methods/align/changes.js';
import { reportData } from '../../../cli/report-data.js';
import { runCommand } from './io.js';

const CLI = fileURLToPath(new URL('../../../fixtures/cli/', import.meta.url));

/** A hand-built result whose SPEC-diff went from `before` to `after` (changes and warnings by the library's rule). */
function result(before: AlignResult['specDiffBefore'], after: AlignResult['specDiffAfter'], extra: Partial<AlignResult> = {}): AlignResult {
  const c = specDiffChanges(before, after);
  return {
    task: 'align',
    n: 60,
    nTrain: 48,
    nHoldout: 12,
    dim: 4,
    dy: 4,
    W: new Float32Array(16),
    bias: new Float32Array(4),
    kernelX: { type: 'gaussian', sigma: 1.23456 },
    objective: 'x-not-y',
    epochs: 7,
    bestEpoch: 5,
    loss: { train: [3, 2, 1.5, 1.25, 1.2, 1.1, 1.05], holdout: [4, 3, 2, 1.75, 1.5, 1.125, 1.2, 1.3] },
    specDiffBefore: before,
    specDiffAfter: after,
    modesBefore: [],
    modesAfter: [],
    removedModes: [1, 3],
    timings: { total: 1 },
    specDiffChange: c,
    warnings: changeWarnings(c),
    createdModes: [],
    ...extra,
  };
}

const RESULT = result({ xNotY: 0.5, yNotX: 0.25, norm: 0.5 }, { xNotY: 0.125, yNotX: 0.0625, norm: 0.125 });

test('alignHuman: the exact summary', () => {
  assert.equal(
    alignHuman(RESULT, 'x\x1b.npy', 'y.npy'),
    [
      'align y.npy → x\\x1b.npy: n = 60 (48 train, 12 held out), W 4 × 4 + bias, X kernel gaussian (σ = 1.235)',
      "objective x-not-y: λmax (the paper's); epochs run 7, best epoch 5, held-out loss 4.000 → 1.125",
      'held-out SPEC-diff   before     after      change',
      '  x-not-y (λmax)     0.5000     0.1250     −75.0%',
      '  y-not-x (−λmin)    0.2500     0.06250    −75.0%',
      '  norm               0.5000     0.1250     −75.0%',
      'removed side-x modes: x1, x3',
      'new modes after alignment: none',
      '',
    ].join('\n'),
  );
  const plain = alignHuman({ ...RESULT, bias: undefined, kernelX: { type: 'cosine' }, removedModes: [], objective: 'norm' }, 'a', 'b').split('\n');
  assert.equal(plain[0], 'align b → a: n = 60 (48 train, 12 held out), W 4 × 4, X kernel cosine');
  assert.equal(plain[1], 'objective norm: max(λmax, −λmin), both directions; epochs run 7, best epoch 5, held-out loss 4.000 → 1.125');
  assert.equal(plain[6], 'removed side-x modes: none');
});

test('alignHuman: a rise of more than 10% is marked and warned in words, exactly then', () => {
  // the demo's numbers: x-not-y falls, y-not-x and the norm rise
  const demo = result(
    { xNotY: 0.1129, yNotX: 0.05111, norm: 0.1129 },
    { xNotY: 0.02165, yNotX: 0.2758, norm: 0.2758 },
    { createdModes: [{ side: 'y', rank: 1 }] },
  );
  assert.deepEqual(alignHuman(demo, 'pixels', 'HOG').split('\n').slice(2), [
    'held-out SPEC-diff   before     after      change',
    '  x-not-y (λmax)     0.1129     0.02165    −80.8%',
    '  y-not-x (−λmin)    0.05111    0.2758     +440%  ← rose more than 10%',
    '  norm               0.1129     0.2758     +144%  ← rose more than 10%',
    'removed side-x modes: x1, x3',
    'new modes after alignment: y1',
    'warning: held-out y-not-x (−λmin) rose by 440% (0.05111 → 0.2758), more than 10%: the map created clusters that X does not have',
    'warning: held-out norm (max |λ|) rose by 144% (0.1129 → 0.2758), more than 10%: ψ(Y) differs more from X than Y did',
    '  (--objective norm minimises the norm max(λmax, −λmin) instead, so neither direction may grow unchecked)',
    '',
  ]);
  // the same under the norm objective: the warnings, no hint
  const asNorm = alignHuman({ ...demo, objective: 'norm' }, 'pixels', 'HOG');
  assert.equal(asNorm.match(/^warning: /gm)?.length, 2);
  assert.doesNotMatch(asNorm, /--objective norm/);
  // each quantity alone, at exactly 10% (no warning) and just above (one warning)
  for (const key of ['xNotY', 'yNotX', 'norm'] as const) {
    for (const [after, warns] of [
      [0.55, 0],
      [0.5501, 1],
      [0.4, 0],
    ] as const) {
      const text = alignHuman(result({ xNotY: 0.5, yNotX: 0.5, norm: 0.5 }, { xNotY: 0.5, yNotX: 0.5, norm: 0.5, [key]: after }), 'x', 'y');
      assert.equal(text.match(/^warning: /gm)?.length ?? 0, warns, `${key} 0.5 → ${after}`);
      assert.equal(text.match(/← rose more than 10%/g)?.length ?? 0, warns);
    }
  }
  // from 0
  const from0 = alignHuman(result({ xNotY: 0.1, yNotX: 0, norm: 0.1 }, { xNotY: 0.05, yNotX: 0.02, norm: 0.05 }), 'x', 'y');
  assert.match(from0, /^ {2}y-not-x \(−λmin\) {4}0\.000 {6}0\.02000 {4}from 0 {2}← rose more than 10%$/m);
  assert.match(from0, /^warning: held-out y-not-x \(−λmin\) rose from 0 to 0\.02000, more than 10%: /m);
  assert.match(from0, /^ {2}\(--objective norm /m, "y-not-x rose under the paper's objective: the hint");
  assert.equal(changeText(specDiffChange(0.2, 0.2)), '0%');
  assert.equal(changeText(specDiffChange(0, 0)), '0%');
  assert.equal(changeText(specDiffChange(0.2, 0.2002)), '+0.100%');
  assert.equal(changeText(specDiffChange(0.2, 0.1)), '−50.0%');
});

test('alignHuman with labels: the label mix of each removed and new mode', () => {
  const labels = ['a', 'b', 'a', 'c', 'a', 'b'];
  const r = result(RESULT.specDiffBefore, RESULT.specDiffAfter, {
    removedModes: [1],
    createdModes: [{ side: 'y', rank: 2 }],
    modesBefore: [{ rank: 1, side: 'x', eigenvalue: 0.5, top: [0, 2, 4, 1].map((index) => ({ index, score: 0.5 })) }],
    modesAfter: [{ rank: 2, side: 'y', eigenvalue: -0.1, top: [3, 5].map((index) => ({ index, score: 0.5 })) }],
  });
  const lines = alignHuman(r, 'x', 'y', labels).split('\n');
  assert.equal(lines[6], 'removed side-x modes: x1 (a (75%), b (25%))');
  assert.equal(lines[7], 'new modes after alignment: y2 (b (50%), c (50%))');
});

test('biasPath: W.npy → W.bias.npy, any other name + .bias.npy', () => {
  assert.equal(biasPath('out/W.npy'), 'out/W.bias.npy');
  assert.equal(biasPath('W.NPY'), 'W.bias.npy');
  assert.equal(biasPath('map'), 'map.bias.npy');
  assert.equal(biasPath('a.npy.txt'), 'a.npy.txt.bias.npy');
});

test('align: option refusals, each with its message, before any file is read', async () => {
  const refuse = (argv: string[], message: string) =>
    assert.rejects(runCommand(alignCommand, ['/nonexistent/x.npy', '/nonexistent/y.npy', ...argv]), new UsageError(message));
  await refuse(['--kernel', 'linear', '--kernel-x', 'linear'], "--kernel and --kernel-x both name X's kernel; give one");
  await refuse(['--kernel-y', 'linear'], "--kernel-y must be cosine for align (the mapped side ψ(Y) uses the cosine kernel), got 'linear'");
  await refuse(['--sigma-x', '1'], '--sigma-x applies to a gaussian kernel, but X uses the cosine kernel (add --kernel-x gaussian)');
  await refuse(['--lr', '0'], "--lr must be a number > 0, got '0'");
  await refuse(['--beta', '-1'], "--beta must be a number ≥ 0, got '-1'");
  await refuse(
    ['--beta', '1e16'],
    "--beta must be ≤ 1000000000000000 (a larger pull only holds W at W0, and near 1e154 Adam's squared gradient overflows), got '1e16'",
  );
  await refuse(['--batch', '1'], "--batch must be an integer ≥ 2, got '1'");
  await refuse(['--holdout', '1'], "--holdout must be a fraction in (0, 1), got '1'");
  await refuse(['--holdout', 'half'], "--holdout must be a fraction in (0, 1), got 'half'");
  await refuse(['--epochs', '0'], "--epochs must be an integer ≥ 1, got '0'");
  await refuse(['--dim', '0'], "--dim must be an integer ≥ 1, got '0'");
  await refuse(['--out-map', '/nonexistent/W.npy'], '--out-map /nonexistent/W.npy: directory /nonexistent does not exist');
  await refuse(['--out-map', '/nonexistent/x.npy'], '--out-map /nonexistent/x.npy: directory /nonexistent does not exist');
  await refuse(['--objective', 'spectral'], "--objective must be one of x-not-y, norm, got 'spectral'");
  await refuse(['--objective', 'Norm'], "--objective must be one of x-not-y, norm, got 'Norm'");
  await refuse(['--images', '/nonexistent/list.txt'], '--images adds thumbnails to the report: give --out FILE too');
});

test("align: a short run writes W (float32, C order, shape (d', dy)) and its bias; --json is alignJson plus inputs", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-align-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const map = join(dir, 'W.npy');
  await assert.rejects(
    runCommand(alignCommand, [CLI + 'x.npy', CLI + 'y.npy', '--out-map', map, '--bias', '--out', join(dir, 'W.bias.npy')]),
    new UsageError(`--out ${join(dir, 'W.bias.npy')} is the same file as --out-map's bias file (${join(dir, 'W.bias.npy')}); choose another output path`),
  );
  const r = await runCommand(alignCommand, [CLI + 'x.npy', CLI + 'y.npy', '--epochs', '2', '--dim', '3', '--bias', '--out-map', map, '--json', '--seed', '1']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), [
    'task',
    'n',
    'nTrain',
    'nHoldout',
    'dim',
    'kernelX',
    'specDiffBefore',
    'specDiffAfter',
    'epochs',
    'bestEpoch',
    'loss',
    'removedModes',
    'modesBefore',
    'modesAfter',
    'timings',
    'inputs',
    'objective',
    'specDiffChange',
    'warnings',
    'createdModes',
  ]);
  assert.deepEqual([j.task, j.n, j.nTrain + j.nHoldout, j.dim], ['align', 60, 60, 3]);
  assert.deepEqual(Object.keys(j.specDiffBefore), ['xNotY', 'yNotX', 'norm']);
  assert.deepEqual(Object.keys(j.specDiffAfter), ['xNotY', 'yNotX', 'norm']);
  assert.equal(j.objective, 'x-not-y');
  assert.deepEqual(Object.keys(j.specDiffChange), ['limit', 'xNotY', 'yNotX', 'norm']);
  for (const k of ['xNotY', 'yNotX', 'norm']) {
    assert.deepEqual(j.specDiffChange[k], specDiffChange(j.specDiffBefore[k], j.specDiffAfter[k]), k);
  }
  assert.deepEqual(j.warnings, changeWarnings(specDiffChanges(j.specDiffBefore, j.specDiffAfter)));
  assert.ok(Array.isArray(j.createdModes));
  assert.deepEqual(Object.keys(j.modesBefore[0]), ['rank', 'side', 'eigenvalue', 'top'], 'no label fields without --labels');
  assert.ok(j.epochs <= 2 && j.loss.holdout.length === j.epochs + 1);
  const w = readFileSync(map);
  const headerLen = w.readUInt16LE(8);
  const header = w.toString('latin1', 10, 10 + headerLen);
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 4\), \}\s*\n$/);
  assert.equal(w.length - 10 - headerLen, 3 * 4 * 4);
  const b = readFileSync(join(dir, 'W.bias.npy'));
  assert.match(b.toString('latin1', 10, 10 + b.readUInt16LE(8)), /'shape': \(3,\)/);
  assert.ok(r.err.includes(`spec-embed: map written to ${map} (bias: ${join(dir, 'W.bias.npy')})\n`));
  assert.equal(typeof alignJson, 'function');
});

test('align --labels, --images: label mixes in the summary and --json, thumbnails and cards in the report; their refusals', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-align-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const labels = Array.from({ length: 60 }, (_, i) => `L${i % 4}`);
  writeFileSync(join(dir, 'labels.txt'), `${labels.join('\n')}\n`);
  copyFileSync(fileURLToPath(new URL('../../../fixtures/images/tiny.png', import.meta.url)), join(dir, 'tiny.png'));
  writeFileSync(join(dir, 'images.txt'), `${Array.from({ length: 60 }, () => 'tiny.png').join('\n')}\n`);
  const base = [CLI + 'x.npy', CLI + 'y.npy', '--epochs', '2', '--seed', '1', '--top', '2', '--samples-per-mode', '3'];
  const r = await runCommand(alignCommand, [
    ...base,
    '--labels',
    join(dir, 'labels.txt'),
    '--json',
    '--images',
    join(dir, 'images.txt'),
    '--out',
    join(dir, 'r.html'),
  ]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  for (const m of [...j.modesBefore, ...j.modesAfter]) {
    assert.deepEqual(Object.keys(m), ['rank', 'side', 'eigenvalue', 'top', 'labelMix', 'purity', 'entropy']);
    for (const s of m.top) assert.equal(s.label, labels[s.index]);
    assert.equal(
      m.labelMix.reduce((a: number, c: { count: number }) => a + c.count, 0),
      m.top.length,
    );
  }
  const d = reportData(readFileSync(join(dir, 'r.html'), 'utf8'));
  assert.deepEqual(d.json, j, 'the report holds the --json object');
  const tops = [...j.modesBefore, ...j.modesAfter].flatMap((m: { top: { index: number }[] }) => m.top.map((s) => `0:${s.index}`));
  assert.ok(tops.length > 0 && tops.every((k: string) => d.thumbs[k]?.startsWith('data:image/png;base64,')), 'a thumbnail for every top sample');
  // the summary names the label mixes of removed and new modes
  const h = await runCommand(alignCommand, [...base, '--labels', join(dir, 'labels.txt')]);
  assert.match(h.out, /^removed side-x modes: (none|x\d \(L\d \(\d+%\).*)$/m);
  assert.match(h.out, /^new modes after alignment: (none|[xy]\d \(L\d \(\d+%\).*)$/m);
  // refusals: a count that differs from the rows; a labels or images file that is an output
  writeFileSync(join(dir, 'short.txt'), 'a\nb\n');
  await assert.rejects(
    runCommand(alignCommand, [...base, '--labels', join(dir, 'short.txt')]),
    (e: unknown) => e instanceof InputError && /short\.txt: has 2 labels \(lines\), expected 60/.test((e as Error).message),
  );
  await assert.rejects(
    runCommand(alignCommand, [...base, '--labels', join(dir, 'labels.txt'), '--out', join(dir, 'labels.txt')]),
    new UsageError(`--out ${join(dir, 'labels.txt')} is the same file as --labels (${join(dir, 'labels.txt')}); choose another output path`),
  );
  await assert.rejects(
    runCommand(alignCommand, [...base, '--images', join(dir, 'images.txt'), '--out-map', join(dir, 'images.txt'), '--out', join(dir, 'r2.html')]),
    new UsageError(`--out-map ${join(dir, 'images.txt')} is the same file as --images (${join(dir, 'images.txt')}); choose another output path`),
  );
  await assert.rejects(
    runCommand(alignCommand, [...base, '--images', join(dir, 'images.txt'), '--out', join(dir, 'tiny.png')]),
    (e: unknown) => e instanceof UsageError && /^--out .*tiny\.png is the same file as line 1 of --images/.test((e as Error).message),
  );
});
