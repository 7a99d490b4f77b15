// `app`: the request-target parser, the option rules, --out (the shipped page,
// byte for byte) and --serve on loopback, answered per method and path, stopped by SIGINT.
// Needs dist/app.html (npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appCommand, appHtmlPath, requestPath } from '../../../../src/cli/commands/app.js';
import { UsageError, parseArgs } from '../../../../src/cli/args.js';
import { runCommand } from './io.js';

test('requestPath: origin-form as is (query and fragment cut), absolute-form through URL, else undefined', () => {
  const cases: [string | undefined, string | undefined][] = [
    ['/', '/'],
    ['/app.html?x=1', '/app.html'],
    ['/index.html#top', '/index.html'],
    ['//', '//'],
    ['/a?b\n#c', '/a'],
    ['http://127.0.0.1:8080/app.html?q', '/app.html'],
    ['HTTPS://h/x', '/x'],
    ['http://[::1', undefined],
    ['*', undefined],
    ['%zz', undefined],
    ['app.html', undefined],
    ['ftp://h/x', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [target, want] of cases) assert.equal(requestPath(target), want, JSON.stringify(target));
});

test('app: option rules', async () => {
  const refuse = (argv: string[], message: string) => assert.rejects(runCommand(appCommand, argv), new UsageError(message));
  await refuse([], 'give --out FILE (write the page) or --serve (serve it on 127.0.0.1)');
  await refuse(['--out', 'a.html', '--serve'], 'give one of --out FILE and --serve, not both');
  await refuse(['--out', 'a.html', '--port', '8'], '--port applies to --serve');
  await refuse(['--serve', '--port', '65536'], "--port must be an integer in 0…65535, got '65536'");
  await refuse(['--serve', '--port', '-1'], "--port must be an integer ≥ 0, got '-1'");
  await refuse(['--out', appHtmlPath()], `--out ${appHtmlPath()} is the same file as the shipped app page (${appHtmlPath()}); choose another output path`);
});

test('app --out: the shipped page, byte for byte', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-app-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = await runCommand(appCommand, ['--out', join(dir, 'app.html')]);
  assert.equal(r.code, 0);
  assert.deepEqual(readFileSync(join(dir, 'app.html')), readFileSync(appHtmlPath()));
  assert.equal(r.out, '');
  assert.equal(r.err, `spec-embed: app written to ${join(dir, 'app.html')} (open it in a browser; nothing it computes leaves the machine)\n`);
});

function get(port: number, method: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('app --serve: loopback only, the page on /, /index.html and /app.html, 404/405/400 otherwise; SIGINT stops it', async () => {
  const out: string[] = [];
  const ow = process.stdout.write,
    ew = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) =>
    typeof s === 'string' ? (out.push(s), true) : ow.call(process.stdout, s, ...rest)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) =>
    typeof s === 'string' ? true : ew.call(process.stderr, s, ...rest)) as typeof process.stderr.write;
  let port = 0;
  let done: Promise<number> | undefined;
  try {
    done = appCommand.run(parseArgs(['--serve'], appCommand.options, 'app'));
    for (let i = 0; i < 500 && !out.length; i++) await new Promise((r) => setTimeout(r, 10));
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/\n$/.exec(out.join(''));
    assert.ok(m, `the URL on stdout: ${out.join('')}`);
    port = Number(m[1]);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  try {
    const html = readFileSync(appHtmlPath(), 'utf8');
    for (const p of ['/', '/index.html', '/app.html?x=1']) {
      const r = await get(port, 'GET', p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.equal(r.body, html);
    }
    const head = await get(port, 'HEAD', '/');
    assert.deepEqual([head.status, head.body], [200, '']);
    assert.deepEqual([(await get(port, 'GET', '/other')).status, (await get(port, 'GET', '/other')).body], [404, 'not found\n']);
    const post = await get(port, 'POST', '/');
    assert.deepEqual([post.status, post.headers.allow], [405, 'GET, HEAD']);
    const bad = await get(port, 'GET', '*');
    assert.deepEqual([bad.status, bad.body], [400, 'bad request target\n']);
  } finally {
    process.emit('SIGINT');
  }
  assert.equal(await done, 0);
});
