// The options compare shares with finc and align: the exact CompareOptions for
// each combination, each contradiction's message, and the small steps (keys,
// table options, input and output files, label files, header notes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, parseArgs } from '../../../src/cli/args.js';
import {
  INPUT_OPTIONS,
  KERNEL_OPTIONS,
  OUTPUT_OPTIONS,
  checkOutputs,
  displayName,
  inputFiles,
  inputKeys,
  noteTable,
  readEmbedding,
  readLabelFile,
  solverSettings,
  sourceName,
  tableOptions,
  imageThumbs,
} from '../../../src/cli/shared.js';
import { InputError } from '../../../src/errors.js';

const SPECS = [...KERNEL_OPTIONS, ...INPUT_OPTIONS, ...OUTPUT_OPTIONS, { name: 'images', value: 'FILE', help: '' }];
const args = (...argv: string[]) => parseArgs(argv, SPECS, 'compare');

function usage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

test('solverSettings: defaults, per-side kernels, σ and m, every numeric option', () => {
  assert.deepEqual(solverSettings(args()), { options: { kernelX: 'cosine', kernelY: 'cosine' }, sigmaAutoX: false, sigmaAutoY: false, threads: undefined });
  assert.deepEqual(solverSettings(args('--kernel', 'gaussian')), {
    options: { kernelX: { type: 'gaussian' }, kernelY: { type: 'gaussian' } },
    sigmaAutoX: true,
    sigmaAutoY: true,
    threads: undefined,
  });
  assert.deepEqual(solverSettings(args('--kernel', 'linear', '--kernel-y', 'gaussian', '--sigma-y', '0.5', '--rff-dim', '64')), {
    options: { kernelX: 'linear', kernelY: { type: 'gaussian', sigma: 0.5, rffDim: 64 } },
    sigmaAutoX: false,
    sigmaAutoY: false,
    threads: undefined,
  });
  assert.deepEqual(
    solverSettings(
      args(
        '--kernel-x',
        'gaussian',
        '--sigma-x',
        'auto',
        '--eta',
        '0',
        '--top',
        '3',
        '--method',
        'exact',
        '--seed',
        '0',
        '--samples-per-mode',
        '7',
        '--threads',
        '2',
      ),
    ),
    {
      options: { kernelX: { type: 'gaussian', sigma: 'auto' }, kernelY: 'cosine', eta: 0, topK: 3, method: 'exact', seed: 0, samplesPerMode: 7, threads: 2 },
      sigmaAutoX: true,
      sigmaAutoY: false,
      threads: 2,
    },
  );
});

test('solverSettings: each contradiction and bad value is refused with its message', () => {
  usage(() => solverSettings(args('--sigma-x', '1')), '--sigma-x applies to a gaussian kernel, but X uses the cosine kernel (add --kernel-x gaussian)');
  usage(
    () => solverSettings(args('--kernel-x', 'gaussian', '--sigma-y', '1')),
    '--sigma-y applies to a gaussian kernel, but Y uses the cosine kernel (add --kernel-y gaussian)',
  );
  usage(() => solverSettings(args('--kernel', 'linear', '--rff-dim', '5')), '--rff-dim applies to gaussian kernels, but X uses linear and Y uses linear');
  usage(() => solverSettings(args('--kernel', 'rbf')), "--kernel must be one of cosine, gaussian, linear, got 'rbf'");
  usage(() => solverSettings(args('--eta', '-0.5')), "--eta must be a number ≥ 0, got '-0.5'");
  usage(() => solverSettings(args('--eta', 'x')), "--eta must be a number ≥ 0, got 'x'");
  usage(() => solverSettings(args('--top', '0')), "--top must be an integer ≥ 1, got '0'");
  usage(() => solverSettings(args('--threads', '0')), "--threads must be an integer ≥ 1, got '0'");
  usage(() => solverSettings(args('--seed', '-1')), "--seed must be an integer ≥ 0, got '-1'");
  usage(() => solverSettings(args('--method', 'fast')), "--method must be one of auto, exact, covariance, got 'fast'");
  usage(() => solverSettings(args('--solver', 'lanczos')), "--solver must be one of auto, syrk, matrix-free, got 'lanczos'");
  assert.equal(solverSettings(args('--solver', 'matrix-free')).options.solver, 'matrix-free');
  usage(() => solverSettings(args('--kernel', 'gaussian', '--sigma-x', '0')), "--sigma-x must be a positive number or 'auto', got '0'");
});

test('tableOptions, inputKeys, inputFiles', () => {
  assert.deepEqual(tableOptions(args()), {});
  assert.deepEqual(tableOptions(args('--header', '--index-col', 'drop')), { header: true, indexColumn: 'drop' });
  assert.deepEqual(tableOptions(args('--no-header')), { header: false });
  usage(() => tableOptions(args('--header', '--no-header')), '--header and --no-header contradict each other; give one');
  usage(() => tableOptions(args('--index-col', 'yes')), "--index-col must be one of drop, keep, got 'yes'");
  assert.deepEqual(inputKeys(args()), { x: undefined, y: undefined });
  assert.deepEqual(inputKeys(args('--key', 'emb', '--key-y', 'other')), { x: 'emb', y: 'other' });
  assert.deepEqual(inputFiles(args('a.npy', 'b.npy', '--images', 'i.txt'), ['labels', 'images']), [
    { role: 'X', path: 'a.npy' },
    { role: 'Y', path: 'b.npy' },
    { role: '--images', path: 'i.txt' },
  ]);
});

test('noteTable: one line per skipped header, with the index column', () => {
  const notes: string[] = [];
  noteTable((m) => notes.push(m), 'X', 'x.csv', undefined);
  noteTable((m) => notes.push(m), 'X', 'x.csv', { header: null, indexColumn: null });
  noteTable((m) => notes.push(m), 'X', 'x.csv', { header: 'a,b', indexColumn: null });
  noteTable((m) => notes.push(m), 'Y', 'y\x1b.csv', { header: ',"a\x07"', indexColumn: 'dropped' });
  noteTable((m) => notes.push(m), 'Y', 'y.csv', { header: ',0,1', indexColumn: 'kept' });
  assert.deepEqual(notes, [
    'X file x.csv: skipped header line 1 ("a,b")',
    'Y file y\\x1b.csv: skipped header line 1 (",\\"a\\x07\\""); dropped index column 1 (--index-col drop)',
    'Y file y.csv: skipped header line 1 (",0,1"); kept index column 1 (--index-col keep)',
  ]);
});

test('readEmbedding, readLabelFile, checkOutputs, imageThumbs on files', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-shared-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'x.csv'), 'a,b\n1,2\n3,4.5\n');
  const m = readEmbedding(join(dir, 'x.csv'), 'X', undefined, {});
  assert.deepEqual([m.rows, m.cols, Array.from(m.data)], [2, 2, [1, 2, 3, 4.5]]);
  assert.deepEqual(m.table, { header: 'a,b', indexColumn: null });
  usage(() => readEmbedding(join(dir, 'no.csv'), 'Y', undefined), `Y file ${join(dir, 'no.csv')}: no such file`);
  writeFileSync(join(dir, 'l.txt'), 'cat\ndog\n');
  assert.deepEqual(readLabelFile(join(dir, 'l.txt'), 2), ['cat', 'dog']);
  assert.throws(
    () => readLabelFile(join(dir, 'l.txt'), 3),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, `${join(dir, 'l.txt')}: has 2 labels (lines), expected 3 (one per row)`);
      return true;
    },
  );
  usage(() => readLabelFile(join(dir, 'none.txt'), 2), `labels file ${join(dir, 'none.txt')}: no such file`);
  const a = parseArgs([join(dir, 'x.csv'), 'y', '--out', join(dir, 'r.html')], SPECS, 'compare');
  assert.deepEqual(checkOutputs(a, ['out'], inputFiles(a, [])), [{ role: '--out', path: join(dir, 'r.html') }]);
  const clash = parseArgs([join(dir, 'x.csv'), 'y', '--out', join(dir, 'x.csv')], SPECS, 'compare');
  usage(
    () => checkOutputs(clash, ['out'], inputFiles(clash, [])),
    `--out ${join(dir, 'x.csv')} is the same file as X (${join(dir, 'x.csv')}); choose another output path`,
  );
  // an image list naming the output is refused; a list with a skipped entry says so
  writeFileSync(join(dir, 'r.html'), '\x89PNG\r\n\x1a\n', 'latin1');
  writeFileSync(join(dir, 'imgs.txt'), 'r.html\nmissing.png\n');
  const outs = [{ role: '--out', path: join(dir, 'r.html') }];
  usage(
    () => imageThumbs(join(dir, 'imgs.txt'), 'images', 2, 0, outs, () => {}),
    `--out ${join(dir, 'r.html')} is the same file as line 1 of --images (${join(dir, 'r.html')}); choose another output path`,
  );
  const notes: string[] = [];
  const thumb = imageThumbs(join(dir, 'imgs.txt'), 'images', 2, 0, [], (m) => notes.push(m));
  assert.deepEqual(notes, [`images file ${join(dir, 'imgs.txt')}: 1 of 2 entries skipped: 1 no such file (line 2)`]);
  assert.equal(thumb(0, 0), `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').toString('base64')}`);
});

test('displayName and sourceName', () => {
  assert.equal(displayName('/a/b/emb.npy'), 'emb.npy');
  assert.equal(sourceName('Y', 'dir/y\x1b.npy'), 'Y (dir/y\\x1b.npy)');
});
