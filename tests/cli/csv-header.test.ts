// CSV/TSV line 1 on the command line: a header only by a rule that cannot take data for one,
// pandas' to_csv files read as NumPy's array, every skipped line named on stderr and in --json.
// Fixtures: tests/fixtures/readers (scripts/fixtures/make_reader_fixtures.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROGRESS_LINE, ROOT, cli, expectUsageError, type Run } from './helpers.js';

const F = (name: string) => join(ROOT, 'tests', 'fixtures', 'readers', name);
const XNPY = F('x.npy'),
  YNPY = F('y.npy');
const NONE = { header: null, indexColumn: null };

function json(r: Run): any {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** stderr lines that are not progress lines. */
const notes = (r: Run) => r.stderr.split('\n').filter((l) => l !== '' && !PROGRESS_LINE.test(l));

/** The numbers of a result (everything but timings, inputs and the files' names). */
function numbers(o: any): unknown {
  const { timings, inputs, files, ...rest } = o;
  void timings;
  void inputs;
  void files;
  return rest;
}

test("finc on df.to_csv(index=False): nx = 60, the '0,1,2,3' header named on stderr and in --json; same result as the .npy", () => {
  const r = cli(['finc', F('pandas_noindex.csv'), YNPY, '--json', '--threads', '1', '--top', '2']);
  const o = json(r);
  assert.equal(o.nx, 60); // the header was read as a 61st sample before
  assert.deepEqual(o.inputs, { X: { header: '0,1,2,3', indexColumn: null }, Y: NONE });
  assert.deepEqual(notes(r), [`spec-embed: X file ${F('pandas_noindex.csv')}: skipped header line 1 ("0,1,2,3")`]);
  assert.deepEqual(numbers(o), numbers(json(cli(['finc', XNPY, YNPY, '--json', '--threads', '1', '--top', '2']))));
  // --no-header: the user says line 1 is a sample
  assert.equal(json(cli(['finc', F('pandas_noindex.csv'), YNPY, '--json', '--no-header'])).nx, 61);
  // no header, no note
  const plain = cli(['finc', F('plain60.csv'), YNPY, '--json', '--top', '2']);
  assert.equal(json(plain).nx, 60);
  assert.deepEqual(json(plain).inputs.X, NONE);
  assert.deepEqual(notes(plain), []);
});

test('a first row with an n/a or empty cell is an error naming line 1 and the column, not a dropped header (nx was 59)', () => {
  expectUsageError(
    assert,
    cli(['finc', F('na_line1.csv'), YNPY]),
    /na_line1\.csv: line 1, column 3: "n\/a" is not a number; line 1 is not a header either/,
    /--header/,
  );
  expectUsageError(assert, cli(['compare', F('empty_line1.csv'), YNPY]), /empty_line1\.csv: line 1, column 2: empty cell/);
  // said to be a header, it is skipped, and said so
  const r = cli(['finc', F('na_line1.csv'), YNPY, '--json', '--header']);
  assert.equal(json(r).nx, 59);
  assert.match(notes(r)[0], /X file .*na_line1\.csv: skipped header line 1 \("2\.640332,1\.203675,n\/a,0\.317236"\)/);
});

test("compare on df.to_csv(): the row index is refused unless --index-col; drop gives the .npy's result, keep reads it as a feature", () => {
  expectUsageError(
    assert,
    cli(['compare', F('pandas_index.csv'), YNPY]),
    /pandas_index\.csv: column 1 has an empty header cell and holds 0, 1, …, 59: a row index/,
    /--index-col drop\|keep/,
  );
  const ref = json(cli(['compare', XNPY, YNPY, '--json', '--threads', '1']));
  for (const f of ['pandas_index.csv', 'pandas_named_index.csv', 'pandas_index.tsv']) {
    const r = cli(['compare', F(f), YNPY, '--json', '--threads', '1', '--index-col', 'drop']);
    const o = json(r);
    assert.deepEqual(numbers(o), numbers(ref), f);
    assert.equal(o.inputs.X.indexColumn, 'dropped');
    assert.match(notes(r)[0], /X file .*: skipped header line 1 \(".*"\); dropped index column 1 \(--index-col drop\)$/);
  }
  // keep: the index is a feature, and the leading mode changes (λ 0.20 became 0.75 in the issue)
  const kept = json(cli(['compare', F('pandas_index.csv'), YNPY, '--json', '--threads', '1', '--index-col', 'keep']));
  assert.deepEqual(kept.inputs.X, { header: ',0,1,2,3', indexColumn: 'kept' });
  assert.ok(Math.abs(kept.modes[0].eigenvalue - ref.modes[0].eigenvalue) > 0.01, `${kept.modes[0].eigenvalue} vs ${ref.modes[0].eigenvalue}`);
});

test('align reads pandas files with the same options, for X and for Y', () => {
  const args = ['--json', '--epochs', '2', '--seed', '1'];
  const ref = json(cli(['align', XNPY, XNPY, ...args]));
  const o = json(cli(['align', F('pandas_noindex.csv'), F('pandas_index.csv'), ...args, '--index-col', 'drop']));
  assert.deepEqual(o.inputs, { X: { header: '0,1,2,3', indexColumn: null }, Y: { header: ',0,1,2,3', indexColumn: 'dropped' } });
  assert.deepEqual(o.specDiffBefore, ref.specDiffBefore);
  assert.equal(o.n, 60);
});

test('--header with --no-header, and a bad --index-col, are usage errors', () => {
  expectUsageError(assert, cli(['compare', XNPY, YNPY, '--header', '--no-header']), /--header and --no-header contradict each other/);
  expectUsageError(assert, cli(['finc', XNPY, YNPY, '--index-col', 'first']), /--index-col must be one of drop, keep, got 'first'/);
});
