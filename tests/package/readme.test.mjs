// Every README example runs as written against the packed package:
//   * ```ts / ```js blocks are type-checked (strict, nodenext, lib es2022 + DOM as a page or
//     edge function has; Node's types only for a block that imports node:) and run; the data
//     they name (clipVectors, X, chunks() ...) come from a small seeded prelude, added only for
//     the names a block uses, and the .npy files they read (X.npy, Y.npy) are written
//     beside them. A block that imports the .wasm is bundled and run as on Cloudflare Workers
//     (compiling bytes forbidden).
//   * ```sh lines that call `spec-embed` (and the `python3 -c` line that reads their output) run in a
//     folder of small fixtures with the packed bin on PATH; each must exit 0.
//   * ```json blocks parse; npm scripts, repository files and package paths the README names exist.
//   * every relative link of the packed README (and of the docs it ships) leads to a packed file, and
//     every absolute link into the repository names a file the repository has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TSC, bundleLikeWorkers, consumerProject, run, tarball, write } from './packed.mjs';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Fenced blocks as { lang, code }, list-item indentation removed. */
function blocks(md) {
  const out = [];
  const re = /^([ \t]*)```(\w*)\n([\s\S]*?)^\1```/gm;
  for (const m of md.matchAll(re)) {
    const indent = m[1].length;
    out.push({
      lang: m[2],
      code: m[3]
        .split('\n')
        .map((l) => l.slice(indent))
        .join('\n'),
    });
  }
  return out;
}

const ALL = blocks(README);
const CODE = ALL.filter((b) => ['ts', 'js', 'typescript', 'javascript'].includes(b.lang));

// The data the examples name, small enough to run in seconds. Each entry: the names it needs first.
const PRELUDE = {
  rand: [
    [],
    `function rand(rows: number, cols: number, seed: number) {
  let s = seed >>> 0;
  const data = Float32Array.from({ length: rows * cols }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
  return { data, rows, cols };
}`,
  ],
  n: [[], 'const n = 300;'],
  clipVectors: [['rand', 'n'], 'const clipVectors = rand(n, 768, 1).data;'],
  dinoVectors: [['rand', 'n'], 'const dinoVectors = rand(n, 1024, 2).data;'],
  sampleOfX: [['rand'], 'const sampleOfX = rand(200, 768, 3);'],
  chunks: [['rand'], 'function* chunks() { for (let i = 0; i < 3; i++) yield [rand(100, 768, 10 + i), rand(100, 512, 20 + i)] as const; }'],
  signal: [[], 'const signal = new AbortController().signal;'],
  generated: [['rand'], 'const generated = rand(240, 16, 4);'],
  reference: [['rand'], 'const reference = rand(200, 16, 5);'],
  X: [['rand'], 'const X = rand(160, 12, 6);'],
  Y: [['rand'], 'const Y = rand(160, 8, 7);'],
  newY: [['rand'], 'const newY = rand(20, 8, 8);'],
  Xbatch: [['rand'], 'const Xbatch = rand(64, 12, 9);'],
  Ybatch: [['rand'], 'const Ybatch = rand(64, 8, 10);'],
};

function prelude(code) {
  const names = [];
  const need = (name) => {
    if (names.includes(name)) return;
    PRELUDE[name][0].forEach(need);
    names.push(name);
  };
  // a name the block declares itself (the first example reads its own X and Y) is not supplied
  const declared = (name) => new RegExp(`\\b(?:const|let|var|function\\*?)\\s+${name}\\b`).test(code);
  for (const name of Object.keys(PRELUDE)) if (new RegExp(`\\b${name}\\b`).test(code) && !declared(name)) need(name);
  return names.map((n) => PRELUDE[n][1]).join('\n');
}

/** The block as a module: its own imports first, the prelude, then the rest of its code. */
function moduleOf(code) {
  const lines = code.split('\n');
  const imports = lines.filter((l) => /^import\b/.test(l));
  const body = lines.filter((l) => !/^import\b/.test(l));
  const node = imports.some((l) => /from 'node:/.test(l)) ? '/// <reference types="node" />\n' : '';
  return `${node}${imports.join('\n')}\n${prelude(body.join('\n'))}\n${body.join('\n')}\nexport {};\n`;
}

/** A float32 .npy (format 1.0) of rows × cols seeded values, as NumPy's np.save writes it. */
function npy(rows, cols, seed) {
  let s = seed >>> 0;
  const values = Float32Array.from({ length: rows * cols }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  return Buffer.concat([
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]),
    Buffer.from(header, 'latin1'),
    Buffer.from(values.buffer),
  ]);
}

/** The files the examples read. */
const EXAMPLE_FILES = { 'X.npy': npy(200, 48, 11), 'Y.npy': npy(200, 32, 12) };

test('the README has the examples this suite runs', () => {
  assert.ok(CODE.length >= 6, `${CODE.length} code blocks`);
  assert.ok(
    CODE.some((b) => b.code.includes("from 'spec-embed/spec-embed.wasm'")),
    'the edge-function example',
  );
  // the first library example reads a .npy with spec-embed/io and passes the matrix to compare
  assert.match(CODE[0].code, /import \{ parseNpy \} from 'spec-embed\/io'/);
  assert.match(CODE[0].code, /const X = parseNpy\([\s\S]*compare\(X, Y/);
  // the root no longer exports the readers: no example may import one from it
  for (const b of CODE) {
    for (const [, names] of b.code.matchAll(/import \{([^}]*)\} from 'spec-embed(?:\/slim)?'/g)) {
      assert.doesNotMatch(names, /\bparse[A-Z]/, `a reader imported from the root:\n${b.code}`);
    }
  }
});

test('every TypeScript/JavaScript example type-checks and runs', { timeout: 240_000 }, async (t) => {
  const dir = consumerProject(t);
  const files = { 'package.json': { type: 'module' } };
  CODE.forEach((b, i) => {
    files[`src/example-${i + 1}.ts`] = moduleOf(b.code);
  });
  files['tsconfig.json'] = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'],
      types: [],
      strict: true,
      outDir: 'out',
      rootDir: 'src',
      skipLibCheck: false,
    },
    include: ['src'],
  };
  write(dir, files);
  for (const [name, bytes] of Object.entries(EXAMPLE_FILES)) writeFileSync(join(dir, name), bytes);
  // Node's types, for the examples that import node: (only those reference them)
  symlinkSync(join(ROOT, 'node_modules', '@types'), join(dir, 'node_modules', '@types'));
  const tsc = run(process.execPath, [TSC, '-p', '.'], { cwd: dir });
  assert.equal(
    tsc.status,
    0,
    `tsc:\n${tsc.out}\n${Object.entries(files)
      .filter(([f]) => f.startsWith('src/'))
      .map(([f, c]) => `--- ${f}\n${c}`)
      .join('\n')}`,
  );
  for (let i = 0; i < CODE.length; i++) {
    let file = join(dir, 'out', `example-${i + 1}.js`);
    if (CODE[i].code.includes('.wasm')) {
      await bundleLikeWorkers(file, join(dir, 'out', `example-${i + 1}.bundle.mjs`));
      file = join(dir, 'out', `example-${i + 1}.bundle.mjs`);
    }
    const r = run(process.execPath, [file], { cwd: dir });
    assert.equal(r.status, 0, `example ${i + 1}:\n${CODE[i].code}\n${r.out}`);
  }
});

// The files the command examples read, written by NumPy (float32 .npy/.npz, labels, tiny PNGs).
const FIXTURES = `
import numpy as np, zlib, struct
r = np.random.default_rng(7)
n = 60
lab = np.repeat(np.arange(3), n // 3)
def emb(d, spread): return (r.normal(size=(n, d)) + spread * np.eye(3, d)[lab] * 3).astype(np.float32)
for name, d, s in [('clip', 12, 1.0), ('dino', 8, 0.3), ('X', 10, 1.0), ('Y', 6, 0.2), ('photos', 9, 1.0), ('captions', 7, 0.5)]:
    np.save(name + '.npy', emb(d, s))
np.savez('X.npz', embeddings=emb(10, 1.0)); np.savez('Y.npz', embeddings=emb(6, 0.2))
np.save('generated.npy', r.normal(size=(70, 8)).astype(np.float32)); np.save('reference.npy', r.normal(size=(50, 8)).astype(np.float32))
np.save('this-month.npy', r.normal(size=(40, 8)).astype(np.float32)); np.save('last-month.npy', r.normal(size=(45, 8)).astype(np.float32))
open('classes.txt', 'w').write('\\n'.join('class%d' % l for l in lab) + '\\n')
open('labels.txt', 'w').write('\\n'.join('class%d' % l for l in lab) + '\\n')
np.savez('dino_features.npz', features=emb(8, 0.3)); np.savez('clip_features.npz', features=emb(12, 1.0))
open('gen-labels.txt', 'w').write('\\n'.join('g%d' % (i % 4) for i in range(70)) + '\\n')
open('ref-labels.txt', 'w').write('\\n'.join('r%d' % (i % 3) for i in range(50)) + '\\n')
def png(v):
    raw = b'\\x00' + bytes([v, v, v])
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
    return b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
for i in range(n): open('img%d.png' % i, 'wb').write(png(4 * i))
for i in range(2):  # two shards of paired rows (the "Past one machine" steps)
    np.save('x-%d.npy' % i, r.normal(size=(256, 10)).astype(np.float32)); np.save('y-%d.npy' % i, r.normal(size=(256, 6)).astype(np.float32))
open('thumbs.txt', 'w').write('\\n'.join('img%d.png' % i for i in range(n)) + '\\n')
`;

const shellLines = (b) =>
  b.code
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

test('every spec-embed command example exits 0 on small fixtures', { timeout: 300_000 }, async (t) => {
  const dir = consumerProject(t);
  const py = run('python3', ['-c', FIXTURES], { cwd: dir });
  assert.equal(py.status, 0, py.out);
  const env = { ...process.env, PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH}`, NO_COLOR: '1' };
  const commands = ALL.filter((b) => b.lang === 'sh')
    .flatMap(shellLines)
    .filter((l) => /^(spec-embed |python3 -c )/.test(l));
  assert.ok(commands.length >= 10, `${commands.length} commands`);
  for (const cmd of commands) {
    const line = cmd.replace(/\s+#.*$/, '');
    if (line === 'spec-embed demo') {
      // The demo's data come from a development dependency (mnist) that a consumer does not
      // have: the README says it then stops with a message, exit 2. tests/cli runs it in full.
      const r = run('bash', ['-c', line], { cwd: dir, env });
      assert.equal(r.status, 2, r.out);
      assert.match(r.out, /mnist/);
    } else if (/--serve\b/.test(line)) {
      await servesUrl(line, dir, env);
    } else {
      const r = run('bash', ['-c', line], { cwd: dir, env });
      assert.equal(r.status, 0, `${line}\n${r.out}`);
    }
  }
});

/** `app --serve` runs until stopped: it must print its http://127.0.0.1:PORT/ URL, which must answer. */
async function servesUrl(line, cwd, env) {
  const child = spawn('bash', ['-c', `exec ${line}`], { cwd, env });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${line}: no URL within 20 s\n${out}`)), 20_000);
      const seen = (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.on('exit', (code) => reject(new Error(`${line} exited ${code}\n${out}`)));
    });
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
  } finally {
    child.kill();
  }
}

test('the JSON example parses; the npm scripts, files and package paths the README names exist', () => {
  for (const b of ALL.filter((x) => x.lang === 'json')) JSON.parse(b.code);
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
  for (const [, name] of README.matchAll(/npm run ([\w:-]+)/g)) assert.ok(scripts[name], `npm run ${name}`);
  for (const [, file] of README.matchAll(/\bnode (?:--[\w-]+(?: \S+)? )*((?:bench|scripts|dist)\/[\w./-]+\.m?js)/g)) {
    assert.ok(existsSync(join(ROOT, file)) || file.startsWith('dist/'), file);
  }
  for (const [, file] of README.matchAll(/python3 ((?:bench|scripts)\/[\w./-]+\.py)/g)) assert.ok(existsSync(join(ROOT, file)), file);
  const packed = run('tar', ['tzf', tarball()]).out;
  for (const [, path] of README.matchAll(/\/node_modules\/spec-embed\/([\w./-]+)/g)) assert.ok(packed.includes(`package/${path}\n`), path);
});

const REPO = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  .repository.url.replace(/^git\+/, '')
  .replace(/\.git$/, '');
const RAW = REPO.replace('https://github.com/', 'https://raw.githubusercontent.com/');

test('the packed README and docs link only what the package holds (screenshots included), or the repository by absolute URL', () => {
  const listed = new Set(run('tar', ['tzf', tarball()]).out.split('\n'));
  const docs = [...listed].filter((f) => /^package\/(README\.md|docs\/[\w.-]+\.md)$/.test(f));
  assert.ok(docs.length >= 4, `packed markdown: ${docs}`);
  let relative = 0;
  for (const file of docs) {
    const text = run('tar', ['xzOf', tarball(), file]).out.replace(/```[\s\S]*?```/g, '');
    const base = file.slice(0, file.lastIndexOf('/') + 1);
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (target.startsWith('#')) continue;
      if (!/^https?:\/\//.test(target)) {
        const path = new URL(target.split('#')[0], `file:///${base}`).pathname.slice(1);
        assert.ok(listed.has(path), `${file} links ${target}, which the package does not hold`);
        relative++;
        continue;
      }
      const inRepo = [`${RAW}/main/`, `${REPO}/blob/main/`].find((prefix) => target.startsWith(prefix));
      if (!inRepo) continue;
      const path = target.slice(inRepo.length).split('#')[0];
      assert.ok(existsSync(join(ROOT, path)), `${file} links ${target}: no ${path} in the repository`);
    }
  }
  assert.ok(relative >= 4, 'the README links docs and screenshots the package holds');
  assert.ok(listed.has('package/docs/app.png') && listed.has('package/docs/report-maps.png'), 'the screenshots are packed');
});
