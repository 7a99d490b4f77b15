// Which Chromium the browser suite drives. A fresh machine gets no apt step, so
// the fallback is the headless Chromium shipped inside the @sparticuz/chromium
// devDependency (brotli-compressed in its bin/ folder, unpacked per run).
//
// Order: $CHROMIUM_PATH if set, else Debian's /usr/bin/chromium when present,
// else the npm package's binary.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// The machine has no network: these keep Chromium from trying to reach
// Google's services at start-up (refused connections, DNS look-ups).
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // From @sparticuz/chromium's own list: harmless for Debian's build, and
  // --no-zygote spares the headless shell a process it cannot use as root.
  '--no-zygote',
  '--disable-domain-reliability',
  '--no-pings',
  '--no-default-browser-check',
];

/** Shared libraries the binary needs that the dynamic loader cannot find. */
function missingLibraries(exe) {
  const r = spawnSync('ldd', [exe], { encoding: 'utf8' });
  if (r.status !== 0 || typeof r.stdout !== 'string') return [];
  return r.stdout
    .split('\n')
    .filter((l) => l.includes('not found'))
    .map((l) => l.trim().split(/\s+/)[0]);
}

/**
 * Unpacks the npm package's Chromium into a fresh private directory (never the
 * package's default /tmp/chromium, which other processes may share or may have
 * left half-written) and returns how to launch it.
 */
async function npmChromium() {
  let pkgJson;
  try {
    // The package's exports hide package.json: resolve its entry and walk up.
    let d = dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium')));
    while (!existsSync(join(d, 'package.json')) || !existsSync(join(d, 'bin'))) {
      if (dirname(d) === d) throw new Error('package root not found');
      d = dirname(d);
    }
    pkgJson = join(d, 'package.json');
  } catch {
    throw new Error(`no Chromium: ${SYSTEM_CHROMIUM} is absent and the @sparticuz/chromium devDependency is not installed (run npm ci), or set CHROMIUM_PATH`);
  }
  const binDir = join(dirname(pkgJson), 'bin');
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'spec-embed-chromium-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    // executablePath() unpacks into os.tmpdir(), which reads $TMPDIR on every call.
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    let exe;
    try {
      exe = await chromium.executablePath(binDir);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...process.env, FONTCONFIG_PATH: join(dir, 'fonts') };
    // The package's fonts.conf names /tmp/fonts and Lambda's folders, not where its fonts were
    // unpacked: with no font, Chromium aborts on the first text field it draws. Name the
    // unpacked fonts (only those, so that pages lay out alike on every machine).
    mkdirSync(join(dir, 'fonts'), { recursive: true });
    writeFileSync(
      join(dir, 'fonts', 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts', 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    const missing = missingLibraries(exe);
    if (missing.length > 0) {
      // The package also ships the NSS/NSPR/expat libraries (for Amazon Linux);
      // they go after the system directories, so they only fill gaps.
      const tarball = brotliDecompressSync(readFileSync(join(binDir, 'al2023.tar.br')));
      const libRoot = join(dir, 'al2023');
      mkdirSync(libRoot, { recursive: true });
      const t = spawnSync('tar', ['-x', '-C', libRoot], { input: tarball });
      if (t.status !== 0) throw new Error(`could not unpack the bundled libraries: ${t.stderr}`);
      env.LD_LIBRARY_PATH = [
        '/lib/x86_64-linux-gnu',
        '/usr/lib/x86_64-linux-gnu',
        join(libRoot, 'lib'),
        ...(process.env.LD_LIBRARY_PATH ? [process.env.LD_LIBRARY_PATH] : []),
      ].join(':');
      const still =
        spawnSync('ldd', [exe], { encoding: 'utf8', env })
          .stdout?.split('\n')
          .filter((l) => l.includes('not found')) ?? [];
      if (still.length > 0) throw new Error(`@sparticuz/chromium ${version} needs libraries this machine lacks: ${still.map((l) => l.trim()).join(', ')}`);
    }
    return { executablePath: exe, env, cleanup, source: `@sparticuz/chromium ${version}${missing.length ? ` (+ bundled ${missing.join(' ')})` : ''}` };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/**
 * Resolves the browser to launch.
 * @returns {Promise<{ executablePath: string, env: NodeJS.ProcessEnv, cleanup: () => void, source: string }>}
 */
export async function resolveChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return { executablePath: fromEnv, env: process.env, cleanup: () => {}, source: `CHROMIUM_PATH (${fromEnv})` };
  }
  if (existsSync(SYSTEM_CHROMIUM)) {
    return { executablePath: SYSTEM_CHROMIUM, env: process.env, cleanup: () => {}, source: SYSTEM_CHROMIUM };
  }
  return npmChromium();
}
