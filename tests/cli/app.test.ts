// spec-embed app: --out writes the shipped page, --serve serves it on 127.0.0.1
// only (GET /, 404 elsewhere) and prints the URL; bad combinations exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, cli, expectUsageError } from './helpers.js';

const APP = readFileSync(join(ROOT, 'dist', 'app.html'), 'utf8');

test('app --out writes dist/app.html: one static page that says nothing leaves the machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-app-'));
  try {
    const out = join(dir, 'app.html');
    const r = cli(['app', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), APP);
    assert.match(APP, /nothing leaves this machine/);
    assert.doesNotMatch(APP, /<script[^>]+src=|<link|src="https?:|href="https?:/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('app --serve prints a 127.0.0.1 URL that serves the page', async () => {
  const child = spawn(process.execPath, [CLI, 'app', '--serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b) => {
        out += b;
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      setTimeout(() => reject(new Error('no URL printed')), 10_000);
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await res.text(), APP);
    assert.equal((await fetch(`${url}../etc/passwd`)).status, 404);
    assert.equal((await fetch(`${url}dist/index.js`)).status, 404);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0);
});

test('app: usage errors exit 2 with one line', () => {
  expectUsageError(assert, cli(['app']), /--out FILE .*--serve/);
  expectUsageError(assert, cli(['app', '--out', 'x.html', '--serve']), /not both/);
  expectUsageError(assert, cli(['app', '--out', 'x.html', '--port', '80']), /--port applies to --serve/);
  expectUsageError(assert, cli(['app', '--out', '/nonexistent-dir/x.html']), /--out .*does not exist/);
});

/** Starts `app --serve` and returns the child and its port. */
async function serve(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, 'app', '--serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b) => {
      out += b;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  return { child, port: Number(/:(\d+)\/$/.exec(url)![1]) };
}

/**
 * Writes `request` on a fresh TCP connection and resolves with the status code of the
 * first answer, or 'closed' if the server closed the connection without answering
 * (or reset it). Nothing here waits on a clock: the server either answers or closes.
 */
function rawRequest(port: number, request: Buffer): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (v: number | 'closed') => {
      socket.destroy();
      resolve(v);
    };
    socket.on('connect', () => socket.write(request));
    socket.on('data', (b) => {
      got += b.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got);
      if (m) done(Number(m[1]));
      else if (got.length >= 12) done(-1); // not an HTTP status line
    });
    socket.on('error', () => done('closed'));
    socket.on('close', () => done('closed'));
  });
}

const requestLine = (method: string, target: Buffer | string) =>
  Buffer.concat([
    Buffer.from(`${method} `, 'latin1'),
    Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1'),
    Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'latin1'),
  ]);

test('app --serve answers every request target with a status below 500 and keeps serving (GET // no longer kills it)', async () => {
  const { child, port } = await serve();
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  let stderr = '';
  child.stderr!.on('data', (b) => {
    stderr += b;
  });
  try {
    const seeded: [string, string, (s: number | 'closed') => boolean][] = [
      ['GET', '//', (s) => s === 404],
      ['GET', '///app.html', (s) => s === 404],
      ['GET', 'http://[::1', (s) => s === 400],
      ['GET', '%zz', (s) => s === 400],
      ['GET', '/%zz', (s) => s === 404],
      ['GET', '*', (s) => s === 400],
      ['OPTIONS', '*', (s) => s === 405],
      ['GET', 'http://127.0.0.1/', (s) => s === 200],
      ['GET', 'http://127.0.0.1/app.html?x=1', (s) => s === 200],
      ['GET', 'https://example.com:99999/', (s) => s === 400],
      ['GET', 'mailto:x@y', (s) => s === 400],
      ['GET', '', (s) => typeof s === 'number' && s >= 400 && s < 500],
      ['GET', '/\x01\x1b[2J', (s) => typeof s === 'number' && s >= 400 && s < 500],
      ['GET', '/a b', (s) => typeof s === 'number' && s >= 400 && s < 500],
      ['GET', '/\x7f\xff', (s) => typeof s === 'number' && s >= 400 && s < 500],
      ['GET', `/${'a'.repeat(20_000)}`, (s) => s === 'closed' || (s >= 400 && s < 500)],
      ['GET', `/${'a'.repeat(4_000)}`, (s) => s === 404],
      ['BREW', '/', (s) => typeof s === 'number' && s >= 400 && s < 500],
      ['HEAD', '/', (s) => s === 200],
    ];
    for (const [method, target, ok] of seeded) {
      const status = await rawRequest(port, requestLine(method, target));
      assert.ok(ok(status), `${method} ${JSON.stringify(target.slice(0, 40))}: got ${status}`);
    }
    // Random targets over the bytes that break parsers: separators, %, brackets, controls, high bytes.
    const byte = fc.oneof(
      fc.constantFrom(...'/?#[]:@%*\\.~'.split('').map((c) => c.charCodeAt(0)), 0, 9, 10, 13, 27, 32, 127, 0x80, 0x9b, 0xff),
      fc.integer({ min: 0x21, max: 0x7e }),
      fc.integer({ min: 0, max: 255 }),
    );
    const target = fc
      .tuple(fc.constantFrom('', '/', '//', 'http://', 'http://[', '%', '*'), fc.array(byte, { maxLength: 80 }))
      .map(([head, bytes]) => Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(bytes)]));
    const method = fc.constantFrom('GET', 'HEAD', 'POST', 'G\x00T', '');
    await fc.assert(
      fc.asyncProperty(method, target, async (m, t) => {
        const status = await rawRequest(port, requestLine(m, t));
        return typeof status === 'number' && status >= 200 && status < 500;
      }),
      { seed: 20, numRuns: 300 },
    );
    assert.equal(child.exitCode, null, `the server exited: ${stderr}`);
    assert.equal(await rawRequest(port, requestLine('GET', '/')), 200);
    assert.doesNotMatch(stderr, /error/i);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});
