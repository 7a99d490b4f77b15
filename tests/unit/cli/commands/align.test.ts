// `align` in process: the summary text of a hand-built result, the bias file's
// name, each option refusal's message, and a short real run whose --out-map file
// is a float32 (d', dy) .npy holding the --json map's W.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignCommand, alignHuman, alignJson, biasPath } from '../../../../src/cli/commands/align.js';
import { UsageError } from '../../../../src/cli/args.js';
import type { AlignResult } from '../../../../src/types/align.js';
import { runCommand } from './io.js';

const CLI = fileURLToPath(new URL('../../../fixtures/cli/', import.meta.url));

const RESULT: AlignResult = {
  task: 'align', n: 60, nTrain: 48, nHoldout: 12, dim: 4, dy: 4,
  W: new Float32Array(16), bias: new Float32Array(4),
  kernelX: { type: 'gaussian', sigma: 1.23456 },
  epochs: 7, bestEpoch: 5,
  loss: { train: [3, 2, 1.5, 1.25, 1.2, 1.1, 1.05], holdout: [4, 3, 2, 1.75, 1.5, 1.125, 1.2, 1.3] },
  specDiffBefore: { xNotY: 0.5, yNotX: 0.25, norm: 0.5 },
  specDiffAfter: { xNotY: 0.125, yNotX: 0.0625, norm: 0.125 },
  modesBefore: [], modesAfter: [], removedModes: [1, 3],
  timings: { total: 1 },
};

test('alignHuman: the exact summary', () => {
  assert.equal(alignHuman(RESULT, 'x\x1b.npy', 'y.npy'), [
    'align y.npy → x\\x1b.npy: n = 60 (48 train, 12 held out), W 4 × 4 + bias, X kernel gaussian (σ = 1.235)',
    'epochs run 7, best epoch 5, held-out loss 4.000 → 1.125',
    'held-out SPEC-diff   before     after',
    '  x-not-y (λmax)     0.5000     0.1250',
    '  y-not-x (−λmin)    0.2500     0.06250',
    '  norm               0.5000     0.1250',
    'removed side-x modes: x1, x3',
    '',
  ].join('\n'));
  const plain = alignHuman({ ...RESULT, bias: undefined, kernelX: { type: 'cosine' }, removedModes: [] }, 'a', 'b').split('\n');
  assert.equal(plain[0], 'align b → a: n = 60 (48 train, 12 held out), W 4 × 4, X kernel cosine');
  assert.equal(plain[6], 'removed side-x modes: none');
});

test('biasPath: W.npy → W.bias.npy, any other name + .bias.npy', () => {
  assert.equal(biasPath('out/W.npy'), 'out/W.bias.npy');
  assert.equal(biasPath('W.NPY'), 'W.bias.npy');
  assert.equal(biasPath('map'), 'map.bias.npy');
  assert.equal(biasPath('a.npy.txt'), 'a.npy.txt.bias.npy');
});

test('align: option refusals, each with its message, before any file is read', async () => {
  const refuse = (argv: string[], message: string) => assert.rejects(runCommand(alignCommand, ['/nonexistent/x.npy', '/nonexistent/y.npy', ...argv]), new UsageError(message));
  await refuse(['--kernel', 'linear', '--kernel-x', 'linear'], "--kernel and --kernel-x both name X's kernel; give one");
  await refuse(['--kernel-y', 'linear'], "--kernel-y must be cosine for align (the mapped side ψ(Y) uses the cosine kernel), got 'linear'");
  await refuse(['--sigma-x', '1'], '--sigma-x applies to a gaussian kernel, but X uses the cosine kernel (add --kernel-x gaussian)');
  await refuse(['--lr', '0'], "--lr must be a number > 0, got '0'");
  await refuse(['--beta', '-1'], "--beta must be a number ≥ 0, got '-1'");
  await refuse(['--beta', '1e16'], "--beta must be ≤ 1000000000000000 (a larger pull only holds W at W0, and near 1e154 Adam's squared gradient overflows), got '1e16'");
  await refuse(['--batch', '1'], "--batch must be an integer ≥ 2, got '1'");
  await refuse(['--holdout', '1'], "--holdout must be a fraction in (0, 1), got '1'");
  await refuse(['--holdout', 'half'], "--holdout must be a fraction in (0, 1), got 'half'");
  await refuse(['--epochs', '0'], "--epochs must be an integer ≥ 1, got '0'");
  await refuse(['--dim', '0'], "--dim must be an integer ≥ 1, got '0'");
  await refuse(['--out-map', '/nonexistent/W.npy'], '--out-map /nonexistent/W.npy: directory /nonexistent does not exist');
  await refuse(['--out-map', '/nonexistent/x.npy'], '--out-map /nonexistent/x.npy: directory /nonexistent does not exist');
});

test('align: a short run writes W (float32, C order, shape (d\', dy)) and its bias; --json is alignJson plus inputs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-align-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const map = join(dir, 'W.npy');
  await assert.rejects(runCommand(alignCommand, [CLI + 'x.npy', CLI + 'y.npy', '--out-map', map, '--bias', '--out', join(dir, 'W.bias.npy')]),
    new UsageError(`--out ${join(dir, 'W.bias.npy')} is the same file as --out-map's bias file (${join(dir, 'W.bias.npy')}); choose another output path`));
  const r = await runCommand(alignCommand, [CLI + 'x.npy', CLI + 'y.npy', '--epochs', '2', '--dim', '3', '--bias', '--out-map', map, '--json', '--seed', '1']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['task', 'n', 'nTrain', 'nHoldout', 'dim', 'kernelX', 'specDiffBefore', 'specDiffAfter', 'epochs', 'bestEpoch', 'loss', 'removedModes', 'modesBefore', 'modesAfter', 'timings', 'inputs']);
  assert.deepEqual([j.task, j.n, j.nTrain + j.nHoldout, j.dim], ['align', 60, 60, 3]);
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
