// The command dispatcher, in process: exit codes, the exact one-line messages on
// stderr, help and version on stdout. The module runs main() on process.argv when
// loaded, so it is loaded with argv set to `--version`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VERSION } from '../../../src/version.js';

async function captured<T>(f: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const ow = process.stdout.write,
    ew = process.stderr.write;
  // Only text is captured: the test runner reports to its parent through stdout in binary frames.
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => {
    if (typeof s !== 'string') return ow.call(process.stdout, s, ...rest);
    out.push(s);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) => {
    if (typeof s !== 'string') return ew.call(process.stderr, s, ...rest);
    err.push(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await f(), out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

const argv = process.argv;
process.argv = [argv[0], 'spec-embed', '--version'];
const loaded = await captured(() => import('../../../src/cli/main.js'));
process.argv = argv;
await new Promise((r) => setTimeout(r, 10));
const { main } = loaded.value;

test('loading runs main on process.argv: --version prints the version', () => {
  assert.equal(loaded.out, `${VERSION}\n`);
  assert.equal(process.exitCode ?? 0, 0);
  process.exitCode = 0;
});

test('version and help: stdout, exit 0', async () => {
  for (const a of ['--version', '-V', 'version']) {
    assert.deepEqual(await captured(() => main([a])), { value: 0, out: `${VERSION}\n`, err: '' });
  }
  const top = await captured(() => main(['--help']));
  assert.equal(top.value, 0);
  assert.ok(
    top.out.startsWith(
      `spec-embed ${VERSION}: explain how two embeddings of the same samples differ (SPEC).\n\nusage: spec-embed <command> [options]\n\ncommands:\n  compare  `,
    ),
  );
  for (const c of ['compare', 'finc', 'align', 'demo', 'app']) assert.match(top.out, new RegExp(`^  ${c} +\\S`, 'm'));
  assert.deepEqual(await captured(() => main(['-h'])), top);
  const help = await captured(() => main(['help', 'finc']));
  assert.equal(help.value, 0);
  assert.ok(help.out.startsWith('usage: spec-embed finc X Y [options]'));
  assert.ok(help.out.includes('\n\noptions:\n  --kernel K '));
  assert.ok(help.out.includes('\n  --help '), 'every command lists --help');
  assert.ok(!help.out.includes('--kernel-x'), 'hidden synonyms stay out of help');
  assert.deepEqual(await captured(() => main(['finc', '--help'])), help);
  assert.deepEqual(await captured(() => main(['finc', 'x', '--bogus', '-h'])), help, 'help wins over a bad option');
});

test('usage errors: exit 2 and one exact line', async () => {
  const cases: [string[], string][] = [
    [[], "missing command (compare, finc, align, demo, app, sigma-sample, accumulate, merge, solve, score, finish); see 'spec-embed --help'"],
    [['comprae'], "unknown command 'comprae'; did you mean 'compare'?"],
    [
      ['frobnicate'],
      "unknown command 'frobnicate' (commands: compare, finc, align, demo, app, sigma-sample, accumulate, merge, solve, score, finish; see 'spec-embed --help')",
    ],
    [['help', 'nope'], "unknown command 'nope'"],
    [['compare', 'x.npy'], "compare takes two embedding files X and Y, got 1 argument (x.npy); see 'spec-embed compare --help'"],
    [['compare'], "compare takes two embedding files X and Y, got 0 arguments; see 'spec-embed compare --help'"],
    [['app', 'extra'], "app takes no arguments, got 1 argument (extra); see 'spec-embed app --help'"],
    [['compare', 'a', 'b', '--tpo', '3'], "unknown option --tpo for 'compare'; did you mean --top?"],
    [['compare', 'a\x1b[2J', 'b', 'c'], "compare takes two embedding files X and Y, got 3 arguments (a\\x1b[2J b c); see 'spec-embed compare --help'"],
    [['compare', '/nonexistent/x.npy', '/nonexistent/y.npy'], 'X file /nonexistent/x.npy: no such file'],
  ];
  for (const [a, message] of cases) {
    assert.deepEqual(await captured(() => main(a)), { value: 2, out: '', err: `spec-embed: ${message}\n` }, a.join(' '));
  }
});

test('bad input: exit 2, one line naming the file, no stack', async (t) => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'spec-main-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'x.csv'), '1,2\n3,nan\n');
  writeFileSync(join(dir, 'y.csv'), '1,2\n3,4\n');
  const r = await captured(() => main(['compare', join(dir, 'x.csv'), join(dir, 'y.csv')]));
  assert.equal(r.value, 2);
  assert.equal(r.out, '');
  assert.match(r.err, new RegExp(`^spec-embed: [^\\n]*${join(dir, 'x.csv').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^\\n]*\\n$`));
});
