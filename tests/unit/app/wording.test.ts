// The app never gives command-line advice: every message literal in src/ outside the CLI
// that names a flag comes out of appWording without one, and src/app's own literals name none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appWording } from '../../../src/app/wording.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** String and template literals of a source file (comments removed first). */
function literals(path: string): string[] {
  const code = readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g)].map((m) => m[0]);
}

const FLAG = /(^|[\s('`"])--[a-z]/;
/** A literal's text as a message: CSS custom properties (var(--line)) are no flags. */
const flags = (l: string) => FLAG.test(l.replace(/var\(--/g, ''));

test("src/app's messages name no command-line flag", () => {
  const found = files(join(SRC, 'app')).flatMap((f) => literals(f).filter(flags));
  assert.deepEqual(found, []);
});

test('every library message that names a flag reads, in the app, without one', () => {
  const outside = files(SRC).filter((f) => !/[\\/](cli|app|generated)[\\/]/.test(f));
  const flagged = outside.flatMap((f) => literals(f).filter(flags));
  assert.ok(flagged.length >= 5, `the scan finds the library's flag advice (${flagged.length})`);
  for (const l of flagged) assert.doesNotMatch(appWording(l), FLAG, l);
});

test('appWording: the advice re-spelt with the form’s names', () => {
  assert.equal(
    appWording("x.npz: the archive holds 2 arrays ('a', 'b'); choose one with the key option (--key, or --key-x / --key-y, on the command line)"),
    "x.npz: the archive holds 2 arrays ('a', 'b'); choose one under “array in the .npz archive”",
  );
  assert.equal(
    appWording('x.csv: line 1 could be a header or data; say which (header: true or false; --header or --no-header on the command line)'),
    'x.csv: line 1 could be a header or data; say which (set “CSV/TSV line 1” to header or to data)',
  );
  assert.equal(
    appWording("say whether to drop or keep it (indexColumn: 'drop' or 'keep'; --index-col drop|keep on the command line)"),
    'say whether to drop or keep it (set “CSV/TSV row-index column” to drop or keep)',
  );
  assert.equal(
    appWording('use --rff-dim 3200 (the error falls as 1/√m) or --method exact (n = 300 ≤ 4000)'),
    'set “random Fourier frequencies” to 3200 (the error falls as 1/√m) or “method” exact (n = 300 ≤ 4000)',
  );
  assert.equal(appWording('rffDim = 64 of kernelX is ignored on the exact route'), 'X: random Fourier frequencies = 64 is ignored on the exact route');
  assert.equal(appWording('topK = 9 exceeds'), 'modes per side = 9 exceeds');
  assert.equal(appWording('see --some-flag'), 'see “some flag”');
  assert.equal(appWording('a − b -- c'), 'a − b -- c', 'a lone dash pair is not a flag');
});
