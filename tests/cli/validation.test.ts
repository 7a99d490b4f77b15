// Bad usage and bad input: exit code 2 and one clear stderr line (docs/design.md §3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, expectUsageError, fx } from './helpers.js';

const X = fx('x.npy'),
  Y = fx('y.npy');
const compare = (...args: string[]) => cli(['compare', X, Y, ...args]);

test('unknown option', () => {
  expectUsageError(assert, compare('--frobnicate'), /unknown option --frobnicate/, /spec-embed compare --help/);
  expectUsageError(assert, compare('-x'), /unknown option -x/);
  expectUsageError(assert, cli(['demo', '--kernel', 'cosine']), /unknown option --kernel for 'demo'/);
});

test('an unknown option close to a valid one suggests it; a far one does not', () => {
  expectUsageError(assert, compare('--label', 'l.txt'), /^spec-embed: unknown option --label for 'compare'; did you mean --labels\?$/);
  expectUsageError(assert, compare('--kernal', 'linear'), /did you mean --kernel\?$/);
  expectUsageError(assert, compare('--sigma', '1'), /did you mean --sigma-x or --sigma-y\?$/);
  expectUsageError(assert, compare('-json'), /unknown option -json for 'compare'; did you mean --json\?$/);
  expectUsageError(assert, cli(['finc', X, Y, '--label-y', 'l.txt']), /did you mean --labels-y\?$/);
  expectUsageError(assert, cli(['align', X, Y, '--out-maps', 'W.npy']), /did you mean --out-map\?$/);
  expectUsageError(assert, cli(['comapre', X, Y]), /^spec-embed: unknown command 'comapre'; did you mean 'compare'\?$/);
  const far = compare('--bogus');
  expectUsageError(assert, far, /unknown option --bogus for 'compare' \(see 'spec-embed compare --help'\)$/);
  assert.doesNotMatch(far.stderr, /did you mean/);
});

test('missing option value', () => {
  expectUsageError(assert, compare('--top'), /--top needs a value/);
  expectUsageError(assert, compare('--top', '--json'), /--top needs a value/);
  expectUsageError(assert, compare('--labels='), /--labels needs a value/);
});

test('flags take no value; options may not repeat', () => {
  expectUsageError(assert, compare('--json=yes'), /--json takes no value/);
  expectUsageError(assert, compare('--top', '2', '--top=3'), /--top is given more than once/);
});

test('σ ≤ 0 or non-numeric', () => {
  for (const bad of ['0', '-1', '-0.5', 'abc', '1e', 'NaN', 'Infinity']) {
    expectUsageError(assert, compare('--kernel', 'gaussian', '--sigma-x', bad), /--sigma-x must be a positive number or 'auto'/, new RegExp(`got '${bad}'`));
  }
  expectUsageError(assert, compare('--kernel', 'gaussian', `--sigma-y=0`), /--sigma-y must be a positive number or 'auto', got '0'/);
});

test('σ for a side whose kernel is not gaussian', () => {
  expectUsageError(assert, compare('--sigma-x', '1'), /--sigma-x applies to a gaussian kernel, but X uses the cosine kernel/);
  expectUsageError(assert, compare('--kernel', 'gaussian', '--kernel-y', 'linear', '--sigma-y', '2'), /--sigma-y .* Y uses the linear kernel/);
});

test('--rff-dim < 1, or with no gaussian side', () => {
  expectUsageError(assert, compare('--kernel', 'gaussian', '--rff-dim', '0'), /--rff-dim must be an integer ≥ 1, got '0'/);
  expectUsageError(assert, compare('--kernel', 'gaussian', '--rff-dim', '2.5'), /--rff-dim must be an integer ≥ 1/);
  expectUsageError(assert, compare('--rff-dim', '100'), /--rff-dim applies to gaussian kernels/);
});

test('--top < 1, --eta < 0, --samples-per-mode < 1, --threads < 1, --seed', () => {
  expectUsageError(assert, compare('--top', '0'), /--top must be an integer ≥ 1, got '0'/);
  expectUsageError(assert, compare('--top', 'many'), /--top must be an integer ≥ 1, got 'many'/);
  expectUsageError(assert, compare('--eta', '-0.5'), /--eta must be a number ≥ 0, got '-0.5'/);
  expectUsageError(assert, compare('--eta', 'x'), /--eta must be a number ≥ 0/);
  expectUsageError(assert, compare('--samples-per-mode', '0'), /--samples-per-mode must be an integer ≥ 1/);
  expectUsageError(assert, compare('--threads', '0'), /--threads must be an integer ≥ 1/);
  expectUsageError(assert, compare('--seed', '-1'), /--seed must be an integer ≥ 0/);
});

test('bad --method and --kernel names', () => {
  expectUsageError(assert, compare('--method', 'fast'), /--method must be one of auto, exact, covariance, got 'fast'/);
  expectUsageError(assert, compare('--kernel', 'rbf'), /--kernel must be one of cosine, gaussian, linear, got 'rbf'/);
  expectUsageError(assert, compare('--kernel-x', 'poly'), /--kernel-x must be one of/);
  expectUsageError(assert, compare('--kernel-y=Gaussian'), /--kernel-y must be one of/);
});

test('missing or unreadable files', () => {
  expectUsageError(assert, cli(['compare', fx('nope.npy'), Y]), /X file .*nope\.npy: no such file/);
  expectUsageError(assert, cli(['compare', X, fx('nope.npy')]), /Y file .*nope\.npy: no such file/);
  expectUsageError(assert, cli(['compare', X, fx('')]), /Y file .*: is a directory/);
  expectUsageError(assert, compare('--labels', fx('nope.txt')), /labels file .*nope\.txt: no such file/);
});

test('corrupt input file: the reader error names the file', () => {
  expectUsageError(assert, cli(['compare', fx('truncated.npy'), Y]), /truncated\.npy/);
});

test('row counts that differ name both files and both counts', () => {
  const r = cli(['compare', fx('x50.npy'), Y]);
  expectUsageError(assert, r, /x50\.npy/, /\b50\b/, /y\.npy/, /\b60\b/);
});

test('label count mismatch names the labels file and the counts', () => {
  expectUsageError(assert, compare('--labels', fx('labels59.txt')), /labels59\.txt/, /\b59\b/, /\b60\b/);
});

test('InputError from the library (zero row under the cosine kernel) → exit 2, one line', () => {
  expectUsageError(assert, cli(['compare', fx('zero_row.npy'), Y]), /zero/i, /zero_row\.npy/);
});

test('wrong number of arguments, unknown or missing command', () => {
  expectUsageError(assert, cli(['compare', X]), /compare takes two embedding files X and Y, got 1 argument/);
  expectUsageError(assert, cli(['compare', X, Y, X]), /got 3 arguments/);
  expectUsageError(assert, cli(['demo', 'extra']), /demo takes no arguments/);
  expectUsageError(assert, cli(['frobnicate']), /unknown command 'frobnicate'/);
  expectUsageError(assert, cli([]), /missing command/);
});

test('--out into a directory that does not exist fails before computing', () => {
  expectUsageError(assert, compare('--out', fx('no/such/dir/report.html')), /--out .*does not exist/);
});

// ---------------------------------------------------------------------------------------
// Reader hardening: inputs that are not plain files, unwritable outputs,
// per-side .npz keys, JSON labels, out-of-range values, hostile labels.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { CLI, readLines, readNpyF32 } from './helpers.js';

function withTmp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-cli-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A v1 .npy of `m` as little-endian float64 (C order). */
function npyF64(m: { data: ArrayLike<number>; rows: number; cols: number }): Uint8Array {
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const out = new Uint8Array(10 + dict.length + m.rows * m.cols * 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 255, dict.length >> 8]);
  for (let k = 0; k < dict.length; k++) out[10 + k] = dict.charCodeAt(k);
  const dv = new DataView(out.buffer, 10 + dict.length);
  for (let k = 0; k < m.data.length; k++) dv.setFloat64(8 * k, m.data[k], true);
  return out;
}

test('a device or a .csv symlink to /dev/zero is refused unread', () => {
  withTmp((dir) => {
    const link = join(dir, 'x.csv');
    symlinkSync('/dev/zero', link);
    expectUsageError(assert, cli(['compare', link, Y]), /X file .*x\.csv: is a character device, not a regular file/);
    expectUsageError(assert, compare('--labels', link), /labels file .*x\.csv: is a character device/);
  });
});

test('a FIFO with no writer is refused at once instead of hanging', () => {
  withTmp((dir) => {
    const fifo = join(dir, 'y.csv');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const r = spawnSync(process.execPath, [CLI, 'compare', X, fifo], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.error, undefined, `spec-embed hung on a FIFO (${r.error?.message})`);
    expectUsageError(assert, { code: r.status, stdout: r.stdout, stderr: r.stderr }, /Y file .*y\.csv: is a named pipe \(FIFO\), not a regular file/);
  });
});

test('a 50 MB CSV cell: one short line naming the file, line and column', () => {
  withTmp((dir) => {
    const p = join(dir, 'big.csv');
    const x = readNpyF32(X);
    const rows: string[] = [];
    for (let i = 0; i < x.rows; i++) rows.push(Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)).join(','));
    rows[2] = `${'9'.repeat(50 * 2 ** 20)},${rows[2].split(',').slice(1).join(',')}`;
    writeFileSync(p, `${rows.join('\n')}\n`);
    const r = cli(['compare', p, Y]);
    expectUsageError(assert, r, /big\.csv: line 3, column 1: cell has 52428800 characters/);
    assert.ok(r.stderr.length < 300, `stderr has ${r.stderr.length} characters`);
  });
});

test('an unwritable --out is found before reading the inputs or computing', () => {
  // /proc refuses new files even to root, for whom permission bits do not count; the input
  // X is bad too, so an error about X would mean --out was checked too late.
  expectUsageError(
    assert,
    cli(['compare', fx('zero_row.npy'), Y, '--out', '/proc/spec-embed-report.html']),
    /--out \/proc\/spec-embed-report\.html: cannot write it/,
  );
  withTmp((dir) => {
    // The probe leaves neither a new file behind nor an existing file changed.
    const fresh = join(dir, 'r.html');
    expectUsageError(assert, cli(['compare', fx('zero_row.npy'), Y, '--out', fresh]), /zero/i);
    assert.throws(() => readFileSync(fresh), /ENOENT/);
    const old = join(dir, 'old.html');
    writeFileSync(old, 'keep me');
    expectUsageError(assert, cli(['compare', fx('zero_row.npy'), Y, '--out', old]), /zero/i);
    assert.equal(readFileSync(old, 'utf8'), 'keep me');
  });
});

test('--key-x / --key-y name the array of each .npz; --key still applies to both', () => {
  withTmp((dir) => {
    const xz = join(dir, 'x.npz'),
      yz = join(dir, 'y.npz');
    writeFileSync(xz, zipSync({ 'emb.npy': new Uint8Array(readFileSync(X)), 'other.npy': new Uint8Array(readFileSync(Y)) }));
    writeFileSync(yz, zipSync({ 'feat.npy': new Uint8Array(readFileSync(Y)), 'emb.npy': new Uint8Array(readFileSync(X)) }));
    const ref = cli(['compare', X, Y, '--json']);
    assert.equal(ref.code, 0, ref.stderr);
    const r = cli(['compare', xz, yz, '--key-x', 'emb', '--key-y', 'feat', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).modes, JSON.parse(ref.stdout).modes);
    // --key for both; --key-y overrides it for Y only
    const both = cli(['compare', xz, yz, '--key', 'emb', '--key-y', 'feat', '--json']);
    assert.equal(both.code, 0, both.stderr);
    assert.deepEqual(JSON.parse(both.stdout).modes, JSON.parse(ref.stdout).modes);
    expectUsageError(assert, cli(['compare', xz, yz, '--key', 'feat']), /x\.npz: no array 'feat' in the archive; available: 'emb', 'other'/);
    expectUsageError(assert, cli(['compare', xz, Y, '--key-x', 'emb', '--key-y', 'emb']), /y\.npy: a key \('emb'\) applies only to .npz archives/);
    expectUsageError(assert, cli(['compare', xz, Y]), /x\.npz: the archive holds 2 arrays \('emb', 'other'\).*--key-x/);
  });
});

test('--labels as a JSON array file, as documented', () => {
  withTmp((dir) => {
    const lj = join(dir, 'labels.json');
    writeFileSync(lj, JSON.stringify(readLines(fx('labels.txt'))));
    const a = cli(['compare', X, Y, '--json', '--labels', lj]);
    const b = cli(['compare', X, Y, '--json', '--labels', fx('labels.txt')]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(JSON.parse(a.stdout).modes, JSON.parse(b.stdout).modes);
    assert.ok(JSON.parse(a.stdout).modes[0].top[0].label !== undefined);
    writeFileSync(lj, JSON.stringify(['a', 'b']));
    expectUsageError(assert, compare('--labels', lj), /labels\.json: has 2 labels \(JSON array entries\), expected 60/);
  });
});

test('labels with ANSI escapes or CR are neutralised in the terminal table', () => {
  withTmp((dir) => {
    const l = join(dir, 'labels.txt');
    const evil = ['\u001b[2J\u001b[31mred', 'a\rOVERWRITE', '\u001b]0;title\u0007', '\u202eevil'];
    writeFileSync(l, `${Array.from({ length: 60 }, (_, i) => evil[i % 4]).join('\n')}\n`);
    const r = compare('--labels', l, '--top', '4');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/.test(r.stdout), `no raw control characters: ${JSON.stringify(r.stdout)}`);
    assert.match(r.stdout, /\\x1b\[2J\\x1b\[31mred|a\\x0dOVERWRITE|\\x1b\]0;title\\x07|\\u202eevil/);
    // --json keeps the labels exact (JSON escapes them itself)
    const j = compare('--labels', l, '--top', '1', '--json');
    const labels = JSON.parse(j.stdout).modes.flatMap((m: any) => m.top.map((t: any) => t.label));
    assert.ok(labels.every((s: string) => evil.includes(s)));
  });
});

test('f64 .npy values beyond float32: "out of float32 range" with file, row and column', () => {
  withTmp((dir) => {
    const x = readNpyF32(X);
    const data = Array.from(x.data);
    data[4 * x.cols + 2] = 1e300; // row 5, column 3 (1-based)
    const p = join(dir, 'big.npy');
    writeFileSync(p, npyF64({ data, rows: x.rows, cols: x.cols }));
    for (const method of ['exact', 'covariance']) {
      expectUsageError(assert, cli(['compare', p, Y, '--method', method]), /big\.npy: value 1e\+300 at row 5, column 3 \(1-based\) is out of float32 range/);
    }
  });
});

test('values that underflow float32: refused naming the file, row and column (CSV ~1e-50, f8 .npy × 1e-43)', () => {
  withTmp((dir) => {
    const csv = join(dir, 'tiny.csv');
    writeFileSync(csv, Array.from({ length: 20 }, (_, i) => `${(i + 1) * 1e-50},2e-50,-3e-50`).join('\n') + '\n');
    const y = join(dir, 'y.csv');
    writeFileSync(y, Array.from({ length: 20 }, (_, i) => `${i + 1},2,${i % 3}`).join('\n') + '\n');
    // before: cosine said "row 1 is all zeros", linear computed on zeros
    for (const kernel of ['cosine', 'linear']) {
      expectUsageError(
        assert,
        cli(['compare', csv, y, '--kernel', kernel]),
        /tiny\.csv: line 1, column 1: "1e-50" underflows float32 \(0 < \|x\| < 1\.1754944e-38\); rescale the data \(for example multiply by 1e50\)$/,
      );
    }
    const x = readNpyF32(X);
    const npy = join(dir, 'tiny.npy');
    writeFileSync(npy, npyF64({ data: Array.from(x.data, (v) => v * 1e-43), rows: x.rows, cols: x.cols }));
    for (const method of ['exact', 'covariance']) {
      expectUsageError(
        assert,
        cli(['compare', npy, Y, '--kernel', 'linear', '--method', method]),
        /tiny\.npy: value -?[\d.]+e-4\d at row 1, column \d \(1-based\) underflows float32 \(0 < \|x\| < 1\.1754944e-38\); rescale the data/,
      );
    }
    expectUsageError(assert, cli(['finc', X, npy]), /tiny\.npy: value .* underflows float32/);
  });
});
