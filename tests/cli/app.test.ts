// spec-embed app: --out writes the shipped page, --serve serves it on 127.0.0.1
// only (GET /, 404 elsewhere) and prints the URL; bad combinations exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
      child.stdout.on('data', (b) => { out += b; if (out.includes('\n')) resolve(out.trim()); });
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
