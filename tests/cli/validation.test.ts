// Bad usage and bad input: exit code 2 and one clear stderr line (DESIGN.md §3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, expectUsageError, fx } from './helpers.ts';

const X = fx('x.npy'), Y = fx('y.npy');
const compare = (...args: string[]) => cli(['compare', X, Y, ...args]);

test('unknown option', () => {
  expectUsageError(assert, compare('--frobnicate'), /unknown option --frobnicate/, /spec-embed compare --help/);
  expectUsageError(assert, compare('-x'), /unknown option -x/);
  expectUsageError(assert, cli(['demo', '--kernel', 'cosine']), /unknown option --kernel for 'demo'/);
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
