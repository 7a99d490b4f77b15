// File checks before any work, and whole-or-nothing writes: the exact message of
// each refusal, outputs that are inputs through symlinks and hard links, and what
// a write leaves behind (mode bits, link targets, no temporary files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDistinctOutputs, checkReadable, checkWritableTarget, writeOutput } from '../../../src/cli/files.js';
import { UsageError } from '../../../src/cli/args.js';

function usage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'spec-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('checkReadable: a regular file passes; each other kind of path is refused by name', (t) => {
  const dir = tmp(t);
  const f = join(dir, 'x.npy');
  writeFileSync(f, 'x');
  checkReadable(f, 'X');
  usage(() => checkReadable(join(dir, 'none.npy'), 'X'), `X file ${join(dir, 'none.npy')}: no such file`);
  usage(() => checkReadable(dir, 'labels'), `labels file ${dir}: is a directory, not a file`);
  usage(() => checkReadable('/dev/null', 'Y'), 'Y file /dev/null: is a character device, not a regular file; save the data to a file and pass that');
  symlinkSync('/dev/zero', join(dir, 'z.csv'));
  usage(
    () => checkReadable(join(dir, 'z.csv'), 'X'),
    `X file ${join(dir, 'z.csv')}: is a character device, not a regular file; save the data to a file and pass that`,
  );
  execFileSync('mkfifo', [join(dir, 'p.npy')]);
  usage(
    () => checkReadable(join(dir, 'p.npy'), 'X'),
    `X file ${join(dir, 'p.npy')}: is a named pipe (FIFO), not a regular file; save the data to a file and pass that`,
  );
  usage(() => checkReadable(join(f, 'sub'), 'X'), `X file ${join(f, 'sub')}: cannot read it (ENOTDIR)`);
  // a name with control characters is shown escaped
  usage(() => checkReadable(join(dir, 'a\x1b[2Jb'), 'X'), `X file ${join(dir, 'a\\x1b[2Jb')}: no such file`);
});

test('checkDistinctOutputs: the same file by path, by symlink and by hard link; outputs among themselves', (t) => {
  const dir = tmp(t);
  const x = join(dir, 'x.npy');
  writeFileSync(x, 'x');
  symlinkSync(x, join(dir, 'link.npy'));
  linkSync(x, join(dir, 'hard.npy'));
  const inputs = [
    { role: 'X', path: x },
    { role: '--labels', path: join(dir, 'l.txt') },
  ];
  checkDistinctOutputs(
    [
      { role: '--out', path: join(dir, 'r.html') },
      { role: '--out-map', path: join(dir, 'w.npy') },
    ],
    inputs,
  );
  usage(
    () => checkDistinctOutputs([{ role: '--out', path: join(dir, 'link.npy') }], inputs),
    `--out ${join(dir, 'link.npy')} is the same file as X (${x}); choose another output path`,
  );
  usage(
    () => checkDistinctOutputs([{ role: '--out', path: join(dir, 'hard.npy') }], inputs),
    `--out ${join(dir, 'hard.npy')} is the same file as X (${x}); choose another output path`,
  );
  usage(
    () => checkDistinctOutputs([{ role: '--out', path: join(dir, '.', 'l.txt') }], inputs),
    `--out ${join(dir, 'l.txt')} is the same file as --labels (${join(dir, 'l.txt')}); choose another output path`,
  );
  usage(
    () =>
      checkDistinctOutputs(
        [
          { role: '--out-map', path: join(dir, 'w.npy') },
          { role: '--out', path: join(dir, 'sub', '..', 'w.npy') },
        ],
        [],
      ),
    `--out ${join(dir, 'sub', '..', 'w.npy')} is the same file as --out-map (${join(dir, 'w.npy')}); choose another output path`,
  );
});

test('checkWritableTarget: missing directory, a directory, and a writable place that keeps no probe file', (t) => {
  const dir = tmp(t);
  checkWritableTarget(join(dir, 'new.html'), '--out');
  assert.deepEqual(readdirSync(dir), [], 'the probe file is removed');
  writeFileSync(join(dir, 'old.html'), 'keep');
  checkWritableTarget(join(dir, 'old.html'), '--out');
  assert.equal(readFileSync(join(dir, 'old.html'), 'utf8'), 'keep', 'an existing file is not touched');
  usage(() => checkWritableTarget(join(dir, 'no', 'r.html'), '--out'), `--out ${join(dir, 'no', 'r.html')}: directory ${join(dir, 'no')} does not exist`);
  mkdirSync(join(dir, 'd'));
  usage(() => checkWritableTarget(join(dir, 'd'), '--out-map'), `--out-map ${join(dir, 'd')}: is a directory`);
  checkWritableTarget('/dev/null', '--out');
});

test('writeOutput: replaces whole, keeps mode bits, writes through a symlink, leaves no temporary file', (t) => {
  const dir = tmp(t);
  const f = join(dir, 'r.html');
  writeOutput(f, 'first', 'report');
  assert.equal(readFileSync(f, 'utf8'), 'first');
  chmodSync(f, 0o640);
  writeOutput(f, new Uint8Array([104, 105]), 'report');
  assert.equal(readFileSync(f, 'utf8'), 'hi');
  assert.equal(statSync(f).mode & 0o777, 0o640);
  symlinkSync(f, join(dir, 'alias.html'));
  writeOutput(join(dir, 'alias.html'), 'through', 'report');
  assert.equal(readFileSync(f, 'utf8'), 'through');
  assert.ok(statSync(join(dir, 'alias.html')).isFile());
  assert.deepEqual(readdirSync(dir).sort(), ['alias.html', 'r.html']);
  const big = 'x'.repeat(3 << 20);
  writeOutput(f, big, 'report');
  assert.equal(readFileSync(f, 'utf8').length, big.length);
  writeOutput('/dev/null', 'discarded', 'report');
  usage(() => writeOutput(join(dir, 'no', 'r.html'), 'x', 'report'), `cannot write report ${join(dir, 'no', 'r.html')} (cannot create a file there)`);
  assert.deepEqual(readdirSync(dir).sort(), ['alias.html', 'r.html']);
});
