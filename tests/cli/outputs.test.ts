// Output files: an output that is an input (or another output), after symlinks and hard
// links, is refused before anything is read or computed (exit 2, both options named),
// and every output is written to a temporary file beside it and renamed into place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  chmodSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, expectUsageError, fx } from './helpers.js';

const PNG = readFileSync(join(fx('..'), 'images', 'tiny.png'));

/** A scratch folder holding x.npy, y.npy, labels.txt (60 rows) and a 60-line --images list of one PNG. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-outputs-'));
  copyFileSync(fx('x.npy'), join(dir, 'x.npy'));
  copyFileSync(fx('y.npy'), join(dir, 'y.npy'));
  copyFileSync(fx('labels.txt'), join(dir, 'labels.txt'));
  writeFileSync(join(dir, 'p.png'), PNG);
  writeFileSync(join(dir, 'images.txt'), 'p.png\n'.repeat(60));
  return dir;
}

/** Every file's bytes (symlinks as their target text), to prove a refused run changed nothing. */
function snapshot(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    m.set(name, st.isSymbolicLink() ? `-> link` : st.isDirectory() ? 'dir' : readFileSync(p).toString('base64'));
  }
  return m;
}

const refusals: [string, string[], RegExp, (dir: string) => void][] = [
  ['compare --out X', ['compare', 'x.npy', 'y.npy', '--out', 'x.npy'], /--out x\.npy is the same file as X \(x\.npy\); choose another output path$/, () => {}],
  ['compare --out Y', ['compare', 'x.npy', 'y.npy', '--out', 'y.npy'], /--out y\.npy is the same file as Y \(y\.npy\)/, () => {}],
  [
    'compare --out --labels',
    ['compare', 'x.npy', 'y.npy', '--labels', 'labels.txt', '--out', 'labels.txt'],
    /--out labels\.txt is the same file as --labels \(labels\.txt\)/,
    () => {},
  ],
  [
    'compare --out --images (the list)',
    ['compare', 'x.npy', 'y.npy', '--images', 'images.txt', '--out', 'images.txt'],
    /--out images\.txt is the same file as --images \(images\.txt\)/,
    () => {},
  ],
  [
    'compare --out an image of the list',
    ['compare', 'x.npy', 'y.npy', '--images', 'images.txt', '--out', 'p.png'],
    /--out p\.png is the same file as line 1 of --images \(.*p\.png\)/,
    () => {},
  ],
  ['align --out-map X', ['align', 'x.npy', 'y.npy', '--out-map', 'x.npy'], /--out-map x\.npy is the same file as X \(x\.npy\)/, () => {}],
  [
    'align --out-map W --out W',
    ['align', 'x.npy', 'y.npy', '--out-map', 'W.npy', '--out', 'W.npy'],
    /--out W\.npy is the same file as --out-map \(W\.npy\)/,
    (d) => writeFileSync(join(d, 'W.npy'), 'old map'),
  ],
  [
    'align --bias file = --out',
    ['align', 'x.npy', 'y.npy', '--out-map', 'W.npy', '--bias', '--out', 'W.bias.npy'],
    /--out W\.bias\.npy is the same file as --out-map's bias file \(W\.bias\.npy\)/,
    () => {},
  ],
  [
    'align --bias file = X',
    ['align', 'W.bias.npy', 'y.npy', '--out-map', 'W.npy', '--bias'],
    /--out-map's bias file W\.bias\.npy is the same file as X \(W\.bias\.npy\)/,
    (d) => copyFileSync(join(d, 'x.npy'), join(d, 'W.bias.npy')),
  ],
  [
    'finc --out --labels-y',
    ['finc', 'x.npy', 'x.npy', '--labels-y', 'labels.txt', '--out', 'labels.txt'],
    /--out labels\.txt is the same file as --labels-y \(labels\.txt\)/,
    () => {},
  ],
  [
    '--out a symlink to X',
    ['compare', 'x.npy', 'y.npy', '--out', 'report.html'],
    /--out report\.html is the same file as X \(x\.npy\)/,
    (d) => symlinkSync('x.npy', join(d, 'report.html')),
  ],
  [
    '--out a hard link to X',
    ['compare', 'x.npy', 'y.npy', '--out', 'hard.npy'],
    /--out hard\.npy is the same file as X \(x\.npy\)/,
    (d) => linkSync(join(d, 'x.npy'), join(d, 'hard.npy')),
  ],
  [
    '--out through a symlinked folder',
    ['compare', 'x.npy', 'y.npy', '--out', 'again/x.npy'],
    /--out again\/x\.npy is the same file as X \(x\.npy\)/,
    (d) => symlinkSync('.', join(d, 'again')),
  ],
  [
    'X through a symlink, --out the file',
    ['compare', 'lx.npy', 'y.npy', '--out', 'x.npy'],
    /--out x\.npy is the same file as X \(lx\.npy\)/,
    (d) => symlinkSync('x.npy', join(d, 'lx.npy')),
  ],
  [
    'compare --scores X',
    ['compare', 'x.npy', 'y.npy', '--scores', 'x.npy'],
    /--scores x\.npy is the same file as X \(x\.npy\); choose another output path$/,
    () => {},
  ],
  [
    'compare --scores --labels',
    ['compare', 'x.npy', 'y.npy', '--labels', 'labels.txt', '--scores', 'labels.txt'],
    /--scores labels\.txt is the same file as --labels \(labels\.txt\)/,
    () => {},
  ],
  [
    'compare --scores = --out',
    ['compare', 'x.npy', 'y.npy', '--out', 's.npy', '--scores', 's.npy'],
    /--scores s\.npy is the same file as --out \(s\.npy\)/,
    (d) => writeFileSync(join(d, 's.npy'), 'old scores'),
  ],
  [
    'compare --scores a symlink to Y',
    ['compare', 'x.npy', 'y.npy', '--scores', 's.npy'],
    /--scores s\.npy is the same file as Y \(y\.npy\)/,
    (d) => symlinkSync('y.npy', join(d, 's.npy')),
  ],
  [
    'compare --scores in a missing folder',
    ['compare', 'x.npy', 'y.npy', '--scores', 'nowhere/s.npy'],
    /--scores nowhere\/s\.npy: directory .*nowhere does not exist/,
    () => {},
  ],
  ['finc --scores-y Y', ['finc', 'x.npy', 'y.npy', '--scores-y', 'y.npy'], /--scores-y y\.npy is the same file as Y \(y\.npy\)/, () => {}],
  [
    'finc --scores = --scores-y',
    ['finc', 'x.npy', 'y.npy', '--scores', 's.npy', '--scores-y', 's.npy'],
    /--scores-y s\.npy is the same file as --scores \(s\.npy\)/,
    () => {},
  ],
  [
    'demo --out = --json-out',
    ['demo', '--task', 'compare', '--out', 'a.html', '--json-out', 'a.html'],
    /--json-out a\.html is the same file as --out \(a\.html\)/,
    () => {},
  ],
  [
    'demo --out = the default JSON file',
    ['demo', '--task', 'compare', '--out', 'spec-embed-demo.json'],
    /the compare JSON result spec-embed-demo\.json is the same file as --out/,
    () => {},
  ],
];

for (const [what, args, message, setup] of refusals) {
  test(`an output that is an input or another output is refused before computing: ${what}`, () => {
    const dir = scratch();
    try {
      setup(dir);
      const before = snapshot(dir);
      const r = cli(args, { cwd: dir });
      expectUsageError(assert, r, message);
      assert.doesNotMatch(r.stderr, / \.\.\. \d+%$/m, 'refused before any stage started');
      assert.deepEqual(snapshot(dir), before, 'no file changed, none added');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const temporaries = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.spec-embed-'));

test('outputs are written beside the target and renamed: an earlier report is replaced whole (a hard link to it keeps the old bytes), its mode kept, no temporary left', () => {
  const dir = scratch();
  try {
    writeFileSync(join(dir, 'r.html'), 'old report');
    chmodSync(join(dir, 'r.html'), 0o640);
    linkSync(join(dir, 'r.html'), join(dir, 'old.html'));
    const r = cli(['compare', 'x.npy', 'y.npy', '--out', 'r.html'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /<\/html>\s*$/);
    // Truncating and rewriting in place would have changed the other name too.
    assert.equal(readFileSync(join(dir, 'old.html'), 'utf8'), 'old report');
    assert.equal(statSync(join(dir, 'r.html')).mode & 0o777, 0o640);
    assert.deepEqual(temporaries(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('align writes the map and the bias file through temporaries; a symlinked output keeps its link and replaces the target', () => {
  const dir = scratch();
  try {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join('real', 'map.npy'), join(dir, 'W.npy'));
    const r = cli(['align', 'x.npy', 'y.npy', '--out-map', 'W.npy', '--bias', '--epochs', '2', '--out', 'a.html'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(join(dir, 'W.npy')).isSymbolicLink(), 'the link is still a link');
    assert.equal(
      readFileSync(join(dir, 'real', 'map.npy'))
        .subarray(1, 6)
        .toString('latin1'),
      'NUMPY',
    );
    assert.equal(readFileSync(join(dir, 'W.bias.npy')).subarray(1, 6).toString('latin1'), 'NUMPY');
    assert.deepEqual(temporaries(dir), []);
    assert.deepEqual(temporaries(join(dir, 'real')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run that fails after the checks leaves an earlier output untouched and no temporary', () => {
  const dir = scratch();
  try {
    writeFileSync(join(dir, 'r.html'), 'old report');
    copyFileSync(fx('zero_row.npy'), join(dir, 'zero.npy'));
    const r = cli(['compare', 'zero.npy', 'zero.npy', '--kernel', 'cosine', '--out', 'r.html'], { cwd: dir });
    expectUsageError(assert, r, /all zeros/);
    assert.equal(readFileSync(join(dir, 'r.html'), 'utf8'), 'old report');
    assert.deepEqual(temporaries(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--out to a device is written directly, never renamed over (/dev/null stays a device)', () => {
  const r = cli(['compare', fx('x.npy'), fx('y.npy'), '--out', '/dev/null']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(statSync('/dev/null').isCharacterDevice());
  assert.deepEqual(temporaries('/dev'), []);
});

test('an unwritable output folder is refused before computing, even when the file itself exists and is writable', {
  skip: process.getuid?.() === 0 ? 'root writes anywhere' : false,
}, () => {
  const dir = scratch();
  try {
    mkdirSync(join(dir, 'ro'));
    writeFileSync(join(dir, 'ro', 'r.html'), 'old');
    chmodSync(join(dir, 'ro'), 0o555);
    expectUsageError(assert, cli(['compare', 'x.npy', 'y.npy', '--out', 'ro/r.html'], { cwd: dir }), /--out ro\/r\.html: cannot write it/);
  } finally {
    chmodSync(join(dir, 'ro'), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});
