// File names are text from the user's disk: one holding ESC [2J would clear the terminal,
// a CR or a bidi override would rewrite the line. Every name the CLI prints (errors,
// notes, the table header) shows such characters as \xNN / \uNNNN escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, expectUsageError, fx } from './helpers.js';

// C0 (ESC, CR, BEL), C1 (CSI), DEL and a right-to-left override, in one name.
const NASTY = 'rag\x1b[2J\r\x07\x9b\x7f\u202eged';
const ESCAPED = 'rag\\x1b[2J\\x0d\\x07\\x9b\\x7f\\u202eged';
// Any control character but the newlines that end lines, and every bidi override/isolate.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function assertSafe(text: string, where: string): void {
  const m = UNSAFE.exec(text);
  assert.equal(m, null, `${where} holds U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text)}`);
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-names-'));
  copyFileSync(fx('x.npy'), join(dir, 'x.npy'));
  copyFileSync(fx('y.npy'), join(dir, 'y.npy'));
  return dir;
}

test('a missing file with control characters in its name: the error line shows them escaped', () => {
  const dir = scratch();
  try {
    for (const args of [
      ['compare', `${NASTY}.csv`, 'y.npy'],
      ['compare', 'x.npy', 'y.npy', '--labels', `${NASTY}.txt`],
      ['finc', 'x.npy', `${NASTY}.npy`],
    ]) {
      const r = cli(args, { cwd: dir });
      expectUsageError(assert, r, new RegExp(`${ESCAPED.replace(/[\\[\]]/g, '\\$&')}\\.(csv|txt|npy): no such file`));
      assertSafe(r.stderr, 'stderr');
    }
    const extra = cli(['compare', 'x.npy', 'y.npy', `${NASTY}`], { cwd: dir });
    expectUsageError(assert, extra, /got 3 arguments/);
    assertSafe(extra.stderr, 'stderr');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a bad file with control characters in its name: the reader's and the library's messages show them escaped", () => {
  const dir = scratch();
  try {
    writeFileSync(join(dir, `${NASTY}.csv`), '1,2\n3\n');
    const r = cli(['compare', `${NASTY}.csv`, 'y.npy'], { cwd: dir });
    expectUsageError(assert, r, /ged\.csv: line 2 has 1 column/);
    assertSafe(r.stderr, 'stderr');
    copyFileSync(fx('zero_row.npy'), join(dir, `${NASTY}.npy`));
    const z = cli(['compare', `${NASTY}.npy`, 'y.npy'], { cwd: dir });
    expectUsageError(assert, z, /^spec-embed: X \(rag\\x1b\[2J.*ged\.npy\): row \d+ \(1-based\) is all zeros/);
    assertSafe(z.stderr, 'stderr');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a good run: the table headers of compare, finc and align and the "written to" notes show names escaped', () => {
  const dir = scratch();
  try {
    copyFileSync(fx('x.npy'), join(dir, `${NASTY}.npy`));
    const out = `${NASTY}.html`;
    for (const [args, header] of [
      [['compare', `${NASTY}.npy`, 'y.npy', '--out', out], /^SPEC modes of X = rag\\x1b\[2J\\x0d/],
      [['finc', `${NASTY}.npy`, 'x.npy', '--top', '2', '--out', out], /^FINC modes of X = rag\\x1b\[2J\\x0d/],
      [['align', `${NASTY}.npy`, 'y.npy', '--epochs', '2', '--out-map', `${NASTY}.W.npy`, '--bias', '--out', out], /^align y\.npy → rag\\x1b\[2J\\x0d/],
    ] as const) {
      const r = cli([...args], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, header);
      assertSafe(r.stdout, `${args[0]} stdout`);
      assertSafe(r.stderr, `${args[0]} stderr`);
      assert.match(r.stderr, /written to rag\\x1b\[2J/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
