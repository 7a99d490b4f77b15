#!/usr/bin/env node
// Generates docs/errors.md — the table of failure modes, their exit codes and
// messages — from real runs of the CLI (dist/cli.js; run `npm run build` first).
// Each case is checked: its exit code, exactly one stderr line `spec-embed: ...`,
// nothing on stdout, and a message matching the case's pattern. A mismatch exits 1.
//   node scripts/errors-table.mjs           check every case and write docs/errors.md
//   node scripts/errors-table.mjs --check   check every case and that docs/errors.md is current
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const DOC = join(ROOT, 'docs', 'errors.md');
const CLIFX = join(ROOT, 'tests', 'fixtures', 'cli');
const check = process.argv.includes('--check');

/** A v1 little-endian f4 .npy of `rows × cols` values, optionally with a lying shape. */
function npy(values, rows, cols, { dtype = '<f4', shape = `(${rows}, ${cols})` } = {}) {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  while ((10 + header.length + 1) % 64) header += ' ';
  header += '\n';
  const body = dtype === '<f8' ? new Uint8Array(Float64Array.from(values).buffer) : new Uint8Array(Float32Array.from(values).buffer);
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(body, 10 + header.length);
  return out;
}
const grid = (rows, cols, f = (i, j) => Math.sin(i * 7 + j * 3) + (i % 3)) => Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols));
const csv = (rows, cols) =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (Math.sin(i * 5 + j) + 1).toFixed(3)).join(',')).join('\n') + '\n';

/** Files every case may use, created in a fresh folder (the CLI runs there, so messages show bare names). */
function makeFiles(dir) {
  const w = (name, data) => writeFileSync(join(dir, name), data);
  w('x.npy', npy(grid(20, 4), 20, 4));
  w(
    'y.npy',
    npy(
      grid(20, 3, (i, j) => Math.cos(i + 2 * j)),
      20,
      3,
    ),
  );
  w('y19.npy', npy(grid(19, 3), 19, 3));
  w('x.csv', csv(20, 4));
  w('nan.csv', csv(3, 4) + '0.5,nan,1,2\n' + csv(16, 4));
  w(
    'inf.npy',
    npy(
      grid(20, 4, (i, j) => (i === 4 && j === 1 ? Infinity : i + j)),
      20,
      4,
    ),
  );
  w(
    'zero_row.npy',
    npy(
      grid(20, 4, (i, j) => (i === 6 ? 0 : 1 + i + j)),
      20,
      4,
    ),
  );
  w('ragged.csv', '1,2,3\n4,5\n');
  w('word.csv', '1,2\n3,apple\n');
  w('big.csv', '1,2\n3,1e39\n');
  w('f8_big.npy', npy([1, 2, 3, 1e300], 2, 2, { dtype: '<f8' }));
  w('tiny.csv', '1e-50,2e-50\n3,4\n');
  w('f8_tiny.npy', npy([1, 2, 3e-45, 1e-44], 2, 2, { dtype: '<f8' }));
  w('long.csv', '1,2\n3,' + 'x'.repeat(5000) + '\n');
  w('quote.csv', '1,2\n"3,4\n');
  w('notutf8.csv', new Uint8Array([0x31, 0x2c, 0xff, 0xfe, 0x0a]));
  w('obj.json', '{"a": 1}');
  w('bad.json', '[[1, 2], [3,');
  w('bad.jsonl', '[1, 2]\n[3, "x"]\n');
  w('x.txt', '1 2\n');
  w('empty.csv', '');
  w('truncated.npy', npy(grid(20, 4), 20, 4).subarray(0, 200));
  w('tall.npy', npy(grid(3000, 4), 3000, 4));
  w('wide.npy', npy(grid(50, 8000), 50, 8000));
  w('bad_magic.npy', Uint8Array.from([0x50, 0x4b, ...npy(grid(2, 2), 2, 2).subarray(2)]));
  w('lying_shape.npy', npy(grid(2, 2), 2, 2, { shape: '(100000000, 100000000)' }));
  const good = npy(grid(20, 4), 20, 4);
  const zip = zipSync({ 'x.npy': good });
  w('x.npz', zip);
  const crc = zip.slice();
  crc[60] ^= 0xff; // a byte of the stored member
  w('corrupt.npz', crc);
  w('truncated.npz', zip.subarray(0, zip.length - 40));
  const stored = zipSync({ 'x.npy': good }, { level: 0 });
  stored[stored.length - 200] ^= 0x01; // a data byte of the stored member
  w('stored_crc.npz', stored);
  copyFileSync(join(CLIFX, 'x.npy'), join(dir, 'cx.npy'));
  copyFileSync(join(CLIFX, 'y.npy'), join(dir, 'cy.npy'));
  // A zip bomb: a member whose .npy header claims 2 × 2 floats, followed by 64 MiB of zeros (~64 KB deflated).
  const bomb = new Uint8Array(good.length + 64 * 2 ** 20);
  bomb.set(npy(grid(2, 2), 2, 2));
  w('bomb.npz', zipSync({ 'x.npy': bomb }, { level: 9 }));
  w('labels3.txt', 'a\nb\nc\n');
  // Line 1 of a CSV: neither a header nor data; pandas' forms (tests/fixtures/readers).
  w('na1.csv', '0.5,n/a,1,2\n' + csv(19, 4));
  w('binary.csv', '0,1\n1,0\n');
  w('noname.csv', 'a,,c\n1,2,3\n');
  copyFileSync(join(ROOT, 'tests', 'fixtures', 'readers', 'pandas_index.csv'), join(dir, 'indexed.csv'));
  copyFileSync(join(ROOT, 'tests', 'fixtures', 'readers', 'dup.npz'), join(dir, 'dup.npz'));
  mkdirSync(join(dir, 'folder.npy'));
  symlinkSync('/dev/zero', join(dir, 'devzero.csv'));
  w('text.png', 'not an image\n');
  w('no-images.txt', 'text.png\n'.repeat(20));
  const fifo = spawnSync('mkfifo', [join(dir, 'fifo.csv')]);
  return { fifo: fifo.status === 0 };
}

// Each case: what goes wrong, the arguments, the exit code and the message's shape.
const CASES = [
  ['Input values', 'NaN in a text file', ['compare', 'nan.csv', 'x.csv'], 2, /^nan\.csv: .*line 4.*(NaN|nan)/i],
  ['Input values', 'Inf in a .npy file', ['compare', 'inf.npy', 'y.npy'], 2, /^X \(inf\.npy\): non-finite value Infinity at row 5, column 2 \(1-based\)$/],
  ['Input values', 'value beyond float32 in text', ['compare', 'big.csv', 'big.csv'], 2, /^big\.csv: .*out of float32 range/],
  ['Input values', 'f64 value beyond float32 in .npy', ['compare', 'f8_big.npy', 'f8_big.npy'], 2, /^f8_big\.npy: .*float32/],
  [
    'Input values',
    'value under float32 in text (where it matters in its row)',
    ['compare', 'tiny.csv', 'tiny.csv'],
    2,
    /^tiny\.csv: line 1, column 1: .*underflows float32/,
  ],
  [
    'Input values',
    'f64 value under float32 in .npy (where it matters in its row)',
    ['compare', 'f8_tiny.npy', 'f8_tiny.npy'],
    2,
    /^f8_tiny\.npy: value 3e-45 at row 2, column 1 .*underflows float32/,
  ],
  [
    'Input values',
    'zero row under the cosine kernel (row 7 of the file)',
    ['compare', 'zero_row.npy', 'y.npy', '--kernel', 'cosine'],
    2,
    /^X \(zero_row\.npy\): row 7 \(1-based\) is all zeros/,
  ],
  ['Input values', 'row counts differ', ['compare', 'x.npy', 'y19.npy'], 2, /^row counts differ: X \(x\.npy\) has 20 rows, Y \(y19\.npy\) has 19/],
  ['Input values', 'FINC sets of different widths', ['finc', 'x.npy', 'y.npy'], 2, /column|dimension|width/i],
  ['Input values', 'label count does not match', ['compare', 'x.npy', 'y.npy', '--labels', 'labels3.txt'], 2, /^labels3\.txt: .*3 label/],
  ['Files', 'missing file', ['compare', 'nope.npy', 'y.npy'], 2, /^X file nope\.npy: no such file/],
  ['Files', 'unsupported extension', ['compare', 'x.txt', 'y.npy'], 2, /^x\.txt: unsupported file type '\.txt'/],
  ['Files', 'empty file', ['compare', 'empty.csv', 'y.npy'], 2, /^empty\.csv: .*(empty|no rows)/i],
  ['Files', 'a directory', ['compare', 'folder.npy', 'y.npy'], 2, /^X file folder\.npy: is a directory/],
  ['Files', 'symlink to /dev/zero', ['compare', 'devzero.csv', 'y.npy'], 2, /^X file devzero\.csv: is a character device, not a regular file/],
  [
    'Files',
    'a FIFO (named pipe) with no writer',
    ['compare', 'fifo.csv', 'y.npy'],
    2,
    /^X file fifo\.csv: is a named pipe \(FIFO\), not a regular file/,
    { needs: 'fifo' },
  ],
  ['Files', 'control characters in a file name (shown escaped)', ['compare', 'rag\x1b[2Jged.csv', 'y.npy'], 2, /^X file rag\\x1b\[2Jged\.csv: no such file$/],
  [
    'Files',
    '--out is an input',
    ['compare', 'x.npy', 'y.npy', '--out', 'x.npy'],
    2,
    /^--out x\.npy is the same file as X \(x\.npy\); choose another output path$/,
  ],
  [
    'Files',
    '--out is another output',
    ['align', 'x.npy', 'x.npy', '--out-map', 'W.npy', '--out', 'W.npy'],
    2,
    /^--out W\.npy is the same file as --out-map \(W\.npy\)/,
  ],
  [
    'Files',
    '--images list with no loadable image',
    ['compare', 'x.npy', 'x.npy', '--images', 'no-images.txt', '--out', 'r.html'],
    2,
    /^images file no-images\.txt: no entry is a loadable image: 20 not a PNG, JPEG, GIF or WebP image/,
  ],
  ['Files', 'unwritable --out', ['compare', 'x.npy', 'y.npy', '--out', 'no/such/dir/report.html'], 2, /no\/such\/dir\/report\.html/],
  ['.npy', 'truncated data', ['compare', 'truncated.npy', 'y.npy'], 2, /^truncated\.npy: truncated/],
  ['.npy', 'not a .npy (bad magic)', ['compare', 'bad_magic.npy', 'y.npy'], 2, /^bad_magic\.npy: .*(magic|not a \.npy)/i],
  ['.npy', 'header shape larger than the file', ['compare', 'lying_shape.npy', 'y.npy'], 2, /^lying_shape\.npy: .*(truncated|needs|too large|more than)/i],
  ['.npz', 'corrupt deflated member', ['compare', 'corrupt.npz', 'y.npy'], 2, /^corrupt\.npz: array 'x': /],
  ['.npz', 'CRC mismatch (stored member)', ['compare', 'stored_crc.npz', 'y.npy'], 2, /^stored_crc\.npz: array 'x': corrupt zip data \(CRC-32 mismatch\)/],
  ['.npz', 'truncated archive', ['compare', 'truncated.npz', 'y.npy'], 2, /^truncated\.npz: /],
  ['.npz', 'zip bomb (member inflates past its header)', ['compare', 'bomb.npz', 'y.npy'], 2, /^bomb\.npz: /],
  [
    '.npz',
    'two members with one name (np.load reads the last)',
    ['compare', 'dup.npz', 'y.npy'],
    2,
    /^dup\.npz: the archive holds two members named 'x\.npy' for array 'x'/,
  ],
  ['.npz', 'missing --key', ['compare', 'x.npz', 'y.npy', '--key-x', 'nope'], 2, /^x\.npz: .*nope/],
  ['.npz', '--key on a non-.npz file', ['compare', 'x.npy', 'y.npy', '--key', 'x'], 2, /applies only to \.npz/],
  ['Text', 'ragged CSV row', ['compare', 'ragged.csv', 'ragged.csv'], 2, /^ragged\.csv: .*line 2.*2 .*3/],
  ['Text', 'a cell that is not a number', ['compare', 'word.csv', 'word.csv'], 2, /^word\.csv: .*"apple"|'apple'|apple/],
  ['Text', '5000-character cell (quoted ≤ 60 chars)', ['compare', 'long.csv', 'long.csv'], 2, /^long\.csv: .{0,400}$/],
  ['Text', 'unterminated quote', ['compare', 'quote.csv', 'quote.csv'], 2, /^quote\.csv: .*quot/i],
  [
    'Text',
    'line 1 mixes numbers with a missing value',
    ['compare', 'na1.csv', 'y.npy'],
    2,
    /^na1\.csv: line 1, column 2: "n\/a" is not a number; line 1 is not a header either/,
  ],
  ['Text', "line 1 '0,1': pandas' column names or a sample", ['compare', 'binary.csv', 'y.npy'], 2, /^binary\.csv: line 1 is "0,1": .*--header or --no-header/],
  ['Text', 'a header cell with no name', ['compare', 'noname.csv', 'y.npy'], 2, /^noname\.csv: line 1, column 2: empty cell in what looks like a header/],
  [
    'Text',
    "row index under an empty header cell (pandas' df.to_csv())",
    ['compare', 'indexed.csv', 'y.npy'],
    2,
    /^indexed\.csv: column 1 has an empty header cell and holds 0, 1, …, 59: a row index/,
  ],
  ['Text', '--header with --no-header', ['compare', 'x.csv', 'y.npy', '--header', '--no-header'], 2, /--header and --no-header contradict/],
  ['Text', 'invalid UTF-8', ['compare', 'notutf8.csv', 'notutf8.csv'], 2, /^notutf8\.csv: is not valid UTF-8/],
  ['Text', 'JSON that is not an array of rows', ['compare', 'obj.json', 'obj.json'], 2, /^obj\.json: /],
  ['Text', 'malformed JSON', ['compare', 'bad.json', 'bad.json'], 2, /^bad\.json: row 2, column 2: expected a number/],
  ['Text', 'JSONL line with a string', ['compare', 'bad.jsonl', 'bad.jsonl'], 2, /^bad\.jsonl: .*line 2/],
  ['Options', 'σ = 0', ['compare', 'x.npy', 'y.npy', '--kernel', 'gaussian', '--sigma-x', '0'], 2, /sigma-x/],
  ['Options', 'σ < 0', ['compare', 'x.npy', 'y.npy', '--kernel', 'gaussian', '--sigma-y', '-2'], 2, /sigma-y/],
  [
    'Options',
    'σ so small ω = N(0, σ⁻²) leaves float32',
    ['compare', 'x.npy', 'y.npy', '--kernel', 'gaussian', '--sigma-x', '1e-300', '--method', 'covariance'],
    2,
    /sigma of kernelX = 1e-300 is too small for random Fourier features/,
  ],
  ['Options', 'η < 0', ['compare', 'x.npy', 'y.npy', '--eta', '-1'], 2, /--eta/],
  ['Options', 'η = 1e308 (Λ overflows)', ['compare', 'cx.npy', 'cy.npy', '--eta', '1e308', '--top', '2'], 2, /^eta must be ≤ 1e15 .*got 1e\+308/],
  ['Options', '--top 0', ['compare', 'x.npy', 'y.npy', '--top', '0'], 2, /--top/],
  ['Options', '--top 1.5', ['compare', 'x.npy', 'y.npy', '--top', '1.5'], 2, /--top/],
  ['Options', '--permutations -1', ['compare', 'x.npy', 'y.npy', '--permutations', '-1'], 2, /--permutations must be an integer from 0 to 100000/],
  ['Options', '--permutations 2.5', ['finc', 'x.npy', 'x.npy', '--permutations', '2.5'], 2, /--permutations must be an integer from 0 to 100000/],
  ['Options', '--permutations beyond the cap', ['finc', 'x.npy', 'x.npy', '--permutations', '1000000'], 2, /--permutations 1000000 is more than 100000/],
  [
    'Options',
    '--splits 1 (a p-value needs at least 2)',
    ['compare', 'x.npy', 'y.npy', '--splits', '1'],
    2,
    /^--splits must be 0 \(off\) or a whole number from 2 to 10000, got 1/,
  ],
  [
    'Options',
    '--bootstrap beyond 10000',
    ['finc', 'x.npy', 'y.npy', '--bootstrap', '100000'],
    2,
    /^--bootstrap must be 0 \(off\) or a whole number from 2 to 10000/,
  ],
  ['Options', '--samples-per-mode 0', ['compare', 'x.npy', 'y.npy', '--samples-per-mode', '0'], 2, /--samples-per-mode/],
  ['Options', 'unknown kernel', ['compare', 'x.npy', 'y.npy', '--kernel', 'rbf'], 2, /kernel/],
  ['Options', 'unknown method', ['compare', 'x.npy', 'y.npy', '--method', 'fast'], 2, /method/],
  ['Options', 'unknown option', ['compare', 'x.npy', 'y.npy', '--bogus'], 2, /--bogus/],
  [
    'Options',
    'unknown option close to a valid one',
    ['compare', 'x.npy', 'y.npy', '--label', 'labels3.txt'],
    2,
    /^unknown option --label for 'compare'; did you mean --labels\?$/,
  ],
  ['Options', 'missing option value', ['compare', 'x.npy', 'y.npy', '--top'], 2, /--top/],
  ['Options', 'missing input', ['compare', 'x.npy'], 2, /./],
  ['Options', 'unknown command', ['frobnicate'], 2, /frobnicate/],
  [
    'Resources',
    'oversize --rff-dim',
    ['compare', 'x.npy', 'y.npy', '--kernel', 'gaussian', '--rff-dim', '1000000000', '--method', 'covariance'],
    2,
    /^rffDim of kernelX = 1000000000 gives D = \d+ features: the D × D f64 covariance would need [\d.]+ GiB/,
  ],
  [
    'Resources',
    '--samples-per-mode 10000000 (clamped to n with a note, not an error)',
    ['compare', 'x.npy', 'y.npy', '--samples-per-mode', '10000000', '--json'],
    0,
    null,
  ],
  [
    'Resources',
    'output budget: --top × --samples-per-mode',
    ['compare', 'tall.npy', 'tall.npy', '--kernel', 'linear', '--top', '1000000', '--samples-per-mode', '1000000'],
    2,
    /^--top = 1000000 and --samples-per-mode = 1000000 ask for up to 3000 modes per side .* more than the output budget of 1000000 top entries/,
  ],
  [
    'Resources',
    'align: a d′ × dy map beyond 1 GiB',
    ['align', 'wide.npy', 'wide.npy'],
    2,
    /^--dim = 8000 with dy = 8000: the 8000 × 8000 map, its Adam state and copies would need [\d.]+ GiB/,
  ],
  ['Options', 'align --beta beyond 1e15', ['align', 'x.npy', 'x.npy', '--beta', '1e308'], 2, /^--beta must be ≤ 1000000000000000/],
];

function run(dir, args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, SPEC_EMBED_DEBUG: '' } });
  // progress lines (without a terminal: a start line, percent lines, an end line) are not the error
  const progress = /^spec-embed: .+ (\.\.\. \d+%|\d+% \(\d+\/\d+[^()]*\)|done \(\d+\/\d+[^()]*\))$/;
  const lines = (r.stderr ?? '').split('\n').filter((l) => l !== '' && !progress.test(l));
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', lines };
}

const esc = (s) => s.replace(/\|/g, '\\|').replace(/`/g, 'ˋ');
// An argument with control characters is shown as the shell's $'…' quoting, never raw.
const shellArg = (a) => (/[\x00-\x1f\x7f]/.test(a) ? `$'${a.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'` : a);
const dir = mkdtempSync(join(tmpdir(), 'spec-embed-errors-'));
const problems = [];
const notes = [];
const rows = [];
try {
  const have = makeFiles(dir);
  for (const [area, what, args, code, pattern, { needs, known } = {}] of CASES) {
    if (needs && !have[needs]) {
      problems.push(`${what}: cannot set up (${needs})`);
      continue;
    }
    const r = run(dir, args);
    // The scratch folder's absolute path varies from run to run: show it as <dir>.
    r.lines = r.lines.map((l) => l.split(dir).join('<dir>'));
    const msg = r.lines.join(' ⏎ ');
    const bad = [];
    if (r.code !== code) bad.push(`exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, expected ${code}`);
    if (code !== 0) {
      if (r.stdout !== '') bad.push('wrote to stdout');
      if (r.lines.length !== 1) bad.push(`${r.lines.length} stderr lines`);
      else if (!/^spec-embed: \S/.test(r.lines[0])) bad.push('line does not start with "spec-embed: "');
      else if (!pattern.test(r.lines[0].slice('spec-embed: '.length))) {
        if (!known) bad.push(`message does not match ${pattern}`);
      } else if (known) notes.push(`${what}: now matches ${pattern}; drop its 'known' flag`);
    }
    if (bad.length) problems.push(`${what} (${args.join(' ')}): ${bad.join('; ')}\n    stderr: ${msg.slice(0, 400)}`);
    const shown =
      (code === 0 ? '(none: runs, `top` holds at most n samples; a note on stderr says so)' : `\`${esc(r.lines[0] ?? '')}\``) +
      (known ? ` ⚠ known problem: ${esc(known)}` : '');
    rows.push(`| ${area} | ${esc(what)} | \`spec-embed ${esc(args.map(shellArg).join(' '))}\` | ${r.code} | ${shown} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Messages only the library gives (the CLI checks its own flags before calling it), from real calls of dist/index.js.
const lib = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
const M = (rows, cols, f) => ({ data: Float64Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols)), rows, cols });
const X20 = M(20, 4, (i, j) => Math.sin(i * 7 + j * 3) + (i % 3)),
  Y20 = M(20, 3, (i, j) => Math.cos(i + 2 * j));
const libCases = [
  ['unknown option name', 'compare(X, Y, { topk: 3 })', () => lib.compare(X20, Y20, { topk: 3 }), /^unknown option topk; did you mean topK\?$/],
  [
    'unknown kernel key',
    "compare(X, Y, { kernel: { type: 'gaussian', sigm: 1 } })",
    () => lib.compare(X20, Y20, { kernel: { type: 'gaussian', sigm: 1 } }),
    /^unknown kernel option sigm; did you mean sigma\?$/,
  ],
  ['unknown kernel', "compare(X, Y, { kernel: 'rbf' })", () => lib.compare(X20, Y20, { kernel: 'rbf' }), /^kernel must be one of/],
  [
    'a number[][] cell that is not a number',
    "compare([[1, '2'], …], Y)",
    () => lib.compare([[1, '2', 3, 4], ...Array.from({ length: 19 }, (_, i) => [i, 1, 2, 3])], Y20),
    /^X: value at row 1, column 2 \(1-based\) is a string "2", not a number$/,
  ],
  [
    'a float64 value beyond float32',
    'compare(X, Y) with X.data[9] = 1e39',
    () => {
      const b = M(20, 4, (i, j) => (i === 2 && j === 1 ? 1e39 : i + j + 1));
      return lib.compare(b, Y20);
    },
    /^X: value 1e\+39 at row 3, column 2 \(1-based\) is out of float32 range/,
  ],
  [
    'a float64 value under float32 where it matters',
    'compare(X · 1e-43, Y)',
    () =>
      lib.compare(
        M(20, 4, (i, j) => (i + j + 1) * 1e-43),
        Y20,
      ),
    /^X: value .* at row 1, column \d \(1-based\) underflows float32/,
  ],
  [
    'float32 overflow inside the computation',
    "compare(X · 1e20, Y, { kernelX: 'linear', kernelY: 'cosine', method: 'covariance' }) (600 × 300)",
    () =>
      lib.compare(
        M(600, 300, (i, j) => Math.sin(i * 3 + j * 7) * 1e20),
        M(600, 6, (i, j) => Math.cos(i + 2 * j) + 2),
        { kernelX: 'linear', kernelY: 'cosine', method: 'covariance', threads: 1 },
      ),
    /^the covariance holds NaN or Infinity: .*rescale the data/,
  ],
];
const libRows = [];
for (const [what, call, run, re] of libCases) {
  let err;
  try {
    await run();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof lib.InputError) || !re.test(err.message))
    problems.push(`library: ${what} (${call}): ${err ? `${err.name}: ${err.message}` : 'no error'}`);
  libRows.push(`| ${esc(what)} | \`${esc(call)}\` | \`${esc(err?.message ?? '')}\` |`);
}
lib.terminateWorkers?.();

const doc = `# Failure modes and messages

Every bad input gets exit code 2 and exactly one line on stderr, \`spec-embed: <file or
option>: <problem>\`, and nothing on stdout; exit code 1 is an internal error (set
\`SPEC_EMBED_DEBUG=1\` for the stack) and 0 success. Quoted input is cut to about 60
characters. The library raises the same messages as \`InputError\` (without the
\`spec-embed: \` prefix); an aborted run rejects with \`AbortError\`.

This table is generated from real runs of the CLI by \`scripts/errors-table.mjs\`
(\`npm run errors-table\`), which also checks each exit code and message shape;
\`tests/docs/errors-table.test.ts\` fails when the table and the CLI disagree.
Files are made in a scratch folder (the CLI runs there, so messages show bare names).
Rows marked ⚠ are messages that do not yet meet the standard (one clear line naming
the file or option); the script reports when one starts to.

| area | failure | command | exit | message |
|------|---------|---------|------|---------|
${rows.join('\n')}

## Library only

Messages the library raises (as \`InputError\`) for what the CLI cannot pass it:
option objects, \`number[][]\` cells and float64 arrays. Made by real calls of
\`dist/index.js\`, checked like the rows above.

| failure | call | message |
|---------|------|---------|
${libRows.join('\n')}
`;

for (const n of notes) console.log(`note: ${n}`);
if (problems.length) {
  console.error(`errors-table: ${problems.length} case(s) do not behave as documented:\n  - ${problems.join('\n  - ')}`);
}
if (check) {
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  if (current !== doc) {
    console.error('errors-table: docs/errors.md is out of date: run `npm run errors-table` and commit it');
    process.exit(1);
  }
} else {
  mkdirSync(dirname(DOC), { recursive: true });
  writeFileSync(DOC, doc);
  console.log(`wrote ${DOC} (${rows.length} cases)`);
}
process.exit(problems.length ? 1 : 0);
