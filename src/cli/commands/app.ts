// spec-embed app [--out FILE | --serve]: the in-browser app (dist/app.html), a
// static page that computes locally in a Web Worker. Written to a file, or served
// on 127.0.0.1 (loopback only) until interrupted.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { Command } from '../command.js';
import { escapeUnsafe } from '../../io/quote.js';
import { UsageError, parseInteger } from '../args.js';
import { checkOutputs, flag, stringOption } from '../shared.js';
import { writeOutput } from '../files.js';

/** dist/app.html next to the bundled CLI (dist/cli.js), or in dist/ when run from src/ (tests). */
export function appHtmlPath(): string {
  const candidates = [new URL('./app.html', import.meta.url), new URL('../../../dist/app.html', import.meta.url)];
  for (const u of candidates) if (u.protocol === 'file:' && existsSync(u)) return decodeURIComponent(u.pathname);
  throw new Error('dist/app.html is missing: this installation is incomplete (build with npm run build)');
}

/**
 * The path of a request target: origin-form ("/app.html?x") as is, absolute-form
 * ("http://host/app.html") through URL; anything else ("*", "//", "%zz", "http://[::1")
 * is undefined. `new URL(target, base)` is not used on origin-form: "//" parses as a
 * host-relative URL with an empty host and throws.
 */
export function requestPath(target: string | undefined): string | undefined {
  if (!target) return undefined;
  if (target.startsWith('/')) return target.replace(/[?#].*$/s, '');
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    return new URL(target).pathname;
  } catch {
    return undefined;
  }
}

function answer(method: string | undefined, target: string | undefined, html: string, res: ServerResponse): void {
  const text = { 'content-type': 'text/plain' };
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { ...text, allow: 'GET, HEAD' }).end();
    return;
  }
  const path = requestPath(target);
  if (path === undefined) {
    res.writeHead(400, text).end('bad request target\n');
    return;
  }
  if (path !== '/' && path !== '/index.html' && path !== '/app.html') {
    res.writeHead(404, text).end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(method === 'HEAD' ? undefined : html);
}

export const appCommand: Command = {
  name: 'app',
  summary: 'the in-browser app: drop two files, compute in the page (nothing leaves the machine)',
  usage: `usage: spec-embed app [--out FILE | --serve [--port N]]

The app is one static HTML page with the library and its WebAssembly inlined: open it,
drop or pick two .npy/.npz/.csv/.json files (and labels, and images), choose compare, finc
or align and their options (per side for compare, as the CLI's), and the analysis runs in a
Web Worker in the page; the result is the same interactive report the CLI writes (after
align, W and its bias download as .npy). The page makes no network requests.
  --out FILE   write the page to FILE (open it from disk: file:// works)
  --serve      serve it on http://127.0.0.1:PORT/ until interrupted (Ctrl-C)`,
  options: [
    { name: 'out', value: 'FILE', help: 'write the app page to FILE' },
    { name: 'serve', help: 'serve the app on 127.0.0.1 and print its URL' },
    { name: 'port', value: 'N', help: 'port for --serve (default 0: any free port)' },
  ],
  positionals: { min: 0, max: 0, names: 'no arguments' },
  async run(args) {
    const out = stringOption(args, 'out');
    const serve = flag(args, 'serve');
    const portText = stringOption(args, 'port');
    if (out !== undefined && serve) throw new UsageError('give one of --out FILE and --serve, not both');
    if (out === undefined && !serve) throw new UsageError('give --out FILE (write the page) or --serve (serve it on 127.0.0.1)');
    if (portText !== undefined && !serve) throw new UsageError('--port applies to --serve');
    const port = portText !== undefined ? parseInteger('port', portText, 0) : 0;
    if (port > 65535) throw new UsageError(`--port must be an integer in 0…65535, got '${portText}'`);
    const page = appHtmlPath();
    checkOutputs(args, ['out'], [{ role: 'the shipped app page', path: page }]);
    const html = readFileSync(page, 'utf8');
    if (out !== undefined) {
      writeOutput(out, html, 'app page');
      process.stderr.write(`spec-embed: app written to ${escapeUnsafe(out)} (open it in a browser; nothing it computes leaves the machine)\n`);
      return 0;
    }
    const server = createServer((req, res) => {
      // A request must never take the server down: whatever the target, answer it.
      try {
        answer(req.method, req.url, html, res);
      } catch {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end();
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`--serve: cannot listen on 127.0.0.1:${port} (${e.code ?? e.message})`)));
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    process.stdout.write(`http://127.0.0.1:${actual}/\n`);
    process.stderr.write('spec-embed: serving the app on 127.0.0.1 only; press Ctrl-C to stop\n');
    await new Promise<void>((resolve) => {
      const close = () => server.close(() => resolve());
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
    });
    return 0;
  },
};
