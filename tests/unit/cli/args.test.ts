// The option parser: exact option maps for each spelling, and the exact usage
// messages (exit 2) for each misuse; the edit distance and the suggestions it drives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  UsageError,
  editDistance,
  formatOptions,
  nearest,
  nearestOption,
  parseArgs,
  parseChoice,
  parseInteger,
  parseNumber,
  parseSigma,
  type OptionSpec,
} from '../../../src/cli/args.js';

const SPECS: OptionSpec[] = [
  { name: 'sigma-x', value: 'S', help: 'σ of X' },
  { name: 'sigma-y', value: 'S', help: 'σ of Y' },
  { name: 'labels', value: 'FILE', help: 'labels' },
  { name: 'json', help: 'print JSON' },
  { name: 'out-map', value: 'W.npy', help: 'the map' },
  { name: 'limit', value: 'N', help: 'developer switch', hidden: true },
];

const parse = (...argv: string[]) => parseArgs(argv, SPECS, 'compare');

function usage(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, `a UsageError, got ${String(e)}`);
    assert.equal(e.name, 'UsageError');
    assert.equal(e.message, message);
    return true;
  });
}

test('parseArgs: positionals, --opt value, --opt=value and flags give the exact option map', () => {
  const p = parse('x.npy', '--sigma-x', '2', 'y.npy', '--labels=l.txt', '--json');
  assert.deepEqual(p, {
    help: false,
    positionals: ['x.npy', 'y.npy'],
    options: new Map<string, string | true>([
      ['sigma-x', '2'],
      ['labels', 'l.txt'],
      ['json', true],
    ]),
  });
  // '-' is a positional (stdin by convention), a value may start with one dash
  const q = parse('-', '--sigma-y', '-1', '--sigma-x=--2');
  assert.deepEqual(q.positionals, ['-']);
  assert.equal(q.options.get('sigma-y'), '-1');
  assert.equal(q.options.get('sigma-x'), '--2', '--opt=value takes the rest of the argument as it is');
  // a hidden switch is still accepted
  assert.equal(parse('--limit', '20').options.get('limit'), '20');
});

test('parseArgs: -- ends the options; help anywhere before it, not after', () => {
  const p = parse('a', '--', '--json', '-h', '--bogus');
  assert.deepEqual(p.positionals, ['a', '--json', '-h', '--bogus']);
  assert.equal(p.options.size, 0);
  assert.equal(p.help, false);
  for (const argv of [['--help'], ['x', '-h'], ['--bogus', '--help'], ['--json', '--json', '-h']]) {
    assert.deepEqual(parseArgs(argv, SPECS, 'compare'), { help: true, positionals: [], options: new Map() }, argv.join(' '));
  }
});

test('parseArgs: each misuse is a UsageError with its exact message', () => {
  usage(() => parse('--bogus'), "unknown option --bogus for 'compare' (see 'spec-embed compare --help')");
  usage(() => parse('--lables', 'l.txt'), "unknown option --lables for 'compare'; did you mean --labels?");
  usage(() => parse('--sigma=2'), "unknown option --sigma for 'compare'; did you mean --sigma-x or --sigma-y?");
  usage(() => parse('-labels', 'l'), "unknown option -labels for 'compare'; did you mean --labels?");
  usage(() => parse('-x'), "unknown option -x for 'compare' (see 'spec-embed compare --help')");
  usage(() => parse('--json', '--json'), '--json is given more than once');
  usage(() => parse('--labels', 'a', '--labels=b'), '--labels is given more than once');
  usage(() => parse('--json=1'), "--json takes no value (got '--json=1')");
  usage(() => parse('--labels'), '--labels needs a value (FILE)');
  usage(() => parse('--labels='), '--labels needs a value (FILE)');
  usage(() => parse('--labels', '--json'), '--labels needs a value (FILE)');
  // a hidden switch is never suggested
  usage(() => parse('--limt', '3'), "unknown option --limt for 'compare' (see 'spec-embed compare --help')");
});

/** Optimal string alignment distance by its recurrence, written out independently (memoised recursion). */
function osa(a: string, b: string): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const k = `${i},${j}`;
    if (memo.has(k)) return memo.get(k)!;
    let v = Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d(i - 2, j - 2) + 1);
    memo.set(k, v);
    return v;
  };
  return d(a.length, b.length);
}

test('editDistance: hand cases and the OSA recurrence on seeded random strings', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('abc', ''), 3);
  assert.equal(editDistance('', 'ab'), 2);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('out-mpa', 'out-map'), 1, 'an adjacent transposition is one edit');
  assert.equal(editDistance('ca', 'abc'), 3, 'OSA, not Damerau: no edit of a transposed pair');
  let s = 7;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const word = () => Array.from({ length: Math.floor(rnd() * 7) }, () => 'abc'[Math.floor(rnd() * 3)]).join('');
  for (let t = 0; t < 300; t++) {
    const a = word(),
      b = word();
    assert.equal(editDistance(a, b), osa(a, b), `${a} / ${b}`);
    assert.equal(editDistance(a, b), editDistance(b, a));
  }
});

test('nearest / nearestOption: one edit per three characters (two at most), else a prefix of one or two names', () => {
  const names = ['compare', 'finc', 'align', 'demo', 'app'];
  assert.deepEqual(nearest('compre', names), ['compare']);
  assert.deepEqual(nearest('COMPARE', names), ['compare'], 'case-insensitive');
  assert.deepEqual(nearest('fnic', names), ['finc']);
  assert.equal(nearest('x', names), undefined, 'one character suggests nothing');
  assert.equal(nearest('bogus', names), undefined);
  assert.deepEqual(nearest('ap', names), ['app'], 'two characters: one edit allowed');
  assert.deepEqual(nearest('sig', ['sigma-x', 'sigma-y', 'seed']), ['sigma-x', 'sigma-y'], 'prefix of two');
  assert.equal(nearest('s', ['sigma-x', 'sigma-y', 'seed']), undefined);
  assert.equal(nearest('se', ['sa', 'sb', 'sc']), undefined, 'three equally close names suggest nothing');
  assert.equal(nearestOption('jsn', SPECS), '--json');
  assert.equal(nearestOption('hepl', SPECS), '--help', 'help is always a valid option');
  assert.equal(nearestOption('limi', SPECS), undefined, 'hidden switches are not suggested');
});

test('formatOptions: aligned lines, hidden options left out', () => {
  assert.equal(
    formatOptions(SPECS),
    ['  --sigma-x S      σ of X', '  --sigma-y S      σ of Y', '  --labels FILE    labels', '  --json           print JSON', '  --out-map W.npy  the map'].join(
      '\n',
    ),
  );
});

test('parseNumber / parseInteger / parseChoice / parseSigma: values and exact messages', () => {
  assert.equal(parseNumber('eta', '1e-3'), 0.001);
  assert.equal(parseNumber('eta', ' .5 '), 0.5);
  assert.equal(parseNumber('eta', '-2.'), -2);
  assert.equal(parseNumber('eta', '+3E2'), 300);
  for (const bad of ['', 'abc', '0x10', '1e', 'Infinity', 'NaN', '1,5', '1e999']) {
    usage(() => parseNumber('eta', bad), `--eta must be a number, got '${bad}'`);
  }
  usage(() => parseNumber('eta', 'x', 'a number ≥ 0'), "--eta must be a number ≥ 0, got 'x'");
  assert.equal(parseInteger('top', '10', 1), 10);
  assert.equal(parseInteger('seed', '0', 0), 0);
  assert.equal(parseInteger('top', '1e2', 1), 100, 'an integer in exponent form is an integer');
  usage(() => parseInteger('top', '0', 1), "--top must be an integer ≥ 1, got '0'");
  usage(() => parseInteger('top', '2.5', 1), "--top must be an integer ≥ 1, got '2.5'");
  usage(() => parseInteger('top', '1e16', 1), "--top must be an integer ≥ 1, got '1e16'");
  usage(() => parseInteger('top', 'ten', 1), "--top must be an integer ≥ 1, got 'ten'");
  assert.equal(parseChoice('kernel', 'gaussian', ['cosine', 'gaussian', 'linear']), 'gaussian');
  usage(() => parseChoice('kernel', 'Gaussian', ['cosine', 'gaussian', 'linear']), "--kernel must be one of cosine, gaussian, linear, got 'Gaussian'");
  assert.equal(parseSigma('sigma-x', 'auto'), 'auto');
  assert.equal(parseSigma('sigma-x', '0.25'), 0.25);
  for (const bad of ['0', '-1', 'AUTO', 'nan']) {
    usage(() => parseSigma('sigma-x', bad), `--sigma-x must be a positive number or 'auto', got '${bad}'`);
  }
});
